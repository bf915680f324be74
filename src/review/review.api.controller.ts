import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import type { Language } from '../web/i18n.js';
import { sendChunks } from '../web/page.js';
import { ChecklistDto, DecisionDto, RejectionPreviewDto } from './dto/decision.dto.js';
import { applicationForStaff } from '../applications/application.views.js';
import { ReviewService } from './review.service.js';

@ApiTags('review')
@ApiCookieAuth()
@Controller('api/v1')
@Roles('office', 'admin')
export class ReviewApiController {
  constructor(private readonly review: ReviewService) {}

  @Get('calls/:id/applications')
  @ApiOperation({ summary: "A call's submitted applications, a page at a time (`page` from 1, `pageSize` up to 200, default 50), with the number matching (`total`) and the sum requested against the budget" })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number })
  @ApiQuery({ name: 'status', required: false, type: String })
  @ApiQuery({ name: 'fieldOfAction', required: false, type: String })
  worklist(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Query('status') status?: string,
    @Query('fieldOfAction') fieldOfAction?: string,
    @Query('page') page?: string,
    @Query('pageSize') pageSize?: string,
  ) {
    return this.review.worklist(actor, id, { status, fieldOfAction, page, pageSize });
  }

  @Get('calls/:id/applications.csv')
  @ApiProduces('text/csv')
  async csv(@CurrentActor() actor: Actor, @Param('id') id: string, @Query('status') status: string | undefined, @Query('fieldOfAction') fieldOfAction: string | undefined, @Res() res: Response) {
    // The filter is checked before the type is set, so that a refused filter is answered as JSON.
    const csv = await this.review.csv(actor, id, { status, fieldOfAction });
    res.type('text/csv; charset=utf-8');
    await sendChunks(res, csv);
  }

  @Get('applications/:id/dossier')
  @ApiOperation({ summary: 'The application as the office checks it, with the checklist facts the system can see' })
  dossier(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.review.dossier(actor, id);
  }

  @Post('applications/:id/checklist')
  @HttpCode(200)
  @Roles('office')
  async checklist(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ChecklistDto) {
    return applicationForStaff(await this.review.saveChecklist(actor, id, dto));
  }

  @Post('applications/:id/rejection-letter/preview')
  @HttpCode(200)
  @Roles('office')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The rejection letter for this reason as a draft PDF, to check before deciding "ineligible"; saves and sends nothing' })
  async rejectionPreview(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: RejectionPreviewDto, @Res() res: Response) {
    const { referenceNumber, pdf } = await this.review.previewRejection(actor, id, dto, res.locals.lang as Language);
    res.type('application/pdf').attachment(`Entwurf-Ablehnungsbescheid-${referenceNumber}.pdf`).send(pdf);
  }

  @Post('applications/:id/decision')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Eligible, changes requested or ineligible (records the decision and sends the rejection letter: see the preview first); 409 when the application changed meanwhile' })
  async decide(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: DecisionDto) {
    return applicationForStaff(await this.review.decide(actor, id, dto));
  }
}
