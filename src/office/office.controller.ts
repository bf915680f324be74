import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, OptionalActor, Public, Roles } from '../auth/guards.js';
import { startPageFor } from '../auth/roles.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { AuditService } from '../audit/audit.service.js';
import { CallsService } from '../calls/calls.service.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { RoundTableService } from '../round-table/round-table.service.js';
import { VisitsService } from '../visits/visits.service.js';
import { sendPage } from '../web/page.js';

/** The start page, the office's overview, the administrator's audit page and the public information pages. */
@ApiExcludeController()
@Controller()
export class StartPagesController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly roundTable: RoundTableService,
    private readonly applications: ApplicationsService,
    private readonly calls: CallsService,
    private readonly audit: AuditService,
    private readonly visits: VisitsService,
  ) {}

  @Get()
  @Public()
  home(@OptionalActor() actor: Actor | undefined, @Res() res: Response) {
    if (actor) return res.redirect(303, startPageFor(actor.roles));
    sendPage(res, 'pages/home.njk');
  }

  @Get('office')
  @Roles('office', 'admin')
  async office(@CurrentActor() actor: Actor, @Res() res: Response) {
    const [counts, pending, members, applications, calls, visitsDue] = await Promise.all([
      this.organisations.statusCounts(),
      this.organisations.list(actor, { status: 'pending' }),
      this.roundTable.list(actor),
      this.applications.list(actor),
      this.calls.list(actor),
      this.visits.endingSoon(actor),
    ]);
    const voting = members.filter((m) => m.votingRight === 'voting' && m.kind === 'member').length;
    sendPage(res, 'pages/office/dashboard.njk', {
      counts: Object.fromEntries(counts.map((c) => [c.status, c.count])),
      pending,
      toCheck: applications.filter((a) => a.status === 'submitted' || a.status === 'in_formal_check').length,
      calls: calls.filter((c) => c.status !== 'archived'),
      visitsDue,
      memberCounts: { voting, advisory: members.filter((m) => m.votingRight === 'advisory').length, deputies: members.filter((m) => m.kind === 'deputy').length },
    });
  }

  @Get('admin')
  @Roles('admin')
  async admin(@Query('entityType') entityType: string | undefined, @Query('before') before: string | undefined, @Res() res: Response) {
    const events = await this.audit.list({ entityType: entityType || undefined, beforeId: before, limit: 100 });
    sendPage(res, 'pages/admin/audit.njk', { events, entityType, nextBefore: events.length === 100 ? events[events.length - 1].id : undefined });
  }

  @Get('accessibility')
  @Public()
  accessibility(@Res() res: Response) {
    sendPage(res, 'pages/accessibility.njk');
  }
}
