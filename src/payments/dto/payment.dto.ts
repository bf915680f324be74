import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { toCents } from '../../common/money.js';
import { MAX_CENTS, emptyToUndefined } from '../../common/validation.js';

/** A payment request (Mittelabruf): how much, by when, for what. */
export class PaymentRequestDto {
  @ApiProperty({ example: 150000, description: 'cents; at most what is left of the award' })
  @Transform(toCents) @IsNotEmpty() @IsInt({ message: 'validation.money' }) @Min(1, { message: 'validation.positive' }) @Max(MAX_CENTS, { message: 'validation.max' })
  amountCents: number;

  @ApiProperty({ example: '2027-02-01', description: 'The day the money is needed (Europe/Berlin); within the call\'s payment window' })
  @Transform(emptyToUndefined) @IsNotEmpty({ message: 'validation.date' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  neededOn: string;

  @ApiProperty({ example: 'Honorare der Kursleitung Februar und März' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(300)
  purpose: string;
}

export class PaymentRejectionDto {
  @ApiProperty({ description: 'Why the request is refused; the grantee reads it' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(2000)
  reason: string;
}
