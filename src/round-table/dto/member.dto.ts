import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsISO8601, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_INT4, emptyToUndefined, toBoolean } from '../../common/validation.js';
import { AFFILIATION_KINDS, MEMBER_GROUPS, MEMBER_KINDS, VOTING_RIGHTS, type AffiliationKind, type MemberGroup, type MemberKind, type VotingRight } from '../member.entities.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class MemberDto {
  @ApiProperty()
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(200)
  fullName: string;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined) @IsOptional() @IsEmail({}, { message: 'validation.email' }) @MaxLength(254)
  email?: string;

  @ApiProperty({ enum: VOTING_RIGHTS })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsIn(VOTING_RIGHTS)
  votingRight: VotingRight;

  @ApiProperty({ enum: MEMBER_GROUPS })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsIn(MEMBER_GROUPS)
  group: MemberGroup;

  @ApiPropertyOptional({ description: 'Faction, association or department represented', example: 'SPD-Fraktion' })
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(200)
  represents?: string;

  @ApiProperty({ enum: MEMBER_KINDS })
  @Transform(({ value }) => emptyToUndefined({ value }) ?? 'member') @IsIn(MEMBER_KINDS)
  kind: MemberKind = 'member';

  @ApiProperty()
  @Transform(toBoolean) @IsBoolean()
  isChair: boolean = false;

  @ApiProperty({ example: '2025-11-01' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsISO8601({ strict: true }, { message: 'validation.date' }) @Matches(DATE, { message: 'validation.date' })
  termStart: string;

  @ApiPropertyOptional({ example: '2030-10-31' })
  @Transform(emptyToUndefined) @IsOptional() @IsISO8601({ strict: true }, { message: 'validation.date' }) @Matches(DATE, { message: 'validation.date' })
  termEnd?: string;

  @ApiPropertyOptional({ description: 'The member standing in for this one' })
  @Transform(emptyToUndefined) @IsOptional() @IsUUID('all', { message: 'validation.choice' })
  deputyId?: string;

  @ApiPropertyOptional({ description: 'Create or link a login for the member and send an invitation' })
  @Transform(toBoolean) @IsBoolean()
  invite: boolean = false;
}

export class UpdateMemberDto extends MemberDto {
  @ApiProperty()
  @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version: number;
}

export class AffiliationDto {
  @ApiProperty()
  @Transform(emptyToUndefined) @IsNotEmpty() @IsUUID('all', { message: 'validation.choice' })
  organisationId: string;

  @ApiProperty({ enum: AFFILIATION_KINDS })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsIn(AFFILIATION_KINDS)
  kind: AffiliationKind;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(300)
  note?: string;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined) @IsOptional() @IsISO8601({ strict: true }, { message: 'validation.date' }) @Matches(DATE, { message: 'validation.date' })
  since?: string;
}
