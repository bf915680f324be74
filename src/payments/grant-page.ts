import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationPageSections } from '../applications/application-page-sections.js';
import type { ApplicationView } from '../applications/applications.service.js';
import type { Actor } from '../auth/actor.js';
import { AwardsService, type DecisionView } from '../awards/awards.service.js';
import { addMonths } from '../awards/calendar-days.js';
import { berlinDay } from '../common/dates.js';
import type { GrantAccount } from './payments.repository.js';
import { awardOpenForPayments, PaymentsService, type PaymentView } from './payments.service.js';

/** Why the applicant cannot request money now, in the page's words; null when they can. */
export type PaymentBlock = 'notAccepted' | 'nothingOpen' | 'closed' | null;

/** The decision part of the application page, for the organisation once the decision is released. */
export interface GrantSection {
  decision: DecisionView;
  /** Award only: the grant's account and its payment requests in the order they were made. */
  account: GrantAccount | null;
  requests: PaymentView[];
  canAccept: boolean;
  /** Accepted without waiving while still open to an action: the waiver can follow on its own. */
  canWaive: boolean;
  paymentBlock: PaymentBlock;
  /** The payment window as the page states it before the form: months and the latest day allowed today. */
  windowMonths: number;
  latestNeededOn: string;
  today: string;
}

/** Labels of the grant forms' fields in the page's error summary. */
const ERROR_LABEL_KEYS = { waive: 'grant.accept.waiveLabel', amountCents: 'grant.field.amountCents', neededOn: 'grant.field.neededOn', purpose: 'grant.field.purpose' };

/**
 * Puts the decision, its letter, acceptance and the grant's money on the application page the
 * organisation sees. Staff and the round table have their own pages for decisions and payments.
 */
@Injectable()
export class GrantPageSection implements OnModuleInit {
  constructor(
    private readonly sections: ApplicationPageSections,
    private readonly awards: AwardsService,
    private readonly payments: PaymentsService,
  ) {}

  onModuleInit(): void {
    this.sections.register((actor, view) => this.context(actor, view));
  }

  async context(actor: Actor, view: ApplicationView): Promise<{ grant?: GrantSection; errorLabelKeys?: Record<string, string> }> {
    if (view.audience !== 'applicant') return {};
    const decision = await this.awards.forApplication(actor, view.application.id);
    if (!decision || decision.status !== 'released') return {};
    const money = decision.kind === 'award' ? await this.payments.ofDecision(actor, decision.id) : null;
    const status = view.application.status;
    const today = berlinDay(new Date());
    const award = decision.kind === 'award';
    const grant: GrantSection = {
      decision,
      account: money?.account ?? null,
      requests: money?.requests ?? [],
      canAccept: award && status === 'awarded' && !decision.acceptedAt,
      canWaive: award && status === 'awarded' && !!decision.acceptedAt && !decision.waivedAt,
      paymentBlock: !award ? null : paymentBlock(status, decision, money?.account),
      windowMonths: view.call.paymentWindowMonths,
      latestNeededOn: addMonths(today, view.call.paymentWindowMonths),
      today,
    };
    return { grant, errorLabelKeys: ERROR_LABEL_KEYS };
  }
}

/** The conditions PaymentsService.request enforces, so that the page offers the form only when it can succeed. */
function paymentBlock(status: string, decision: DecisionView, account: GrantAccount | undefined): PaymentBlock {
  if (status !== 'final' && status !== 'awarded') return 'closed';
  if (!awardOpenForPayments(status, decision.acceptedAt)) return 'notAccepted';
  if (!account || account.openCents <= 0) return 'nothingOpen';
  return null;
}
