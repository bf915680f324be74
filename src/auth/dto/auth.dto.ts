import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { emptyToUndefined } from '../../common/validation.js';
import { ROLES, type Role } from '../roles.js';

export const PASSWORD_MIN_LENGTH = 10;

export class LoginDto {
  @ApiProperty({ example: 'geschaeftsstelle@demo.foerdertisch.de' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsEmail({}, { message: 'validation.email' }) @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsNotEmpty() @IsString() @MaxLength(200)
  password: string;
}

export class SetPasswordDto {
  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH })
  @IsNotEmpty() @IsString() @MinLength(PASSWORD_MIN_LENGTH, { message: 'validation.passwordTooShort' }) @MaxLength(200)
  password: string;

  @ApiProperty()
  @IsNotEmpty() @IsString() @MaxLength(200)
  passwordRepeat: string;
}

export class RequestResetDto {
  @ApiProperty()
  @Transform(emptyToUndefined) @IsNotEmpty() @IsEmail({}, { message: 'validation.email' }) @MaxLength(254)
  email: string;
}

export class RegisterDto {
  @ApiProperty()
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(200)
  fullName: string;

  @ApiProperty()
  @Transform(emptyToUndefined) @IsNotEmpty() @IsEmail({}, { message: 'validation.email' }) @MaxLength(254)
  email: string;
}

export class InviteDto extends RegisterDto {
  @ApiProperty({ enum: ROLES, isArray: true })
  @Transform(({ value }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]))
  @IsArray() @ArrayNotEmpty() @IsIn(ROLES, { each: true, message: 'validation.choice' })
  roles: Role[];

  @ApiProperty({ required: false, description: 'Organisation the invited applicant will act for' })
  @Transform(emptyToUndefined) @IsOptional() @IsUUID()
  organisationId?: string;

  @ApiProperty({ required: false, enum: ['de', 'en'] })
  @Transform(emptyToUndefined) @IsOptional() @IsIn(['de', 'en'])
  language?: 'de' | 'en';
}
