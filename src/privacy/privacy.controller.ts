import { Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { sendPage } from '../web/page.js';
import { AccessReportService } from './access-report.service.js';
import { RetentionService } from './retention.service.js';

/** The retention page (office and administration read, the administrator starts a run) and the access report download. */
@ApiExcludeController()
@Controller()
export class PrivacyPagesController {
  constructor(
    private readonly retention: RetentionService,
    private readonly accessReports: AccessReportService,
  ) {}

  @Get('admin/retention')
  @Roles('office', 'admin')
  async retentionPage(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, 'pages/admin/retention.njk', { ...(await this.retention.overview(actor)), canRun: actor.roles.includes('admin') });
  }

  @Post('admin/retention/run')
  @Roles('admin')
  async run(@CurrentActor() actor: Actor, @Res() res: Response) {
    await this.retention.requestRun(actor);
    res.redirect(303, '/admin/retention?notice=retentionRunQueued');
  }

  @Get('office/organisations/:id/access-report.zip')
  @Roles('office', 'admin')
  async accessReport(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const { filename, zip } = await this.accessReports.export(actor, id);
    res.type('application/zip').attachment(filename).send(zip);
  }
}
