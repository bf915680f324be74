import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, registerDecorator, ValidateNested,
} from 'class-validator';
import { parseEuroToCents } from '../../common/money.js';
import { MAX_CENTS, MAX_INT4, emptyToUndefined } from '../../common/validation.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TEXT = 5000;

/**
 * Money that may be "not entered yet": JSON sends integer cents or null; forms send euros, and an
 * empty field means null. Anything unreadable stays as it is and fails `IsInt` (→ 422 naming it).
 */
export function toCentsOrNull({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return null;
  return parseEuroToCents(value) ?? null;
}

/** Counts from forms ("12") or JSON (12); empty means not entered. */
export function toCountOrNull({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text === '') return null;
  return parseCount(text) ?? text;
}

/** A count as people write it in a form: "1200", or with German thousands "1.200" / "1 200"; null otherwise. */
export function parseCount(text: string): number | null {
  const digits = /^\d{1,3}(?:[.\s]\d{3})+$/.test(text) ? text.replace(/\D/g, '') : text;
  return /^\d{1,10}$/.test(digits) ? Number(digits) : null;
}

function toOptionalBoolean({ value }: { value: unknown }): unknown {
  if (value === 'true' || value === 'yes') return true;
  if (value === 'false' || value === 'no') return false;
  if (value === '') return null;
  return value;
}

function IsCountMap() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'countMap',
      target: object.constructor,
      propertyName,
      options: { message: 'reports.validation.countMap' },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length <= 30 &&
          Object.entries(value).every(([key, count]) => key.length > 0 && key.length <= 120 && Number.isInteger(count) && (count as number) >= 0 && (count as number) <= MAX_INT4),
      },
    });
}

/** The narrative part (Sachbericht); every text optional while the report is a draft. */
export class NarrativeDto {
  @ApiPropertyOptional({ description: 'What was done' })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(TEXT)
  activities?: string;

  @ApiPropertyOptional({ description: 'Which goals were reached' })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(TEXT)
  goalsReached?: string;

  @ApiPropertyOptional({ description: 'Who was reached' })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(TEXT)
  reached?: string;

  @ApiPropertyOptional({ description: 'Problems met' })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(TEXT)
  problems?: string;

  @ApiPropertyOptional({ description: 'What was learned' })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(TEXT)
  learnings?: string;

  @ApiPropertyOptional({ description: 'Whether the measure stayed open to everyone' })
  @IsOptional() @Transform(toOptionalBoolean) @IsBoolean()
  openToAll?: boolean | null;

  @ApiPropertyOptional({ description: 'How the measure stayed open to everyone, or why not' })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(TEXT)
  opennessNote?: string;
}

/** The actual figure of one line of the approved plan; `key` is the line's number in the plan (1, 2, …). */
export class ActualLineDto {
  @ApiProperty({ example: '1' })
  @IsString() @Matches(/^\d{1,3}$/)
  key: string;

  @ApiProperty({ example: 120000, nullable: true, description: 'cents actually spent; null while not entered' })
  @Transform(toCentsOrNull) @IsOptional() @IsInt({ message: 'validation.money' }) @Min(0, { message: 'validation.notNegative' }) @Max(MAX_CENTS, { message: 'validation.max' })
  actualCents: number | null = null;
}

export class ParticipantGroupDto {
  @ApiProperty({ example: 'Sprachcafé, 12 Termine' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(200)
  label: string;

  @ApiProperty({ example: 18 })
  @Transform(toCountOrNull) @IsNotEmpty() @IsInt() @Min(0) @Max(MAX_INT4)
  count: number;

  @ApiPropertyOptional({ example: { Frauen: 10, Männer: 8 }, description: "Counts per field of the call's participant breakdown" })
  @IsOptional() @IsObject() @IsCountMap()
  breakdown?: Record<string, number>;
}

/** A draft save: fields left out stay as they are, null clears a figure. */
export class SaveUsageReportDto {
  @ApiProperty({ description: 'The version of the report the change was made on' })
  @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version: number;

  @ApiPropertyOptional({ type: NarrativeDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => NarrativeDto)
  narrative?: NarrativeDto;

  @ApiPropertyOptional({ type: [ActualLineDto], description: 'Actual figures per line of the approved plan' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ActualLineDto)
  lines?: ActualLineDto[];

  @ApiPropertyOptional({ example: 50000, nullable: true, description: 'Own funds actually spent, in cents' })
  @Transform(toCentsOrNull) @IsOptional() @IsInt({ message: 'validation.money' }) @Min(0, { message: 'validation.notNegative' }) @Max(MAX_CENTS, { message: 'validation.max' })
  ownFundsCents?: number | null;

  @ApiPropertyOptional({ example: 0, nullable: true, description: 'Third-party funds actually received, in cents' })
  @Transform(toCentsOrNull) @IsOptional() @IsInt({ message: 'validation.money' }) @Min(0, { message: 'validation.notNegative' }) @Max(MAX_CENTS, { message: 'validation.max' })
  thirdPartyCents?: number | null;

  @ApiPropertyOptional({ example: 0, nullable: true, description: 'Other income (fees, donations), in cents' })
  @Transform(toCentsOrNull) @IsOptional() @IsInt({ message: 'validation.money' }) @Min(0, { message: 'validation.notNegative' }) @Max(MAX_CENTS, { message: 'validation.max' })
  otherIncomeCents?: number | null;

  @ApiPropertyOptional({ example: 42, nullable: true })
  @Transform(toCountOrNull) @IsOptional() @IsInt() @Min(0) @Max(MAX_INT4)
  participantsTotal?: number | null;

  @ApiPropertyOptional({ type: [ParticipantGroupDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ParticipantGroupDto)
  participantGroups?: ParticipantGroupDto[];
}

/** One line of the receipt list (Belegliste). */
export class ReceiptDto {
  @ApiProperty({ example: '2027-03-15', description: 'Date on the receipt' })
  @Transform(emptyToUndefined) @IsNotEmpty({ message: 'validation.date' }) @Matches(DAY, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  date: string;

  @ApiProperty({ example: 'Muster-Druckerei GmbH' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(300)
  payee: string;

  @ApiProperty({ example: 'Flyer für das Sprachcafé' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(300)
  purpose: string;

  @ApiProperty({ example: 12345, description: 'cents' })
  @Transform(toCentsOrNull) @IsNotEmpty() @IsInt({ message: 'validation.money' }) @Min(1, { message: 'validation.positive' }) @Max(MAX_CENTS, { message: 'validation.max' })
  amountCents: number;

  @ApiProperty({ example: 1, description: 'Number of the approved plan\'s cost line' })
  @Transform(toCountOrNull) @IsNotEmpty() @IsInt() @Min(1) @Max(1000)
  costLine: number;

  @ApiProperty({ example: '2027-03-20', description: 'When it was paid' })
  @Transform(emptyToUndefined) @IsNotEmpty({ message: 'validation.date' }) @Matches(DAY, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  paidOn: string;
}

/** The whole receipt list, replacing the one stored. */
export class ReceiptListDto {
  @ApiProperty({ description: 'The version of the report the list was made on' })
  @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version: number;

  @ApiProperty({ type: [ReceiptDto] })
  @IsArray() @ArrayMaxSize(2000) @ValidateNested({ each: true }) @Type(() => ReceiptDto)
  receipts: ReceiptDto[];
}

export const FINDINGS = ['admitted', 'reduced', 'refused'] as const;

/** The office's finding on one receipt line. */
export class ReceiptFindingDto {
  @ApiProperty({ enum: FINDINGS })
  @IsIn(FINDINGS)
  finding: (typeof FINDINGS)[number];

  @ApiPropertyOptional({ example: 10000, description: "For 'reduced': the amount admitted, in cents (more than 0, less than the receipt)" })
  @Transform(toCentsOrNull) @IsOptional() @IsInt({ message: 'validation.money' }) @Min(1, { message: 'validation.positive' }) @Max(MAX_CENTS, { message: 'validation.max' })
  admittedCents?: number | null;

  @ApiPropertyOptional({ description: "Why the line is reduced or refused; required for both" })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(2000)
  reason?: string;
}

export const CHECK_PARTS = ['content', 'figures'] as const;

/** Records one of the two checks: content (narrative and participants) or figures (statement and receipts). */
export class ReportCheckDto {
  @ApiProperty({ enum: CHECK_PARTS })
  @IsIn(CHECK_PARTS)
  part: (typeof CHECK_PARTS)[number];
}

export class ClarificationDto {
  @ApiProperty({ description: 'What the grantee is asked to clarify; shown to them and mailed' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(TEXT)
  message: string;
}
