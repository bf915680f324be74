import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsISO8601, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_CENTS, MAX_INT4 } from '../../common/validation.js';

/**
 * The office drafts or changes the repayment claim of a report settled with a claim. The amount
 * comes from the stored settlement; fields left out keep their value (or their default on the
 * first draft).
 */
export class ClaimDraftDto {
  @ApiPropertyOptional({ description: 'The version of the draft the change was made on (leave out for the first draft)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version?: number;

  @ApiPropertyOptional({ example: '2026-03-02', description: 'The day the award became ineffective for the refund: the first interest day (default: the first payout\'s value date)' })
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  revokedFrom?: string;

  @ApiPropertyOptional({ example: '2027-01-29', description: 'The day by which the total is to be paid (default: one month after today, Europe/Berlin); interest is computed until it' })
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  paymentDueOn?: string;

  @ApiPropertyOptional({ description: 'Waive the interest (true: a written reason is required), or claim it again (false)' })
  @IsOptional() @IsBoolean()
  waiveInterest?: boolean;

  @ApiPropertyOptional({ description: 'The written reason for waiving the interest (§ 49a Abs. 3 S. 2 VwVfG); an empty text claims interest again' })
  @IsOptional() @IsString() @MaxLength(5000)
  interestWaiver?: string;
}

/** The office records the money that came back for a released claim. */
export class ClaimRepaymentDto {
  @ApiProperty({ example: '2027-01-20', description: 'The day the money reached the city\'s account (Europe/Berlin)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  repaidOn: string;

  @ApiProperty({ example: 104_512, description: 'The amount received in cents: at least the total claimed' })
  @IsInt({ message: 'validation.money' }) @Min(1, { message: 'validation.positive' }) @Max(MAX_CENTS, { message: 'validation.max' })
  receivedCents: number;
}
