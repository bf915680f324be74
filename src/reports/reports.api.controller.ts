import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { BaseRateDto } from './dto/base-rate.dto.js';
import { ReportsService } from './reports.service.js';

@ApiTags('controlling')
@ApiCookieAuth()
@Controller('api/v1')
export class ReportsApiController {
  constructor(private readonly reports: ReportsService) {}

  @Get('base-rates')
  @Roles('office', 'admin')
  @ApiOperation({ summary: 'The base rates (§ 247 BGB) by the day they take effect, in basis points' })
  baseRates(@CurrentActor() actor: Actor) {
    return this.reports.baseRates(actor);
  }

  @Put('base-rates/:validFrom')
  @Roles('office')
  @ApiOperation({ summary: 'Sets the base rate from 1 January or 1 July of a year (422 for any other day); answers the whole table' })
  setBaseRate(@CurrentActor() actor: Actor, @Param('validFrom') validFrom: string, @Body() dto: BaseRateDto) {
    return this.reports.setBaseRate(actor, validFrom, dto);
  }
}
