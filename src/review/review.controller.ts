import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CHECK_ITEMS } from '../applications/application.entities.js';
import { APPLICATION_STATUSES } from '../applications/application.machine.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { CallsService } from '../calls/calls.service.js';
import { parseDto } from '../common/validation.js';
import type { Language } from '../web/i18n.js';
import { handleForm, sendPage } from '../web/page.js';
import { ChecklistDto, DecisionDto, OUTCOMES } from './dto/decision.dto.js';
import { ReviewService } from './review.service.js';

/** The office's worklist per call and the formal check of each application. */
@ApiExcludeController()
@Controller()
export class ReviewPagesController {
  constructor(
    private readonly review: ReviewService,
    private readonly calls: CallsService,
  ) {}

  @Get('office/calls/:id/applications')
  @Roles('office', 'admin')
  async worklist(@CurrentActor() actor: Actor, @Param('id') id: string, @Query('status') status: string | undefined, @Query('fieldOfAction') fieldOfAction: string | undefined, @Res() res: Response) {
    const filter = { status: status || undefined, fieldOfAction: fieldOfAction || undefined };
    const [call, worklist] = await Promise.all([this.calls.get(actor, id), this.review.worklist(actor, id, filter)]);
    sendPage(res, 'pages/review/worklist.njk', { call, ...worklist, filter, statuses: APPLICATION_STATUSES.filter((s) => s !== 'draft'), query: new URLSearchParams(filter as Record<string, string>).toString() });
  }

  @Get('office/calls/:id/applications.csv')
  @Roles('office', 'admin')
  async csv(@CurrentActor() actor: Actor, @Param('id') id: string, @Query('status') status: string | undefined, @Query('fieldOfAction') fieldOfAction: string | undefined, @Res() res: Response) {
    const call = await this.calls.get(actor, id);
    const csv = await this.review.csv(actor, id, { status: status || undefined, fieldOfAction: fieldOfAction || undefined });
    res.type('text/csv; charset=utf-8').attachment(`Antraege-${call.year}.csv`).send(csv);
  }

  @Get('office/applications/:id')
  @Roles('office', 'admin')
  async dossier(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, 'pages/review/dossier.njk', await this.context(actor, id));
  }

  @Post('office/applications/:id/checklist')
  @Roles('office', 'admin')
  async checklist(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.context(actor, id);
    await handleForm(res, { template: 'pages/review/dossier.njk', context, values: body }, async () => {
      await this.review.saveChecklist(actor, id, await parseDto(ChecklistDto, { checks: body.checks, version: body.version }));
      res.redirect(303, `/office/applications/${id}?notice=saved`);
    });
  }

  @Post('office/applications/:id/decision')
  @Roles('office', 'admin')
  async decide(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.context(actor, id);
    await handleForm(res, { template: 'pages/review/dossier.njk', context, values: body }, async () => {
      const decided = await this.review.decide(actor, id, await parseDto(DecisionDto, body));
      res.redirect(303, `/office/applications/${id}?notice=review.${decided.status}`);
    });
  }

  @Get('applications/:id/rejection-letter.pdf')
  @Roles('applicant', 'office', 'admin')
  async letter(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const { referenceNumber, pdf } = await this.review.rejectionLetter(actor, id, res.locals.lang as Language);
    res.type('application/pdf').attachment(`Ablehnungsbescheid-${referenceNumber}.pdf`).send(pdf);
  }

  private async context(actor: Actor, id: string) {
    const dossier = await this.review.dossier(actor, id);
    return { ...dossier, checkItems: CHECK_ITEMS, outcomes: OUTCOMES, values: { checks: CHECK_ITEMS.filter((item) => dossier.application.checkList[item]) } };
  }
}
