import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, registerDecorator, ValidateIf } from 'class-validator';
import { parseEuroToCents, toCents } from '../../common/money.js';
import { MAX_CENTS, MAX_INT4, emptyToUndefined, toBoolean } from '../../common/validation.js';
import { INTEREST_DAY_COUNTS, type FinanceType, type InterestDayCount } from '../call.types.js';

export const FINANCE_TYPES: FinanceType[] = ['deficit', 'share', 'fixed'];

/** Lists come as JSON arrays, or from a form's text area with one entry per line. */
function toList({ value }: { value: unknown }): unknown {
  if (typeof value === 'string') return value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (Array.isArray(value)) return value.map((entry) => (typeof entry === 'string' ? entry.trim() : entry)).filter((entry) => entry !== '');
  return value;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A call and its funding rules, as the office enters them. Money in cents (JSON) or euros (forms). */
export class CallDto {
  @ApiProperty({ example: 2027 })
  @Type(() => Number) @IsInt() @Min(2000) @Max(2100)
  year: number;

  @ApiProperty({ example: 'Integrationsprojekte 2027' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(200)
  title: string;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(5000)
  description?: string;

  @ApiProperty({ example: 3000000, description: 'Budget in cents' })
  @Transform(toCents) @IsNotEmpty() @IsInt({ message: 'validation.money' }) @Min(1, { message: 'validation.positive' }) @Max(MAX_CENTS, { message: 'validation.max' })
  budgetCents: number;

  @ApiProperty({ example: ['Antirassismus', 'Sprachförderung'] })
  @Transform(toList) @IsArray() @ArrayNotEmpty() @IsString({ each: true }) @MaxLength(120, { each: true })
  fieldsOfAction: string[];

  @ApiProperty({ example: '2027-03-31T23:59:00+02:00', description: 'Instant with time zone' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsISO8601({ strict: true }, { message: 'validation.dateTime' })
  submissionDeadline: string;

  @ApiProperty({ example: '2027-05-01' })
  @Transform(emptyToUndefined) @IsNotEmpty() @Matches(DAY, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  fundingPeriodStart: string;

  @ApiProperty({ example: '2027-12-31' })
  @Transform(emptyToUndefined) @IsNotEmpty() @Matches(DAY, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  fundingPeriodEnd: string;

  @ApiProperty({ enum: FINANCE_TYPES })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsIn(FINANCE_TYPES)
  financeType: FinanceType;

  @ApiPropertyOptional({ description: "For 'share': the city's share of the costs in percent" })
  @Transform(({ value }) => (value === '' || value === null || value === undefined ? undefined : Number(value)))
  @ValidateIf((o: CallDto) => o.financeType === 'share' || o.sharePercent !== undefined)
  @IsNotEmpty({ message: 'validation.requiredForShare' }) @IsInt() @Min(1) @Max(100)
  sharePercent?: number;

  @ApiProperty({ example: 500000, description: "Cap per application in cents; for 'fixed' the fixed amount" })
  @Transform(toCents) @IsNotEmpty() @IsInt({ message: 'validation.money' }) @Min(1, { message: 'validation.positive' }) @Max(MAX_CENTS, { message: 'validation.max' })
  maxAmountCents: number;

  @ApiProperty({ example: 10 })
  @Type(() => Number) @IsInt() @Min(0) @Max(100)
  minOwnContributionPercent: number = 0;

  @ApiProperty({ example: ['Honorare', 'Sachkosten', 'Miete', 'Öffentlichkeitsarbeit'] })
  @Transform(toList) @IsArray() @ArrayNotEmpty() @IsString({ each: true }) @MaxLength(120, { each: true })
  costCategories: string[];

  @ApiProperty({ example: ['Satzung', 'Freistellungsbescheid'] })
  @Transform(toList) @IsArray() @IsString({ each: true }) @MaxLength(120, { each: true })
  requiredAttachments: string[] = [];

  @ApiProperty({ example: ['Die Maßnahme ist offen und zugänglich für alle.'] })
  @Transform(toList) @IsArray() @IsString({ each: true }) @MaxLength(500, { each: true })
  declarations: string[] = [];

  @ApiProperty({ example: 6 })
  @Type(() => Number) @IsInt() @Min(1) @Max(24)
  reportDueMonths: number = 6;

  @ApiProperty({ example: 2, description: 'Funds may be requested only for payments due within this many months (ANBest-P 1.4)' })
  @Type(() => Number) @IsInt() @Min(1) @Max(12)
  paymentWindowMonths: number = 2;

  @ApiProperty({ example: 20, description: 'How far (percent) one cost line may exceed the plan when savings elsewhere cover it (ANBest-P 1.2)' })
  @Type(() => Number) @IsInt() @Min(0) @Max(100)
  lineDeviationPercent: number = 20;

  @ApiProperty({ example: ['Frauen', 'Männer', 'divers'], description: 'Fields participants are counted by in the usage report; in forms one per line (none: counts only)' })
  @Transform(toList) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(120, { each: true })
  participantBreakdown: string[] = [];

  @ApiProperty({ description: 'Whether the usage report must include signed participant lists' })
  @Transform(toBoolean) @IsBoolean()
  participantListsRequired: boolean = false;

  @ApiProperty({ enum: INTEREST_DAY_COUNTS, example: 'act/365', description: 'Day count for interest on repayment claims' })
  @Transform(emptyToUndefined) @IsOptional() @IsIn(INTEREST_DAY_COUNTS)
  interestDayCount: InterestDayCount = 'act/365';

  @ApiProperty({ example: 1, description: 'Weight of importance (Bedeutung) in the combined rating' })
  @Type(() => Number) @IsInt() @Min(0) @Max(10)
  importanceWeight: number = 1;

  @ApiProperty({ example: 1, description: 'Weight of urgency (Dringlichkeit) in the combined rating' })
  @Type(() => Number) @IsInt() @Min(0) @Max(10)
  urgencyWeight: number = 1;

  @ApiProperty({ description: 'May the last item that does not fully fit the budget be funded partially?' })
  @Transform(toBoolean) @IsBoolean()
  partialFunding: boolean = false;

  @ApiPropertyOptional({ example: { Sprachförderung: 1000000 }, description: 'Ceilings per field of action in cents; in forms one "field = euros" per line' })
  @Transform(toFieldCaps) @IsOptional() @IsObject() @ValidateFieldCaps()
  fieldCaps?: Record<string, number>;
}

/** "Sprachförderung = 10.000" per line (forms) or an object of cents (JSON). */
function toFieldCaps({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const lines = value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (lines.length === 0) return undefined;
  return Object.fromEntries(lines.map((line) => {
    const [field, amount] = line.split('=').map((part) => part?.trim());
    return [field, amount === undefined ? Number.NaN : (parseEuroToCents(amount) ?? Number.NaN)];
  }));
}

function ValidateFieldCaps() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'fieldCaps',
      target: object.constructor,
      propertyName,
      options: { message: 'validation.fieldCaps' },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' && value !== null && Object.entries(value).every(([field, cents]) => field.length > 0 && Number.isInteger(cents) && (cents as number) > 0 && (cents as number) <= MAX_CENTS),
      },
    });
}

export class UpdateCallDto extends CallDto {
  @ApiProperty()
  @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version: number;
}

/** The declarations the concept requires of every funded measure; offered as defaults for a new call. */
export const DEFAULT_DECLARATIONS = [
  'Die Maßnahme ist offen und zugänglich für alle Menschen, unabhängig von Herkunft, Religion und Weltanschauung.',
  'Die Maßnahme enthält keine religiöse Unterweisung.',
  'Wir legen unsere interkulturelle Öffnung und die gesamte Finanzierung der Maßnahme offen.',
];

/** The fields of action the Integrationsrat decided for 2025. */
export const FIELDS_OF_ACTION_2025 = ['Antirassismus', 'Interreligiöser Dialog', 'Extremismusprävention', 'Diversität', 'Politische Bildung', 'Sprachförderung'];
