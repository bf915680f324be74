import { Controller, Get, Param } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { MonitoringService } from './monitoring.service.js';

@ApiTags('monitoring')
@ApiCookieAuth()
@Controller('api/v1/monitoring')
export class MonitoringApiController {
  constructor(private readonly monitoring: MonitoringService) {}

  @Get('years')
  @Roles('office', 'admin', 'chair', 'voting_member', 'advisory_member')
  @ApiOperation({ summary: 'The indicators per year across all calls (drafts left out), with the list of calls; for the office and the round table' })
  years(@CurrentActor() actor: Actor) {
    return this.monitoring.ofYears(actor);
  }

  @Get('calls/:id')
  @Roles('office', 'admin', 'chair', 'voting_member', 'advisory_member')
  @ApiOperation({ summary: "A call's indicators: in total, by field of action and by district (participants planned and reached, projects, money, reports, visits); 404 for a draft" })
  call(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.monitoring.ofCall(actor, id);
  }
}
