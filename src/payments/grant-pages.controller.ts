import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApplicationPageSections } from '../applications/application-page-sections.js';
import { ApplicationsService } from '../applications/applications.service.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { AwardsService } from '../awards/awards.service.js';
import { AcceptanceDto } from '../awards/dto/decision.dto.js';
import { NotFound } from '../common/errors.js';
import { parseDto } from '../common/validation.js';
import { handleForm } from '../web/page.js';
import { PaymentRequestDto } from './dto/payment.dto.js';
import { PaymentsService } from './payments.service.js';

const SHOW = 'pages/applications/show.njk';

/**
 * The organisation's side of a decision on its application page: the letter as sent, acceptance
 * with or without waiving the remedy, and payment requests. Each form answers on the application
 * page (POST-redirect-GET; a 422 or 409 shows the page again with the message).
 */
@ApiExcludeController()
@Controller('applications')
@Roles('applicant')
export class GrantPagesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly sections: ApplicationPageSections,
    private readonly awards: AwardsService,
    private readonly payments: PaymentsService,
  ) {}

  /** The letter as it was sent (404 while none is issued, and for anyone but the organisation and staff). */
  @Get(':id/decision/letter.pdf')
  @Roles('applicant', 'office', 'admin')
  async letter(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const letter = await this.awards.letter(actor, (await this.decisionOf(actor, id)).id);
    res.type('application/pdf').attachment(letter.filename).setHeader('X-Content-SHA256', letter.sha256);
    res.send(letter.content);
  }

  /** Accepts the award; the checkbox `waive` also waives the remedy. */
  @Post(':id/decision/acceptance')
  async accept(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const decision = await this.decisionOf(actor, id);
    const context = await this.context(actor, id);
    await handleForm(res, { template: SHOW, context, values: body }, async () => {
      // An unticked checkbox sends nothing; anything but the box's own value is refused by the DTO.
      const waive = body.waive === undefined ? false : body.waive === 'true' ? true : body.waive;
      const dto = await parseDto(AcceptanceDto, { waive });
      await this.awards.accept(actor, decision.id, dto);
      res.redirect(303, `/applications/${id}?notice=${dto.waive ? 'grant.acceptedWaived' : 'grant.accepted'}#decision`);
    });
  }

  @Post(':id/payments')
  async requestPayment(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const decision = await this.decisionOf(actor, id);
    const context = await this.context(actor, id);
    await handleForm(res, { template: SHOW, context, values: body }, async () => {
      await this.payments.request(actor, decision.id, await parseDto(PaymentRequestDto, body));
      res.redirect(303, `/applications/${id}?notice=grant.paymentRequested#payments`);
    });
  }

  /** The released decision on the actor's application; 404 for other organisations and before the release. */
  private async decisionOf(actor: Actor, applicationId: string) {
    const decision = await this.awards.forApplication(actor, applicationId);
    if (!decision || decision.status !== 'released') throw new NotFound('decision');
    return decision;
  }

  private async context(actor: Actor, id: string) {
    return this.sections.context(actor, await this.applications.view(actor, id));
  }
}
