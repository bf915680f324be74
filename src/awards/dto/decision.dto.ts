import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsISO8601, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_CENTS, MAX_INT4, emptyToUndefined } from '../../common/validation.js';

/** What the clerk may complete on a draft decision; fields left out stay as they are. */
export class UpdateDecisionDto {
  @ApiProperty({ description: 'The version of the decision the change was made on' })
  @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version: number;

  @ApiPropertyOptional({ description: 'Award: a lower amount than allocated, in cents' })
  @IsOptional() @IsInt({ message: 'validation.money' }) @Min(1, { message: 'validation.positive' }) @Max(MAX_CENTS, { message: 'validation.max' })
  amountCents?: number;

  @ApiPropertyOptional({ description: 'Award: the purpose the grant is bound to' })
  @IsOptional() @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(2000)
  purpose?: string;

  @ApiPropertyOptional({ example: '2028-06-30', description: 'Award: last day for the usage report (Europe/Berlin)' })
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  reportDueOn?: string;

  @ApiPropertyOptional({ type: [String], description: 'Award: conditions added to the standard ones, one per entry' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(2000, { each: true })
  specialConditions?: string[];

  @ApiPropertyOptional({ description: 'Rejection: the clerk\'s words added to the standard reason (empty removes it)' })
  @IsOptional() @IsString() @MaxLength(5000)
  reasonNote?: string;
}

/** The grantee accepts the award; `waive` also waives the legal remedy, which makes it final at once. */
export class AcceptanceDto {
  @ApiProperty({ description: 'Also waive the right to bring an action (Rechtsbehelfsverzicht)' })
  @IsBoolean()
  waive: boolean;
}
