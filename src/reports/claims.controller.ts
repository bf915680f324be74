import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { ValidationFailed } from '../common/errors.js';
import { parseEuroToCents } from '../common/money.js';
import { parseDto, renameFields } from '../common/validation.js';
import { handleForm, sendPage } from '../web/page.js';
import { ClaimsService } from './claims.service.js';
import { ClaimDraftDto, ClaimRepaymentDto } from './dto/claim.dto.js';

const OFFICE = 'pages/reports/claim.njk';
const ORGANISATION = 'pages/reports/claim-organisation.njk';

/** Labels of the claim forms' fields in the page's error summary. */
const ERROR_LABEL_KEYS = {
  revokedFrom: 'claims.field.revokedFrom',
  paymentDueOn: 'claims.field.paymentDueOn',
  interestWaiver: 'claims.field.interestWaiver',
  waiveInterest: 'claims.field.waiveInterest',
  repaidOn: 'claims.field.repaidOn',
  received: 'claims.field.received',
};

/**
 * The repayment claim's pages, addressed by the report: the office's page (settlement, interest
 * and late-use lines, draft form with the waiver, release by the second person, booking the
 * refund, the letter) and the organisation's page once the claim is released.
 */
@ApiExcludeController()
@Controller()
export class ClaimsPagesController {
  constructor(private readonly claims: ClaimsService) {}

  @Get('office/reports/:id/claim')
  @Roles('office', 'admin')
  async page(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, OFFICE, await this.context(actor, id));
  }

  @Post('office/reports/:id/claim')
  @Roles('office')
  async draft(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.context(actor, id);
    await handleForm(res, { template: OFFICE, context, values: body }, async () => {
      const waive = body.waiveInterest === 'true';
      const dto = await parseDto(ClaimDraftDto, {
        version: body.version === undefined || body.version === '' ? undefined : body.version,
        revokedFrom: body.revokedFrom,
        paymentDueOn: body.paymentDueOn,
        waiveInterest: waive,
        interestWaiver: waive ? (typeof body.interestWaiver === 'string' ? body.interestWaiver : '') : undefined,
      });
      await this.claims.draft(actor, id, dto);
      res.redirect(303, `/office/reports/${id}/claim?notice=claims.saved`);
    });
  }

  @Post('office/reports/:id/claim/release')
  @Roles('office')
  async release(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const context = await this.context(actor, id);
    await handleForm(res, { template: OFFICE, context, values: {}, refusals: true, reload: () => this.context(actor, id) }, async () => {
      await this.claims.release(actor, id);
      res.redirect(303, `/office/reports/${id}/claim?notice=claims.released`);
    });
  }

  @Post('office/reports/:id/claim/repayment')
  @Roles('office')
  async repayment(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.context(actor, id);
    await handleForm(res, { template: OFFICE, context, values: body, reload: () => this.context(actor, id) }, async () => {
      const receivedCents = typeof body.received === 'string' ? parseEuroToCents(body.received) : null;
      if (receivedCents === null || Number.isNaN(receivedCents)) throw new ValidationFailed({ received: ['validation.money'] });
      const dto = await parseDto(ClaimRepaymentDto, { repaidOn: body.repaidOn, receivedCents }).catch(renameFields({ receivedCents: 'received' }));
      await this.claims.bookRepayment(actor, id, dto).catch(renameFields({ receivedCents: 'received' }));
      res.redirect(303, `/office/reports/${id}/claim?notice=claims.repaid`);
    });
  }

  /** The organisation's view of its released claim. */
  @Get('reports/:id/claim')
  @Roles('applicant', 'office', 'admin')
  async organisation(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, ORGANISATION, await this.claims.forOrganisation(actor, id));
  }

  /** The letter as sent, for the organisation and staff (404 before it is issued and for anyone else). */
  @Get('reports/:id/claim/letter.pdf')
  @Roles('applicant', 'office', 'admin')
  async letter(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const letter = await this.claims.letter(actor, id);
    res.type('application/pdf').attachment(letter.filename).setHeader('X-Content-SHA256', letter.sha256);
    res.send(letter.content);
  }

  private async context(actor: Actor, id: string) {
    const page = await this.claims.page(actor, id);
    const { claim, defaults } = page;
    const isOffice = actor.roles.includes('office');
    return {
      ...page,
      values: {
        revokedFrom: claim?.revokedFrom ?? defaults.revokedFrom ?? '',
        paymentDueOn: claim?.paymentDueOn ?? defaults.paymentDueOn,
        waiveInterest: claim?.interestWaiver ? 'true' : undefined,
        interestWaiver: claim?.interestWaiver ?? '',
        repaidOn: '',
        received: '',
      },
      canDraft: isOffice && page.report.status === 'settled_with_claim' && (!claim || claim.status === 'draft'),
      canRelease: isOffice && claim?.status === 'draft' && !claim.draftedByYou,
      canBook: isOffice && claim?.status === 'released',
      errorLabelKeys: ERROR_LABEL_KEYS,
    };
  }
}
