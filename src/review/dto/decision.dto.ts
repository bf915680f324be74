import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsISO8601, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { MAX_INT4, emptyToUndefined } from '../../common/validation.js';
import { CHECK_ITEMS, type CheckItem } from '../../applications/application.entities.js';

export const OUTCOMES = ['eligible', 'changes_requested', 'ineligible'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The office's result of the formal check, with the checklist as ticked. */
export class DecisionDto {
  @ApiProperty({ enum: OUTCOMES })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsIn(OUTCOMES)
  outcome: Outcome;

  @ApiProperty({ enum: CHECK_ITEMS, isArray: true, description: 'The checklist items the office confirmed' })
  @Transform(({ value }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]))
  @IsArray() @IsIn(CHECK_ITEMS, { each: true })
  checks: CheckItem[] = [];

  @ApiPropertyOptional({ description: 'For changes_requested: what the applicant should change' })
  @Transform(emptyToUndefined) @ValidateIf((o: DecisionDto) => o.outcome === 'changes_requested') @IsNotEmpty({ message: 'validation.review.messageRequired' }) @IsString() @MaxLength(5000)
  message?: string;

  @ApiPropertyOptional({ example: '2026-12-15', description: 'For changes_requested: last day to resubmit (Europe/Berlin)' })
  @Transform(emptyToUndefined) @ValidateIf((o: DecisionDto) => o.outcome === 'changes_requested')
  @IsNotEmpty({ message: 'validation.review.replyByRequired' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  replyBy?: string;

  @ApiPropertyOptional({ description: 'For ineligible: the reason, quoted in the rejection letter' })
  @Transform(emptyToUndefined) @ValidateIf((o: DecisionDto) => o.outcome === 'ineligible') @IsNotEmpty({ message: 'validation.review.reasonRequired' }) @IsString() @MaxLength(5000)
  reason?: string;

  @ApiProperty({ description: 'The version of the application the decision was made on' })
  @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version: number;
}

/** A reason for declaring an application ineligible, to see the letter before it is sent. */
export class RejectionPreviewDto {
  @ApiProperty({ description: 'The reason, quoted in the rejection letter' })
  @Transform(emptyToUndefined) @IsNotEmpty({ message: 'validation.review.reasonRequired' }) @IsString() @MaxLength(5000)
  reason: string;

  @ApiProperty({ description: 'The version of the application the decision will be made on' })
  @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version: number;
}

export class ChecklistDto {
  @ApiProperty({ enum: CHECK_ITEMS, isArray: true })
  @Transform(({ value }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]))
  @IsArray() @IsIn(CHECK_ITEMS, { each: true })
  checks: CheckItem[] = [];

  @ApiProperty()
  @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version: number;
}
