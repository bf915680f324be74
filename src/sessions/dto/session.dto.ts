import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { toCents } from '../../common/money.js';
import { MAX_CENTS, MAX_INT4, emptyToUndefined, toBoolean } from '../../common/validation.js';

export class ScheduleSessionDto {
  @ApiProperty() @IsUUID('all', { message: 'validation.choice' })
  callId: string;

  @ApiProperty({ example: '2027-02-15T17:00:00+01:00' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsISO8601({ strict: true }, { message: 'validation.dateTime' })
  scheduledAt: string;

  @ApiProperty({ example: 'Rathaus Neuss, Raum 2.12' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(200)
  place: string;

  @ApiPropertyOptional() @Transform(emptyToUndefined) @IsOptional() @IsUUID('all', { message: 'validation.choice' })
  chairMemberId?: string;

  @ApiPropertyOptional({ description: 'Eligible applications to put on the agenda; all of the call’s when left out' })
  @IsOptional() @IsArray() @IsUUID('all', { each: true, message: 'validation.choice' })
  applicationIds?: string[];
}

/** Moves a planned session or changes its place or chair; fields left out stay as they are. */
export class UpdateSessionDto {
  @ApiPropertyOptional({ example: '2027-02-22T17:00:00+01:00' })
  @Transform(emptyToUndefined) @IsOptional() @IsISO8601({ strict: true }, { message: 'validation.dateTime' })
  scheduledAt?: string;

  @ApiPropertyOptional({ example: 'Rathaus Neuss, Ratssaal' })
  @Transform(emptyToUndefined) @IsOptional() @IsNotEmpty() @IsString() @MaxLength(200)
  place?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null removes the chair' })
  @Transform(emptyToUndefined) @IsOptional() @IsUUID('all', { message: 'validation.choice' })
  chairMemberId?: string | null;

  @ApiProperty({ description: 'The version the change was made from; a stale one is a 409' })
  @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version: number;
}

export class CancelSessionDto {
  @ApiProperty({ example: 'Der Ratssaal steht nicht zur Verfügung; ein neuer Termin folgt.' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(1000)
  reason: string;
}

export class AttendanceDto {
  @ApiProperty() @IsUUID('all', { message: 'validation.choice' })
  memberId: string;

  @ApiProperty() @Transform(toBoolean) @IsBoolean()
  present: boolean;

  @ApiPropertyOptional({ description: 'The absent member a deputy stands in for' })
  @Transform(emptyToUndefined) @IsOptional() @IsUUID('all', { message: 'validation.choice' })
  standsInFor?: string;
}

export class VoteDto {
  @ApiProperty({ enum: ['yes', 'no', 'abstain'] })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsIn(['yes', 'no', 'abstain'])
  choice: 'yes' | 'no' | 'abstain';

  @ApiPropertyOptional({ description: 'Office only: the member whose show of hands is recorded' })
  @Transform(emptyToUndefined) @IsOptional() @IsUUID('all', { message: 'validation.choice' })
  memberId?: string;
}

/** A number typed or chosen; an empty field is missing (never a default such as 0 or 1). */
const toNumber = ({ value }: { value: unknown }): unknown => (value === undefined || value === null || (typeof value === 'string' && value.trim() === '') ? undefined : Number(value));

export class RatingDto {
  @ApiProperty({ minimum: 1, maximum: 5 }) @Transform(toNumber) @IsDefined({ message: 'validation.ratingRequired' }) @IsInt() @Min(1) @Max(5)
  importance: number;

  @ApiProperty({ minimum: 1, maximum: 5 }) @Transform(toNumber) @IsDefined({ message: 'validation.ratingRequired' }) @IsInt() @Min(1) @Max(5)
  urgency: number;

  @ApiPropertyOptional({ description: 'Office only: the member whose rating, agreed in the room, is recorded' })
  @Transform(emptyToUndefined) @IsOptional() @IsUUID('all', { message: 'validation.choice' })
  memberId?: string;
}

export class ShowOfHandsDto {
  @ApiProperty({ description: "Each voter's choice by member id, for the whole item in one go (open ballots only)", example: { '00000000-0000-0000-0000-000000000000': 'yes' } })
  @IsDefined({ message: 'sessions.handsEmpty' }) @IsObject({ message: 'sessions.handsEmpty' })
  choices: Record<string, string>;
}

/** The totals of a secret ballot. */
export class BallotCountsDto {
  @ApiProperty({ minimum: 0 }) @Transform(toNumber) @IsDefined({ message: 'validation.required' }) @IsInt() @Min(0) @Max(MAX_INT4)
  yes: number;

  @ApiProperty({ minimum: 0 }) @Transform(toNumber) @IsDefined({ message: 'validation.required' }) @IsInt() @Min(0) @Max(MAX_INT4)
  no: number;

  @ApiProperty({ minimum: 0 }) @Transform(toNumber) @IsDefined({ message: 'validation.required' }) @IsInt() @Min(0) @Max(MAX_INT4)
  abstain: number;
}

export class ConflictDto {
  @ApiPropertyOptional({ description: 'Office only: the member the declaration is for; members declare for themselves' })
  @Transform(emptyToUndefined) @IsOptional() @IsUUID('all', { message: 'validation.choice' })
  memberId?: string;

  @ApiProperty({ example: 'Mitglied im Vorstand des Trägers' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(500)
  reason: string;
}

export class CloseItemDto {
  @ApiPropertyOptional({ description: 'The amount the table recommends (at most the amount requested); defaults to the amount requested' })
  @Transform(toCents) @IsOptional() @IsInt({ message: 'validation.money' }) @Min(0, { message: 'validation.notNegative' }) @Max(MAX_CENTS, { message: 'validation.max' })
  recommendedCents?: number;
}

export class RecommendationDto {
  @ApiProperty() @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(5000)
  text: string;
}

export class SecretBallotRequestDto {
  @ApiPropertyOptional({ description: "Office only: the member whose request is recorded" })
  @Transform(emptyToUndefined) @IsOptional() @IsUUID('all', { message: 'validation.choice' })
  memberId?: string;
}
