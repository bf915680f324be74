import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsISO8601, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { toCents } from '../../common/money.js';
import { MAX_CENTS, MAX_INT4, emptyToUndefined } from '../../common/validation.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Lines per list of the finance plan: a real plan has a few dozen. */
export const MAX_PLAN_LINES = 200;

/** Form rows (`costLines[3][amount]`, an object when indices are sparse) as a list; rows left completely empty are not lines of the plan. */
function withoutEmptyRows({ value }: { value: unknown }): unknown {
  const indexed = value !== null && typeof value === 'object' && Object.keys(value).length > 0 && Object.keys(value).every((key) => /^\d{1,4}$/.test(key));
  const rows = Array.isArray(value) ? value : indexed ? Object.values(value) : value;
  if (!Array.isArray(rows)) return rows;
  return rows.filter((row) => !(row && typeof row === 'object' && Object.values(row).every((v) => v === undefined || v === null || String(v).trim() === '')));
}

export class CostLineDto {
  @ApiProperty({ example: 'Honorare' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(120)
  category: string;

  @ApiProperty({ example: 'Sprachkursleitung, 40 Stunden à 45 €' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(300)
  description: string;

  @ApiProperty({ example: 180000, description: 'cents' })
  @Transform(toCents) @IsNotEmpty() @IsInt({ message: 'validation.money' }) @Min(1, { message: 'validation.positive' }) @Max(MAX_CENTS, { message: 'validation.max' })
  amountCents: number;
}

export class ThirdPartyDto {
  @ApiProperty({ example: 'Stiftung Rheinland' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(200)
  source: string;

  @ApiProperty({ example: 50000, description: 'cents' })
  @Transform(toCents) @IsNotEmpty() @IsInt({ message: 'validation.money' }) @Min(1, { message: 'validation.positive' }) @Max(MAX_CENTS, { message: 'validation.max' })
  amountCents: number;

  @ApiProperty({ enum: ['granted', 'applied'] })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsIn(['granted', 'applied'])
  status: 'granted' | 'applied';
}

/**
 * The application's content. A draft may be incomplete: only what is entered is checked here
 * (types, lengths, no negative amounts); completeness and the call's rules are checked on submission.
 */
export class ApplicationContentDto {
  @ApiProperty({ example: 'Sprachcafé im Quartier' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(200)
  title: string;

  @ApiPropertyOptional() @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(120)
  fieldOfAction?: string;

  @ApiPropertyOptional() @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(500)
  targetGroup?: string;

  @ApiPropertyOptional() @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(60)
  district?: string;

  @ApiPropertyOptional({ example: '2027-05-01' })
  @Transform(emptyToUndefined) @IsOptional() @Matches(DAY, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  startDate?: string;

  @ApiPropertyOptional({ example: '2027-10-31' })
  @Transform(emptyToUndefined) @IsOptional() @Matches(DAY, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  endDate?: string;

  @ApiPropertyOptional() @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional() @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(5000)
  goals?: string;

  @ApiPropertyOptional() @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(5000)
  methods?: string;

  @ApiPropertyOptional()
  @Transform(({ value }) => (value === '' || value === null || value === undefined ? undefined : Number(value)))
  @IsOptional() @IsInt({ message: 'validation.integer' }) @Min(0) @Max(MAX_INT4)
  expectedParticipants?: number;

  @ApiPropertyOptional({ description: 'How the measure is open and accessible to everyone' })
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(5000)
  openness?: string;

  @ApiProperty({ type: [CostLineDto] })
  @Transform(withoutEmptyRows) @IsArray() @ArrayMaxSize(MAX_PLAN_LINES) @ValidateNested({ each: true }) @Type(() => CostLineDto)
  costLines: CostLineDto[] = [];

  @ApiProperty({ example: 30000, description: 'cents' })
  @Transform((params) => toCents(params) ?? 0) @IsInt({ message: 'validation.money' }) @Min(0, { message: 'validation.notNegative' }) @Max(MAX_CENTS, { message: 'validation.max' })
  ownFundsCents: number = 0;

  @ApiProperty({ type: [ThirdPartyDto] })
  @Transform(withoutEmptyRows) @IsArray() @ArrayMaxSize(MAX_PLAN_LINES) @ValidateNested({ each: true }) @Type(() => ThirdPartyDto)
  thirdParty: ThirdPartyDto[] = [];

  @ApiPropertyOptional({ example: 250000, description: 'cents' })
  @Transform(toCents) @IsOptional() @IsInt({ message: 'validation.money' }) @Min(0, { message: 'validation.notNegative' }) @Max(MAX_CENTS, { message: 'validation.max' })
  requestedCents?: number;

  @ApiProperty({ description: 'The call declarations the applicant confirms (their exact texts)' })
  @Transform(({ value }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]))
  @IsArray() @IsString({ each: true })
  declarations: string[] = [];
}

export class CreateApplicationDto extends ApplicationContentDto {
  @ApiProperty() @IsUUID('all', { message: 'validation.choice' })
  callId: string;

  @ApiProperty() @IsUUID('all', { message: 'validation.choice' })
  organisationId: string;
}

export class UpdateApplicationDto extends ApplicationContentDto {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version: number;
}

/** Submitting; after a change request the applicant may answer it in words. */
export class SubmitApplicationDto {
  @ApiPropertyOptional({ description: 'The answer to the change request, kept with this submission', example: 'Die Zielgruppe ist jetzt genauer beschrieben.' })
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(5000, { message: 'validation.tooLong' })
  replyMessage?: string;
}
