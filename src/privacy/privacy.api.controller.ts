import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { AccessReportService } from './access-report.service.js';
import { RetentionService } from './retention.service.js';

@ApiTags('privacy')
@ApiCookieAuth()
@Controller('api/v1')
export class PrivacyApiController {
  constructor(
    private readonly retention: RetentionService,
    private readonly accessReports: AccessReportService,
  ) {}

  @Get('privacy/retention')
  @Roles('office', 'admin')
  @ApiOperation({ summary: 'The retention settings in force, every grant whose data is still held with what and when it is deleted (soonest first), and the latest deletions' })
  retentionOverview(@CurrentActor() actor: Actor) {
    return this.retention.overview(actor);
  }

  @Post('privacy/retention/run')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({ summary: 'Queues a run of the retention job now (audited); it deletes what is due and nothing twice' })
  runRetention(@CurrentActor() actor: Actor) {
    return this.retention.requestRun(actor);
  }

  @Get('organisations/:id/access-report')
  @Roles('applicant', 'office', 'admin')
  @ApiProduces('application/zip')
  @ApiOperation({ summary: "Everything held about an organisation and its people as one zip (Art. 15 DSGVO): organisation.json and the documents; audited. An applicant only for their own organisation (404 otherwise)" })
  async accessReport(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const { filename, zip } = await this.accessReports.export(actor, id);
    res.type('application/zip').attachment(filename).send(zip);
  }
}
