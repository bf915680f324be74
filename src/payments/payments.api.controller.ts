import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { PaymentRejectionDto, PaymentRequestDto } from './dto/payment.dto.js';
import { PaymentsService } from './payments.service.js';

@ApiTags('payments')
@ApiCookieAuth()
@Controller('api/v1')
export class PaymentsApiController {
  constructor(private readonly payments: PaymentsService) {}

  @Get('decisions/:id/payments')
  @ApiOperation({ summary: "The grant's account (awarded, requested, paid, open) and its payment requests: for the organisation and staff" })
  ofDecision(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.payments.ofDecision(actor, id);
  }

  @Post('decisions/:id/payments')
  @Roles('applicant')
  @ApiOperation({ summary: 'Requests funds on a final or accepted award: at most what is left (422), only for payments due within the call\'s window (422); 409 before the award is final or accepted' })
  request(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: PaymentRequestDto) {
    return this.payments.request(actor, id, dto);
  }

  @Get('calls/:id/payments')
  @Roles('office', 'admin')
  @ApiOperation({ summary: "The payment worklist of a call: requested, confirmed, released (payouts) and rejected" })
  list(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.payments.list(actor, id);
  }

  @Post('payments/:id/confirm')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Confirms a request as correct (sachlich richtig); 409 unless requested' })
  confirm(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.payments.confirm(actor, id);
  }

  @Post('payments/:id/release')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Releases a confirmed request as a payout (Anordnung): another office user than the one who confirmed it (403); 409 unless confirmed' })
  release(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.payments.release(actor, id);
  }

  @Post('payments/:id/reject')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Refuses a request that is not released, with the reason; its amount can be requested again' })
  reject(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: PaymentRejectionDto) {
    return this.payments.reject(actor, id, dto);
  }

  @Post('payment-exports')
  @HttpCode(201)
  @Roles('office')
  @ApiOperation({ summary: 'Exports every released payout not exported yet (each exactly once) as payment-order CSV and SEPA pain.001; 409 when there is none' })
  export(@CurrentActor() actor: Actor) {
    return this.payments.export(actor);
  }

  @Get('payment-exports')
  @Roles('office', 'admin')
  @ApiOperation({ summary: 'The exports made so far, newest first' })
  exports(@CurrentActor() actor: Actor) {
    return this.payments.exports(actor);
  }

  @Get('payment-exports/:id/payments.csv')
  @Roles('office', 'admin')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The payment orders of an export for the treasury, as first made' })
  async csv(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const csv = await this.payments.exportFile(actor, id, 'csv');
    res.type('text/csv; charset=utf-8').attachment(`Auszahlungen-${id.slice(0, 8)}.csv`).send(csv);
  }

  @Get('payment-exports/:id/sepa.xml')
  @Roles('office', 'admin')
  @ApiProduces('application/xml')
  @ApiOperation({ summary: 'The SEPA credit transfer (pain.001) of an export, as first made' })
  async sepa(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const xml = await this.payments.exportFile(actor, id, 'sepa');
    res.type('application/xml; charset=utf-8').attachment(`SEPA-${id.slice(0, 8)}.xml`).send(xml);
  }
}
