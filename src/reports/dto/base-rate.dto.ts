import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { emptyToUndefined } from '../../common/validation.js';

/** A base rate in basis points (1.27 % = 127), as the Bundesbank published it. */
export class BaseRateDto {
  @ApiProperty({ example: 127, description: 'The base rate in basis points (hundredths of a percent); may be negative' })
  @IsInt({ message: 'reports.basisPointsWhole' }) @Min(-1000) @Max(2000)
  basisPoints: number;

  @ApiPropertyOptional({ example: 'Deutsche Bundesbank, Bekanntmachung vom 30.12.2025' })
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(300)
  source?: string;
}
