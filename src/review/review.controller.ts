import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CHECK_ITEMS } from '../applications/application.entities.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { CallsService } from '../calls/calls.service.js';
import { parseDto } from '../common/validation.js';
import type { Language } from '../web/i18n.js';
import { handleForm, sendChunks, sendPage } from '../web/page.js';
import { ChecklistDto, DecisionDto, OUTCOMES, RejectionPreviewDto } from './dto/decision.dto.js';
import { ReviewService, WORKLIST_STATUSES, type WorklistFilter } from './review.service.js';

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
  async worklist(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Query('status') status: string | undefined,
    @Query('fieldOfAction') fieldOfAction: string | undefined,
    @Query('page') page: string | undefined,
    @Res() res: Response,
  ) {
    const worklist = await this.review.worklistWithCall(actor, id, { status, fieldOfAction, page });
    const query = filterQuery(worklist.filter);
    sendPage(res, 'pages/review/worklist.njk', { ...worklist, statuses: WORKLIST_STATUSES, csvQuery: query, pageLinks: pageLinks(`/office/calls/${id}/applications`, query, worklist.page, worklist.pages) });
  }

  @Get('office/calls/:id/applications.csv')
  @Roles('office', 'admin')
  async csv(@CurrentActor() actor: Actor, @Param('id') id: string, @Query('status') status: string | undefined, @Query('fieldOfAction') fieldOfAction: string | undefined, @Res() res: Response) {
    const call = await this.calls.get(actor, id);
    const csv = await this.review.csv(actor, id, { status, fieldOfAction });
    res.type('text/csv; charset=utf-8').attachment(`Antraege-${call.year}.csv`);
    await sendChunks(res, csv);
  }

  @Get('office/applications/:id')
  @Roles('office', 'admin')
  async dossier(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, 'pages/review/dossier.njk', await this.context(actor, id));
  }

  @Post('office/applications/:id/checklist')
  @Roles('office')
  async checklist(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.context(actor, id);
    await handleForm(res, { template: 'pages/review/dossier.njk', context, values: { ...body, checks: asList(body.checks) } }, async () => {
      await this.review.saveChecklist(actor, id, await parseDto(ChecklistDto, { checks: body.checks, version: body.version }));
      res.redirect(303, `/office/applications/${id}?notice=saved`);
    });
  }

  /**
   * "Ineligible" first shows the letter to be sent (preview step) and changes nothing; only
   * "Bescheid senden" on that page records the decision and sends the letter.
   */
  @Post('office/applications/:id/decision')
  @Roles('office')
  async decide(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const { step, ...fields } = body;
    const context = await this.context(actor, id);
    const values = { ...fields, checks: asList(fields.checks) };
    if (step === 'edit') {
      sendPage(res, 'pages/review/dossier.njk', { ...context, values });
      return;
    }
    await handleForm(res, { template: 'pages/review/dossier.njk', context, values }, async () => {
      const dto = await parseDto(DecisionDto, fields);
      if (dto.outcome === 'ineligible' && step !== 'send') {
        await this.review.checkRejectable(actor, id, dto.version);
        sendPage(res, 'pages/review/rejection-preview.njk', { ...context, decision: dto });
        return;
      }
      const decided = await this.review.decide(actor, id, dto);
      res.redirect(303, `/office/applications/${id}?notice=review.${decided.status}`);
    });
  }

  /** The letter as it would go out with the reason entered, marked as a draft; nothing is saved or sent. */
  @Post('office/applications/:id/rejection-letter-preview.pdf')
  @Roles('office')
  @HttpCode(200)
  async letterPreview(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const dto = await parseDto(RejectionPreviewDto, { reason: body.reason, version: body.version });
    const { referenceNumber, pdf } = await this.review.previewRejection(actor, id, dto, res.locals.lang as Language);
    res.type('application/pdf').attachment(`Entwurf-Ablehnungsbescheid-${referenceNumber}.pdf`).send(pdf);
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

/** A form sends no field for no ticked box, a string for one and a list for several. */
function asList(value: unknown): unknown[] {
  return value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value];
}

/**
 * The links of the page navigation: previous, next, the first and last page and those near the
 * current one (gaps are null), each keeping the filter.
 */
export function pageLinks(path: string, query: string, page: number, pages: number) {
  const href = (n: number) => `${path}?${query ? `${query}&` : ''}page=${n}`;
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const numbers: ({ page: number; href: string; current: boolean } | null)[] = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1] > 1) numbers.push(null);
    numbers.push({ page: n, href: href(n), current: n === page });
  });
  return { previous: page > 1 ? href(page - 1) : null, next: page < pages ? href(page + 1) : null, numbers };
}

/** The filter in effect as a query string; a filter not set is left out rather than sent as "undefined". */
export function filterQuery(filter: WorklistFilter): string {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.fieldOfAction) params.set('fieldOfAction', filter.fieldOfAction);
  return params.toString();
}
