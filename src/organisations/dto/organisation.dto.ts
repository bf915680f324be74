import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsISO8601, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { LEGAL_FORM_KEYS, NEUSS_DISTRICTS, REGISTERED_LEGAL_FORMS, type LegalForm } from '../../common/neuss.js';
import { IsIban, MAX_INT4, emptyToUndefined, toBoolean } from '../../common/validation.js';

/** Register court and number are required for legal forms entered in a register, optional otherwise. */
function requiresRegister(o: OrganisationDto, value: unknown): boolean {
  return REGISTERED_LEGAL_FORMS.includes(o.legalForm) || value !== undefined;
}

/** The organisation profile as entered by an applicant or the office. */
export class OrganisationDto {
  @ApiProperty({ example: 'Raum der Kulturen Neuss e.V.' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(200)
  name: string;

  @ApiProperty({ enum: LEGAL_FORM_KEYS })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsIn(LEGAL_FORM_KEYS)
  legalForm: LegalForm;

  @ApiPropertyOptional({ example: 'Amtsgericht Neuss', description: 'Required for registered legal forms (e.V., gGmbH, gUG)' })
  @Transform(emptyToUndefined) @ValidateIf(requiresRegister) @IsNotEmpty({ message: 'validation.requiredForRegistered' }) @IsString() @MaxLength(120)
  registerCourt?: string;

  @ApiPropertyOptional({ example: 'VR 1234', description: 'Required for registered legal forms (e.V., gGmbH, gUG)' })
  @Transform(emptyToUndefined) @ValidateIf(requiresRegister) @IsNotEmpty({ message: 'validation.requiredForRegistered' }) @IsString() @MaxLength(40)
  registerNumber?: string;

  @ApiProperty()
  @Transform(toBoolean) @IsBoolean()
  nonProfit: boolean = false;

  @ApiPropertyOptional({ example: '2027-12-31', description: 'Expiry of the non-profit certificate (Freistellungsbescheid); required when nonProfit' })
  @Transform(emptyToUndefined) @ValidateIf((o: OrganisationDto) => o.nonProfit === true || o.nonProfitCertificateExpiresOn !== undefined)
  @IsNotEmpty({ message: 'validation.requiredForNonProfit' }) @IsISO8601({ strict: true }, { message: 'validation.date' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.date' })
  nonProfitCertificateExpiresOn?: string;

  @ApiProperty({ example: 'Hymgasse 19' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(200)
  street: string;

  @ApiProperty({ example: '41460' })
  @Transform(emptyToUndefined) @IsNotEmpty() @Matches(/^\d{5}$/, { message: 'validation.postalCode' })
  postalCode: string;

  @ApiProperty({ example: 'Neuss' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(120)
  city: string;

  @ApiProperty({ enum: NEUSS_DISTRICTS })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsIn(NEUSS_DISTRICTS, { message: 'validation.district' })
  district: string;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined) @IsOptional() @IsEmail({}, { message: 'validation.email' }) @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^[+\d][\d\s/()-]{4,30}$/, { message: 'validation.phone' })
  phone?: string;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined) @IsOptional() @IsUrl({ require_protocol: true, protocols: ['http', 'https'] }, { message: 'validation.url' }) @MaxLength(300)
  website?: string;

  @ApiProperty({ example: 'DE89 3704 0044 0532 0130 00' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsIban()
  iban: string;

  @ApiPropertyOptional({ example: 'COBADEFFXXX' })
  @Transform(({ value }) => (typeof emptyToUndefined({ value }) === 'string' ? String(value).trim().toUpperCase() : undefined))
  @IsOptional() @Matches(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, { message: 'validation.bic' })
  bic?: string;

  @ApiProperty()
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(200)
  accountHolder: string;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(120)
  bankName?: string;
}

/** An update names the version it was made from, so that a concurrent change is not overwritten. */
export class UpdateOrganisationDto extends OrganisationDto {
  @ApiProperty({ description: 'The version the change is based on (optimistic locking)' })
  @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version: number;
}

export class ContactDto {
  @ApiProperty()
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(200)
  fullName: string;

  @ApiPropertyOptional({ example: 'Vorsitzende' })
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(120)
  function?: string;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined) @IsOptional() @IsEmail({}, { message: 'validation.email' }) @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^[+\d][\d\s/()-]{4,30}$/, { message: 'validation.phone' })
  phone?: string;

  @ApiProperty()
  @Transform(toBoolean) @IsBoolean()
  isPrimary: boolean = false;
}
