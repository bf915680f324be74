import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { hasAnyRole, SESSION_READERS, STAFF_ROLES } from '../auth/roles.js';
import { CallsService } from '../calls/calls.service.js';
import { ValidationFailed, type FieldErrors } from '../common/errors.js';
import { centsToEuroInput, toCents } from '../common/money.js';
import { parseDto } from '../common/validation.js';
import type { Language } from '../web/i18n.js';
import { handleForm, sendPage } from '../web/page.js';
import type { DecisionRow } from './awards.repository.js';
import { AwardsService, type DecisionView } from './awards.service.js';
import { UpdateDecisionDto } from './dto/decision.dto.js';

const DECISIONS = 'pages/awards/decisions.njk';
const EDIT = 'pages/awards/decision-edit.njk';

/** The groups of a call's decisions page, in the order the work goes. */
const GROUPS: { key: string; holds: (d: Pick<DecisionRow, 'status' | 'kind' | 'applicationStatus'>) => boolean }[] = [
  { key: 'drafts', holds: (d) => d.status === 'draft' },
  { key: 'released', holds: (d) => d.status === 'released' && d.kind === 'award' && d.applicationStatus !== 'final' },
  { key: 'final', holds: (d) => d.status === 'released' && d.kind === 'award' && d.applicationStatus === 'final' },
  { key: 'rejections', holds: (d) => d.status === 'released' && d.kind === 'rejection' },
];

/**
 * The office's pages for the decisions of a call: the budget ledger, the decisions by state, drafting,
 * completing and releasing them (four eyes), and the letters. Members of the round table read the
 * list without the office's names and without actions.
 */
@ApiExcludeController()
@Controller()
export class AwardsPagesController {
  constructor(
    private readonly awards: AwardsService,
    private readonly calls: CallsService,
  ) {}

  @Get('office/calls/:id/decisions')
  @Roles(...SESSION_READERS)
  async list(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, DECISIONS, await this.listContext(actor, id));
  }

  @Post('office/calls/:id/decisions')
  @Roles('office')
  async draft(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const context = await this.listContext(actor, id);
    await handleForm(res, { template: DECISIONS, context, values: {} }, async () => {
      const { drafted } = await this.awards.draftFromAllocation(actor, id);
      res.redirect(303, `/office/calls/${id}/decisions?notice=${drafted > 0 ? 'decisions.drafted' : 'decisions.nothingDrafted'}`);
    });
  }

  @Post('office/calls/:id/decisions/waiting-list')
  @Roles('office')
  async rejectWaitingList(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const context = await this.listContext(actor, id);
    await handleForm(res, { template: DECISIONS, context, values: {} }, async () => {
      const { drafted } = await this.awards.rejectWaitingList(actor, id);
      res.redirect(303, `/office/calls/${id}/decisions?notice=${drafted > 0 ? 'decisions.waitingListDrafted' : 'decisions.waitingListEmpty'}`);
    });
  }

  @Post('office/calls/:id/decide')
  @Roles('office')
  async decide(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const context = await this.listContext(actor, id);
    await handleForm(res, { template: DECISIONS, context, values: {} }, async () => {
      await this.awards.decideCall(actor, id);
      res.redirect(303, `/office/calls/${id}/decisions?notice=decisions.callDecided`);
    });
  }

  @Get('office/decisions/:id')
  @Roles('office', 'admin')
  async edit(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const context = await this.editContext(actor, id);
    sendPage(res, EDIT, { ...context, values: formValues(context.decision) });
  }

  @Post('office/decisions/:id')
  @Roles('office')
  async update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.editContext(actor, id);
    await handleForm(res, { template: EDIT, context, values: body }, async () => {
      await this.awards.update(actor, id, await parseDecisionForm(context.decision, body));
      res.redirect(303, `/office/decisions/${id}?notice=saved`);
    });
  }

  /** Releasing sends the decision; the drafter is refused (four eyes) with the reason on the page. */
  @Post('office/decisions/:id/release')
  @Roles('office')
  async release(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const decision = await this.awards.get(actor, id);
    const context = await this.listContext(actor, decision.callId);
    await handleForm(res, { template: DECISIONS, context, values: {}, refusals: true }, async () => {
      await this.awards.release(actor, id);
      res.redirect(303, `/office/calls/${decision.callId}/decisions?notice=decisions.released`);
    });
  }

  /** The letter as it was sent. */
  @Get('office/decisions/:id/letter.pdf')
  @Roles(...SESSION_READERS)
  async letter(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const letter = await this.awards.letter(actor, id);
    res.type('application/pdf').attachment(letter.filename).setHeader('X-Content-SHA256', letter.sha256);
    res.send(letter.content);
  }

  /** The draft letter as it would go out now, marked as a draft on every page. */
  @Get('office/decisions/:id/preview.pdf')
  @Roles('office')
  async preview(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const pdf = await this.awards.preview(actor, id, res.locals.lang as Language);
    res.type('application/pdf').attachment('Entwurf-Bescheid.pdf').send(pdf);
  }

  private async listContext(actor: Actor, callId: string) {
    const [call, { decisions, ledger }] = await Promise.all([this.calls.get(actor, callId), this.awards.list(actor, callId)]);
    // Whether the reader drafted a decision (then another person releases it); no user ids on the page.
    const rows = decisions.map(({ draftedBy, ...row }) => ({ ...row, draftedByYou: draftedBy !== '' && draftedBy === actor.id }));
    return {
      call,
      ledger,
      groups: GROUPS.map((group) => ({ key: group.key, rows: rows.filter(group.holds) })),
      canAct: actor.roles.includes('office'),
      isStaff: hasAnyRole(actor.roles, STAFF_ROLES),
    };
  }

  private async editContext(actor: Actor, id: string) {
    const [decision, row] = await Promise.all([this.awards.get(actor, id), this.awards.row(actor, id)]);
    const call = await this.calls.get(actor, decision.callId);
    return {
      call,
      decision,
      application: { id: row.applicationId, referenceNumber: row.referenceNumber, title: row.title, organisationName: row.organisationName },
      draftedByName: row.draftedByName,
      releasedByName: row.releasedByName,
      draftedByYou: row.draftedBy === actor.id,
      canAct: actor.roles.includes('office') && decision.status === 'draft',
    };
  }
}

/** The form shows money in euros and the special conditions one per line. */
function formValues(decision: DecisionView): Record<string, unknown> {
  return {
    amountCents: centsToEuroInput(decision.amountCents),
    purpose: decision.purpose ?? '',
    reportDueOn: decision.reportDueOn ?? '',
    specialConditions: decision.specialConditions.join('\n'),
    reasonNote: decision.reasonNote ?? '',
  };
}

/**
 * Form body → the change to the draft: an award's amount (euros), purpose and report deadline
 * cannot be emptied; each non-empty line is one special condition; a rejection takes only the note.
 */
async function parseDecisionForm(decision: DecisionView, body: Record<string, unknown>): Promise<UpdateDecisionDto> {
  const input: Record<string, unknown> = { version: body.version };
  const missing: FieldErrors = {};
  if (decision.kind === 'award') {
    input.amountCents = toCents({ value: body.amountCents });
    input.purpose = body.purpose;
    input.reportDueOn = body.reportDueOn;
    input.specialConditions = typeof body.specialConditions === 'string' ? lines(body.specialConditions) : body.specialConditions;
    for (const field of ['amountCents', 'purpose', 'reportDueOn']) {
      if (input[field] === undefined || (typeof input[field] === 'string' && input[field].trim() === '')) missing[field] = ['validation.required'];
    }
  } else {
    input.reasonNote = body.reasonNote ?? '';
  }
  try {
    const dto = await parseDto(UpdateDecisionDto, input);
    if (Object.keys(missing).length > 0) throw new ValidationFailed(missing);
    return dto;
  } catch (error) {
    if (error instanceof ValidationFailed) throw new ValidationFailed({ ...error.fields, ...missing });
    throw error;
  }
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
}
