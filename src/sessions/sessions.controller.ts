import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles, VisibleTo } from '../auth/guards.js';
import { SESSION_READERS } from '../auth/roles.js';
import { CallsService } from '../calls/calls.service.js';
import { berlinDay, berlinInstant, berlinTime, isCalendarDay } from '../common/dates.js';
import { Conflict, ValidationFailed } from '../common/errors.js';
import { parseDto, renameFields } from '../common/validation.js';
import { RoundTableService } from '../round-table/round-table.service.js';
import { handleForm, sendPage } from '../web/page.js';
import { AttendanceDto, BallotCountsDto, CancelSessionDto, CloseItemDto, ConflictDto, RatingDto, RecommendationDto, ScheduleSessionDto, ShowOfHandsDto, UpdateSessionDto, VoteDto } from './dto/session.dto.js';
import { SessionDocumentsService } from './session-documents.service.js';
import { SessionsService } from './sessions.service.js';
import type { Language } from '../web/i18n.js';

/** Pages of the closed sessions: scheduling, the session itself (by role), the live view, the ranking. */
@ApiExcludeController()
@Controller()
@VisibleTo(...SESSION_READERS)
export class SessionsPagesController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly calls: CallsService,
    private readonly roundTable: RoundTableService,
    private readonly documents: SessionDocumentsService,
  ) {}

  @Get('sessions')
  async list(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, 'pages/sessions/list.njk', { sessions: await this.sessions.list(actor), calls: await this.calls.list(actor) });
  }

  @Get('office/sessions/new')
  @Roles('office', 'admin')
  async newForm(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, 'pages/sessions/new.njk', await this.newContext(actor));
  }

  @Post('office/sessions')
  @Roles('office', 'admin')
  async schedule(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const { date, time, ...rest } = body;
    await handleForm(res, { template: 'pages/sessions/new.njk', context: await this.newContext(actor), values: body }, async () => {
      const dto = await parseDto(ScheduleSessionDto, { ...rest, scheduledAt: scheduledAtFrom(date, time) }).catch(renameFields({ scheduledAt: 'date' }));
      const session = await this.sessions.schedule(actor, dto).catch(renameFields({ scheduledAt: 'date' }));
      res.redirect(303, `/sessions/${session.id}?notice=session.scheduled`);
    });
  }

  @Get('office/sessions/:id/edit')
  @Roles('office', 'admin')
  async editForm(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const context = await this.editContext(actor, id);
    const { session } = context;
    const values = { date: berlinDay(session.scheduledAt), time: berlinTime(session.scheduledAt), place: session.place, chairMemberId: session.chairMemberId, version: session.version };
    sendPage(res, 'pages/sessions/edit.njk', { ...context, values });
  }

  @Post('office/sessions/:id/edit')
  @Roles('office', 'admin')
  async update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.editContext(actor, id);
    await handleForm(res, { template: 'pages/sessions/edit.njk', context, values: body }, async () => {
      const input = { scheduledAt: scheduledAtFrom(body.date, body.time) ?? 'invalid', place: body.place ?? '', chairMemberId: body.chairMemberId || null, version: body.version };
      const dto = await parseDto(UpdateSessionDto, input).catch(renameFields({ scheduledAt: 'date' }));
      // The form sends every field: an emptied place is missing, not left as it was.
      if (dto.place === undefined) throw new ValidationFailed({ place: ['validation.required'] });
      await this.sessions.update(actor, id, dto).catch(renameFields({ scheduledAt: 'date' }));
      res.redirect(303, `/sessions/${id}?notice=session.updated`);
    });
  }

  @Get('office/sessions/:id/cancel')
  @Roles('office', 'admin')
  async cancelForm(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, 'pages/sessions/cancel.njk', { ...(await this.editContext(actor, id)), values: {} });
  }

  @Post('office/sessions/:id/cancel')
  @Roles('office', 'admin')
  async cancel(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.editContext(actor, id);
    await handleForm(res, { template: 'pages/sessions/cancel.njk', context, values: body }, async () => {
      // The page names the field after what it is for ("Grund der Absage").
      const dto = await parseDto(CancelSessionDto, { reason: body.cancellationReason }).catch(renameFields({ reason: 'cancellationReason' }));
      await this.sessions.cancel(actor, id, dto);
      res.redirect(303, `/sessions/${id}?notice=session.cancelled`);
    });
  }

  @Get('sessions/:id')
  async show(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, 'pages/sessions/show.njk', await this.sessions.get(actor, id));
  }

  @Get('sessions/:id/live')
  @Roles('chair', 'office', 'admin')
  async live(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, 'pages/sessions/live.njk', await this.sessions.get(actor, id));
  }

  /** The live view's table, fetched every few seconds by /static/live.js. */
  @Get('sessions/:id/live/table')
  @Roles('chair', 'office', 'admin')
  async liveTable(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, 'pages/sessions/_live-table.njk', await this.sessions.get(actor, id));
  }

  @Post('sessions/:id/attendance')
  @Roles('office', 'admin')
  async attendance(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const view = await this.sessions.get(actor, id);
    const present = (body.present ?? {}) as Record<string, unknown>;
    const standsInFor = (body.standsInFor ?? {}) as Record<string, unknown>;
    // A refused form is shown again as it was filled in.
    await handleForm(res, { template: 'pages/sessions/show.njk', context: { ...view, attendanceForm: { present, standsInFor } }, values: body }, async () => {
      const dtos = [];
      for (const seat of view.seats) {
        dtos.push(await parseDto(AttendanceDto, { memberId: seat.memberId, present: present[seat.memberId] === 'true', standsInFor: standsInFor[seat.memberId] || undefined }).catch(renameFields({ standsInFor: `standsInFor.${seat.memberId}` })));
      }
      await this.sessions.recordAttendanceList(actor, id, dtos);
      res.redirect(303, `/sessions/${id}?notice=session.attendanceSaved#attendance`);
    });
  }

  @Post('sessions/:id/open')
  @Roles('chair', 'office', 'admin')
  async open(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    await this.act(res, actor, id, () => this.sessions.open(actor, id), 'session.opened');
  }

  @Post('sessions/:id/close')
  @Roles('chair', 'office', 'admin')
  async close(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    await this.act(res, actor, id, () => this.sessions.close(actor, id), 'session.closed');
  }

  @Post('sessions/:id/items/:itemId/open')
  @Roles('chair', 'office', 'admin')
  async openItem(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('itemId') itemId: string, @Res() res: Response) {
    await this.act(res, actor, id, () => this.sessions.openItem(actor, itemId), 'session.itemOpened', itemId);
  }

  @Post('sessions/:id/items/:itemId/close')
  @Roles('chair', 'office', 'admin')
  async closeItem(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('itemId') itemId: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.act(res, actor, id, async () => this.sessions.closeItem(actor, itemId, await parseDto(CloseItemDto, { recommendedCents: body.recommendedCents })), 'session.itemClosed', itemId);
  }

  @Post('sessions/:id/items/:itemId/defer')
  @Roles('chair', 'office', 'admin')
  async defer(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('itemId') itemId: string, @Res() res: Response) {
    await this.act(res, actor, id, () => this.sessions.deferItem(actor, itemId), 'session.itemDeferred', itemId);
  }

  @Post('sessions/:id/items/:itemId/vote')
  async vote(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('itemId') itemId: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.act(res, actor, id, async () => this.sessions.vote(actor, itemId, await parseDto(VoteDto, { choice: body.choice, memberId: body.memberId })), 'session.voted', itemId);
  }

  @Post('sessions/:id/items/:itemId/rating')
  async rate(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('itemId') itemId: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.act(res, actor, id, async () => this.sessions.rate(actor, itemId, await parseDto(RatingDto, { importance: body.importance, urgency: body.urgency, memberId: body.memberId })), body.memberId ? 'session.ratedFor' : 'session.rated', itemId, body);
  }

  /** The office's show of hands for a whole item: one choice per present voter, in one form. */
  @Post('sessions/:id/items/:itemId/hands')
  @Roles('office', 'admin')
  async hands(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('itemId') itemId: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.act(res, actor, id, async () => this.sessions.showOfHands(actor, itemId, await parseDto(ShowOfHandsDto, { choices: body.choices ?? {} })), 'session.handsRecorded', itemId, body);
  }

  /** The office's totals of a secret ballot. */
  @Post('sessions/:id/items/:itemId/counts')
  @Roles('office', 'admin')
  async counts(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('itemId') itemId: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.act(res, actor, id, async () => this.sessions.ballotCounts(actor, itemId, await parseDto(BallotCountsDto, { yes: body.yes, no: body.no, abstain: body.abstain })), 'session.countsRecorded', itemId, body);
  }

  @Post('sessions/:id/items/:itemId/conflict')
  async conflict(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('itemId') itemId: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.act(res, actor, id, async () => this.sessions.declareConflict(actor, itemId, await parseDto(ConflictDto, { reason: body.reason, memberId: body.memberId })), body.memberId ? 'session.conflictRecorded' : 'session.conflictDeclared', itemId, body);
  }

  @Post('sessions/:id/items/:itemId/secret-ballot')
  async secret(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('itemId') itemId: string, @Res() res: Response) {
    await this.act(res, actor, id, () => this.sessions.requestSecretBallot(actor, itemId), 'session.secretRequested', itemId);
  }

  @Post('sessions/:id/items/:itemId/recommendation')
  async recommend(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('itemId') itemId: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.act(res, actor, id, async () => this.sessions.recommend(actor, itemId, (await parseDto(RecommendationDto, { text: body.text })).text), 'session.recommended', itemId);
  }

  @Get('calls/:id/ranking')
  async ranking(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const [call, ranking] = await Promise.all([this.calls.get(actor, id), this.sessions.ranking(actor, id)]);
    sendPage(res, 'pages/sessions/ranking.njk', { call, ...ranking });
  }

  @Get('sessions/:id/agenda.pdf')
  async agendaPdf(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    res.type('application/pdf').attachment('Tagesordnung.pdf').send(await this.documents.agenda(actor, id, res.locals.lang as Language));
  }

  @Get('sessions/:id/minutes.pdf')
  async minutesPdf(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    res.type('application/pdf').attachment('Niederschrift.pdf').send(await this.documents.minutes(actor, id, res.locals.lang as Language));
  }

  @Get('calls/:id/ranking.pdf')
  async rankingPdf(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const { year, pdf } = await this.documents.ranking(actor, id, res.locals.lang as Language);
    res.type('application/pdf').attachment(`Rangfolge-${year}.pdf`).send(pdf);
  }

  @Post('calls/:id/ranking/confirm')
  @Roles('office', 'admin')
  async confirm(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    await this.sessions.confirmAllocation(actor, id);
    res.redirect(303, `/calls/${id}/ranking?notice=ranking.confirmed`);
  }

  @Get('calls/:id/ranking.csv')
  async rankingCsv(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const call = await this.calls.get(actor, id);
    res.type('text/csv; charset=utf-8').attachment(`Rangfolge-${call.year}.csv`).send(await this.sessions.rankingCsv(actor, id));
  }

  /** Runs an action on the session page; a refused one shows the page again with the reason at the item. */
  private async act(res: Response, actor: Actor, id: string, action: () => Promise<unknown>, notice: string, itemId?: string, values: Record<string, unknown> = {}) {
    const view = await this.sessions.get(actor, id);
    await handleForm(res, { template: 'pages/sessions/show.njk', context: { ...view, errorItem: itemId }, values }, async () => {
      await action();
      res.redirect(303, `/sessions/${id}?notice=${notice}${itemId ? `#item-${itemId}` : ''}`);
    });
  }

  /** The session with its agenda and the chairs to choose from; only a session not yet opened can be changed. */
  private async editContext(actor: Actor, id: string) {
    const [view, members] = await Promise.all([this.sessions.get(actor, id), this.roundTable.list(actor)]);
    if (view.session.status !== 'planned') throw new Conflict('sessions.notPlanned', { status: view.session.status });
    return { session: view.session, items: view.items, chairs: members.filter((m) => m.isChair) };
  }

  private async newContext(actor: Actor) {
    const [calls, members] = await Promise.all([this.calls.list(actor), this.roundTable.list(actor)]);
    const open = calls.filter((c) => c.status !== 'draft' && c.status !== 'archived');
    const chairs = members.filter((m) => m.isChair);
    return { calls: open, chairs, values: { callId: open[0]?.id, chairMemberId: chairs[0]?.id, time: '17:00' } };
  }
}

/** Date and time typed in Berlin, as an instant; "invalid" when a date was typed that is not one. */
function scheduledAtFrom(date: unknown, time: unknown): string | undefined {
  if (isCalendarDay(date) && typeof time === 'string' && /^\d{2}:\d{2}$/.test(time)) return berlinInstant(date, time).toISOString();
  return date ? 'invalid' : undefined;
}
