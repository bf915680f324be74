import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { emptyToUndefined, MAX_INT4 } from '../../common/validation.js';
import { VISIT_CHECK_RESULTS, VISIT_CHECKLIST } from '../visits.rules.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A visit planned for a funded project: the day and who goes (names as free text). */
export class PlanVisitDto {
  @ApiProperty({ example: '2027-06-15', description: 'The planned day (Europe/Berlin)' })
  @Transform(emptyToUndefined) @IsNotEmpty({ message: 'validation.date' }) @Matches(DAY, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  visitOn: string;

  @ApiProperty({ example: 'Jonas Becker, Aylin Şahin', description: 'The staff who visit, as names' })
  @Transform(emptyToUndefined) @IsNotEmpty() @IsString() @MaxLength(300)
  staff: string;
}

/** A change of a planned visit; with the version read, a concurrent change is refused with 409. */
export class UpdateVisitDto {
  @ApiPropertyOptional({ example: '2027-06-22' })
  @IsOptional() @Transform(emptyToUndefined) @Matches(DAY, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  visitOn?: string;

  @ApiPropertyOptional({ example: 'Jonas Becker' })
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) @IsNotEmpty() @IsString() @MaxLength(300)
  staff?: string;

  @ApiPropertyOptional({ description: 'The version of the visit the change was made on' })
  @IsOptional() @Transform(emptyToUndefined) @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version?: number;
}

/** The protocol of a visit that took place: the day, each point of the checklist, notes. */
export class VisitProtocolDto {
  @ApiProperty({ example: '2027-06-15', description: 'The day the visit took place; not in the future' })
  @Transform(emptyToUndefined) @IsNotEmpty({ message: 'validation.date' }) @Matches(DAY, { message: 'validation.date' }) @IsISO8601({ strict: true }, { message: 'validation.date' })
  visitOn: string;

  @ApiProperty({
    description: `Each point of the checklist (${VISIT_CHECKLIST.join(', ')}) with its finding: ${VISIT_CHECK_RESULTS.join(', ')}`,
    example: Object.fromEntries(VISIT_CHECKLIST.map((item) => [item, 'yes'])),
  })
  @IsNotEmpty() @IsObject()
  checklist: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'Gut besucht, Plakat mit Stadtlogo am Eingang.' })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(5000)
  notes?: string;

  @ApiPropertyOptional({ description: 'The version of the visit the protocol was written on' })
  @IsOptional() @Transform(emptyToUndefined) @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT4)
  version?: number;
}
