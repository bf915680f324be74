import { Body, Controller, Get, Param, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { NotFound } from '../common/errors.js';
import { parseDto } from '../common/validation.js';
import { handleForm, sendPage } from '../web/page.js';
import { PlanVisitDto, UpdateVisitDto, VisitProtocolDto } from './dto/visit.dto.js';
import type { FormUploadRequest } from '../web/form-upload.js';
import { PhotoUploadInterceptor } from './photo-upload.js';
import { VISIT_CHECK_RESULTS, VISIT_CHECKLIST } from './visits.rules.js';
import { MAX_PHOTO_BYTES, VisitsService } from './visits.service.js';

const COVERAGE = 'pages/visits/coverage.njk';
const VISIT = 'pages/visits/visit.njk';
const REPORTS = 'pages/visits/reports.njk';

/** Labels of the visit forms' fields in the page's error summary. */
const ERROR_LABEL_KEYS = {
  visitOn: 'field.visitOn',
  staff: 'field.staff',
  notes: 'field.visitNotes',
  file: 'field.photo',
  ...Object.fromEntries(VISIT_CHECKLIST.map((item) => [`checklist.${item}`, `siteVisits.check.${item}`])),
};

/**
 * The office's site-visit pages: a call's coverage with a plan form per funded project, each visit
 * with its protocol and photos; and the round table's list of visit reports per call.
 */
@ApiExcludeController()
@Controller()
export class VisitsPagesController {
  constructor(private readonly visits: VisitsService) {}

  @Get('office/calls/:id/visits')
  @Roles('office', 'admin')
  async coverage(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, COVERAGE, await this.coverageContext(actor, id));
  }

  @Post('office/calls/:id/visits/:decisionId')
  @Roles('office')
  async plan(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('decisionId') decisionId: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.coverageContext(actor, id);
    if (!context.projects.some((p) => p.decisionId === decisionId)) throw new NotFound('decision');
    await handleForm(res, { template: COVERAGE, context: { ...context, failedId: decisionId }, values: { visitOn: body.visitOn, staff: body.staff } }, async () => {
      const visit = await this.visits.plan(actor, decisionId, await parseDto(PlanVisitDto, { visitOn: body.visitOn, staff: body.staff }));
      res.redirect(303, `/office/visits/${visit.id}?notice=siteVisits.planned`);
    });
  }

  @Get('office/visits/:id')
  @Roles('office', 'admin')
  async show(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const context = await this.visitContext(actor, id);
    sendPage(res, VISIT, { ...context, values: { visitOn: context.visit.visitOn, staff: context.visit.staff, version: context.visit.version } });
  }

  @Post('office/visits/:id')
  @Roles('office')
  async update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.visitContext(actor, id);
    const values = { visitOn: body.visitOn, staff: body.staff, version: body.version };
    await handleForm(res, { template: VISIT, context: { ...context, failedForm: 'plan' }, values }, async () => {
      await this.visits.update(actor, id, await parseDto(UpdateVisitDto, { ...values, staff: body.staff ?? '' }));
      res.redirect(303, `/office/visits/${id}?notice=saved`);
    });
  }

  @Post('office/visits/:id/protocol')
  @Roles('office')
  async record(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.visitContext(actor, id);
    const checklist = typeof body.checklist === 'object' && body.checklist !== null ? body.checklist : {};
    const values = { protocolOn: body.visitOn, checklist, notes: body.notes, version: body.version };
    await handleForm(res, { template: VISIT, context: { ...context, failedForm: 'protocol' }, values }, async () => {
      await this.visits.record(actor, id, await parseDto(VisitProtocolDto, { visitOn: body.visitOn, checklist, notes: body.notes, version: body.version }));
      res.redirect(303, `/office/visits/${id}?notice=siteVisits.recorded`);
    });
  }

  @Post('office/visits/:id/photos')
  @Roles('office')
  @UseInterceptors(PhotoUploadInterceptor)
  async addPhoto(@CurrentActor() actor: Actor, @Param('id') id: string, @UploadedFile() file: { buffer: Buffer; originalname: string } | undefined, @Req() req: FormUploadRequest, @Res() res: Response) {
    const context = await this.visitContext(actor, id);
    await handleForm(res, { template: VISIT, context: { ...context, failedForm: 'photo' }, values: {} }, async () => {
      await this.visits.addPhoto(actor, id, file, req.uploadTooLarge === true);
      res.redirect(303, `/office/visits/${id}?notice=siteVisits.photoAdded#photos`);
    });
  }

  @Get('office/visits/:id/photos/:photoId')
  @Roles('office')
  async photo(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('photoId') photoId: string, @Res() res: Response) {
    const photo = await this.visits.photo(actor, id, photoId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type(photo.contentType).attachment(photo.filename).send(photo.content);
  }

  @Get('visit-reports')
  @Roles('office', 'admin', 'chair', 'voting_member', 'advisory_member')
  async reports(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, REPORTS, { calls: await this.visits.reportCalls(actor) });
  }

  @Get('visit-reports/:id/report.pdf')
  @Roles('office', 'admin', 'chair', 'voting_member', 'advisory_member')
  async report(@CurrentActor() actor: Actor, @Param('id') id: string, @Query('lang') lang: string | undefined, @Res() res: Response) {
    const { call, pdf } = await this.visits.report(actor, id, lang === 'en' ? 'en' : 'de');
    res.type('application/pdf').attachment(`Besuchsbericht-${call.year}.pdf`).send(pdf);
  }

  private async coverageContext(actor: Actor, callId: string) {
    const coverage = await this.visits.coverage(actor, callId);
    return { ...coverage, canAct: actor.roles.includes('office'), errorLabelKeys: ERROR_LABEL_KEYS };
  }

  private async visitContext(actor: Actor, id: string) {
    const { visit, project } = await this.visits.get(actor, id);
    return {
      visit, project, checklistItems: VISIT_CHECKLIST, checkResults: VISIT_CHECK_RESULTS, maxPhotoMb: MAX_PHOTO_BYTES / 1024 / 1024,
      canAct: actor.roles.includes('office'), errorLabelKeys: ERROR_LABEL_KEYS,
    };
  }
}
