import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, OptionalActor, Public, Roles } from '../auth/guards.js';
import { berlinDay, berlinInstant, berlinTime, isCalendarDay } from '../common/dates.js';
import { centsToEuroInput } from '../common/money.js';
import { parseDto, renameFields } from '../common/validation.js';
import type { Language } from '../web/i18n.js';
import { handleForm, sendPage } from '../web/page.js';
import type { FundingCall } from './call.entity.js';
import { INTEREST_DAY_COUNTS } from './call.types.js';
import { CallsService } from './calls.service.js';
import { CallDto, DEFAULT_DECLARATIONS, FIELDS_OF_ACTION_2025, FINANCE_TYPES, UpdateCallDto } from './dto/call.dto.js';

const FORM = { financeTypes: FINANCE_TYPES, interestDayCounts: INTEREST_DAY_COUNTS };
const DEADLINE_FIELD = renameFields({ submissionDeadline: 'submissionDeadlineDate' });

/** The form shows the deadline as Berlin date and time, money in euros and lists one per line. */
function formValues(call: FundingCall): Record<string, unknown> {
  return {
    ...call,
    submissionDeadlineDate: berlinDay(call.submissionDeadline),
    submissionDeadlineTime: berlinTime(call.submissionDeadline),
    budgetCents: centsToEuroInput(call.budgetCents),
    maxAmountCents: centsToEuroInput(call.maxAmountCents),
    fieldsOfAction: call.fieldsOfAction.join('\n'),
    costCategories: call.costCategories.join('\n'),
    requiredAttachments: call.requiredAttachments.join('\n'),
    declarations: call.declarations.join('\n'),
    participantBreakdown: call.participantBreakdown.join('\n'),
    fieldCaps: Object.entries(call.fieldCaps).map(([field, cents]) => `${field} = ${centsToEuroInput(cents)}`).join('\n'),
  };
}

/** Form body → DTO input: date and time in Berlin become one instant. */
function fromForm(body: Record<string, unknown>): Record<string, unknown> {
  const { submissionDeadlineDate: day, submissionDeadlineTime: time, ...rest } = body;
  const valid = isCalendarDay(day) && typeof time === 'string' && /^\d{2}:\d{2}$/.test(time);
  return { ...rest, submissionDeadline: valid ? berlinInstant(day, time).toISOString() : day ? 'invalid' : undefined };
}

@ApiExcludeController()
@Controller()
export class CallsPagesController {
  constructor(private readonly calls: CallsService) {}

  @Get('calls')
  @Public()
  async open(@OptionalActor() actor: Actor | undefined, @Res() res: Response) {
    sendPage(res, 'pages/calls/public-list.njk', { calls: await this.calls.list(actor, { openOnly: true }) });
  }

  @Get('calls/:id')
  @Public()
  async show(@OptionalActor() actor: Actor | undefined, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, 'pages/calls/public-show.njk', { call: await this.calls.get(actor, id) });
  }

  @Get('calls/:id/pdf')
  @Public()
  async pdf(@OptionalActor() actor: Actor | undefined, @Param('id') id: string, @Res() res: Response) {
    const { call, pdf } = await this.calls.pdf(actor, id, res.locals.lang as Language);
    res.type('application/pdf').attachment(`Foerderaufruf-${call.year}.pdf`).send(pdf);
  }

  @Get('office/calls')
  @Roles('office', 'admin')
  async list(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, 'pages/calls/office-list.njk', { calls: await this.calls.list(actor) });
  }

  @Get('office/calls/new')
  @Roles('office', 'admin')
  newForm(@Res() res: Response) {
    const year = new Date().getFullYear() + 1;
    sendPage(res, 'pages/calls/form.njk', {
      ...FORM,
      values: {
        year,
        financeType: 'deficit',
        minOwnContributionPercent: 10,
        reportDueMonths: 6,
        paymentWindowMonths: 2,
        lineDeviationPercent: 20,
        interestDayCount: 'act/365',
        submissionDeadlineDate: `${year}-03-31`,
        submissionDeadlineTime: '23:59',
        fundingPeriodStart: `${year}-05-01`,
        fundingPeriodEnd: `${year}-12-31`,
        fieldsOfAction: FIELDS_OF_ACTION_2025.join('\n'),
        costCategories: ['Honorare', 'Sachkosten', 'Raummiete', 'Fahrtkosten', 'Öffentlichkeitsarbeit', 'Verpflegung'].join('\n'),
        requiredAttachments: ['Satzung', 'Freistellungsbescheid des Finanzamts'].join('\n'),
        declarations: DEFAULT_DECLARATIONS.join('\n'),
        importanceWeight: 1,
        urgencyWeight: 1,
      },
    });
  }

  @Post('office/calls')
  @Roles('office', 'admin')
  async create(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await handleForm(res, { template: 'pages/calls/form.njk', context: FORM, values: body }, async () => {
      const call = await this.calls.create(actor, await parseDto(CallDto, fromForm(body)).catch(DEADLINE_FIELD));
      res.redirect(303, `/office/calls/${call.id}?notice=saved`);
    });
  }

  @Get('office/calls/:id')
  @Roles('office', 'admin')
  async officeShow(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const call = await this.calls.get(actor, id);
    sendPage(res, 'pages/calls/office-show.njk', { ...FORM, call, values: formValues(call) });
  }

  @Post('office/calls/:id')
  @Roles('office', 'admin')
  async update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const call = await this.calls.get(actor, id);
    await handleForm(res, { template: 'pages/calls/office-show.njk', context: { ...FORM, call }, values: body }, async () => {
      await this.calls.update(actor, id, await parseDto(UpdateCallDto, fromForm(body)).catch(DEADLINE_FIELD));
      res.redirect(303, `/office/calls/${id}?notice=saved`);
    });
  }

  @Post('office/calls/:id/publish')
  @Roles('office', 'admin')
  async publish(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const call = await this.calls.get(actor, id);
    await handleForm(res, { template: 'pages/calls/office-show.njk', context: { ...FORM, call }, values: formValues(call) }, async () => {
      await this.calls.publish(actor, id);
      res.redirect(303, `/office/calls/${id}?notice=call.published`);
    });
  }

  @Post('office/calls/:id/start-review')
  @Roles('office', 'admin')
  async startReview(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    await this.calls.startReview(actor, id);
    res.redirect(303, `/office/calls/${id}?notice=saved`);
  }

  /** The confirmation page: what archiving means, or what is still open on the call's grants. */
  @Get('office/calls/:id/archive')
  @Roles('office', 'admin')
  async archiveForm(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, 'pages/calls/archive.njk', { ...(await this.calls.archiveCheck(actor, id)), values: {} });
  }

  @Post('office/calls/:id/archive')
  @Roles('office', 'admin')
  async archive(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const reload = () => this.calls.archiveCheck(actor, id);
    await handleForm(res, { template: 'pages/calls/archive.njk', context: await reload(), values: {}, reload }, async () => {
      await this.calls.archive(actor, id);
      res.redirect(303, `/office/calls/${id}?notice=archive.done`);
    });
  }
}
