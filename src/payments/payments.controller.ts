import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { CallsService } from '../calls/calls.service.js';
import { NotFound } from '../common/errors.js';
import { parseDto } from '../common/validation.js';
import { handleForm, sendPage } from '../web/page.js';
import { PaymentRejectionDto } from './dto/payment.dto.js';
import { PaymentsService } from './payments.service.js';

const WORKLIST = 'pages/payments/worklist.njk';
const EXPORTS = 'pages/payments/exports.njk';
const STATES = ['requested', 'confirmed', 'released', 'rejected'] as const;

/**
 * The office's payment worklist per call (confirm as correct, order the payout with a second person,
 * refuse with a reason) and the exports to the city's treasury with their stored files.
 */
@ApiExcludeController()
@Controller()
export class PaymentsPagesController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly calls: CallsService,
  ) {}

  @Get('office/calls/:id/payments')
  @Roles('office', 'admin')
  async worklist(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, WORKLIST, await this.worklistContext(actor, id));
  }

  @Post('office/calls/:id/payments/:paymentId/confirm')
  @Roles('office')
  async confirm(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('paymentId') paymentId: string, @Res() res: Response) {
    const context = await this.worklistContext(actor, id, paymentId);
    await handleForm(res, { template: WORKLIST, context, values: {} }, async () => {
      await this.payments.confirm(actor, paymentId);
      res.redirect(303, `/office/calls/${id}/payments?notice=payments.confirmed`);
    });
  }

  /** The one who confirmed the request is refused (four eyes) with the reason on the page. */
  @Post('office/calls/:id/payments/:paymentId/release')
  @Roles('office')
  async release(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('paymentId') paymentId: string, @Res() res: Response) {
    const context = await this.worklistContext(actor, id, paymentId);
    await handleForm(res, { template: WORKLIST, context, values: {}, refusals: true }, async () => {
      await this.payments.release(actor, paymentId);
      res.redirect(303, `/office/calls/${id}/payments?notice=payments.released`);
    });
  }

  @Post('office/calls/:id/payments/:paymentId/reject')
  @Roles('office')
  async reject(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('paymentId') paymentId: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.worklistContext(actor, id, paymentId);
    await handleForm(res, { template: WORKLIST, context: { ...context, failedId: paymentId }, values: { reason: body.reason } }, async () => {
      await this.payments.reject(actor, paymentId, await parseDto(PaymentRejectionDto, { reason: body.reason }));
      res.redirect(303, `/office/calls/${id}/payments?notice=payments.rejected`);
    });
  }

  @Get('office/payment-exports')
  @Roles('office', 'admin')
  async exports(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, EXPORTS, await this.exportsContext(actor));
  }

  @Post('office/payment-exports')
  @Roles('office')
  async export(@CurrentActor() actor: Actor, @Res() res: Response) {
    const context = await this.exportsContext(actor);
    await handleForm(res, { template: EXPORTS, context, values: {} }, async () => {
      await this.payments.export(actor);
      res.redirect(303, '/office/payment-exports?notice=payments.exported');
    });
  }

  @Get('office/payment-exports/:id/payments.csv')
  @Roles('office', 'admin')
  async csv(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const csv = await this.payments.exportFile(actor, id, 'csv');
    res.type('text/csv; charset=utf-8').attachment(`Auszahlungen-${id.slice(0, 8)}.csv`).send(csv);
  }

  @Get('office/payment-exports/:id/sepa.xml')
  @Roles('office', 'admin')
  async sepa(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const xml = await this.payments.exportFile(actor, id, 'sepa');
    res.type('application/xml; charset=utf-8').attachment(`SEPA-${id.slice(0, 8)}.xml`).send(xml);
  }

  /** The worklist of the call; an action names a payment of this call, else 404. */
  private async worklistContext(actor: Actor, callId: string, paymentId?: string) {
    const [call, rows] = await Promise.all([this.calls.get(actor, callId), this.payments.list(actor, callId)]);
    if (paymentId !== undefined && !rows.some((row) => row.id === paymentId)) throw new NotFound('payment');
    return { call, groups: STATES.map((state) => ({ key: state, rows: rows.filter((row) => row.status === state) })), canAct: actor.roles.includes('office') };
  }

  private async exportsContext(actor: Actor) {
    return { exports: await this.payments.exports(actor), canAct: actor.roles.includes('office') };
  }
}
