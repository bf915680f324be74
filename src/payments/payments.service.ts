import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { hasAnyRole, requireOffice, requireRole, requireStaff, STAFF_ROLES } from '../auth/roles.js';
import { AwardsRepository } from '../awards/awards.repository.js';
import type { Decision } from '../awards/award.entities.js';
import { paymentWindowProblem } from '../awards/payment-window.js';
import { CallsRepository } from '../calls/calls.repository.js';
import { APP_CONFIG } from '../common/config.token.js';
import { berlinDay } from '../common/dates.js';
import { Conflict, Forbidden, messageWith, NotFound, ValidationFailed } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { Transactions } from '../common/transactions.js';
import type { AppConfig } from '../config/app-config.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import type { PaymentRequestDto, PaymentRejectionDto } from './dto/payment.dto.js';
import type { PaymentExport, PaymentRequest } from './payment.entities.js';
import { paymentOrderCsv, parsePaymentCsvColumns, sepaCreditTransfer, type PayoutLine } from './payment-exports.js';
import { PaymentsRepository, type GrantAccount, type PaymentRow } from './payments.repository.js';

/** What the grantee and the office see of one request: no internal user ids. */
export type PaymentView = Omit<PaymentRequest, 'requestedBy' | 'confirmedBy' | 'releasedBy' | 'rejectedBy'>;

/**
 * Payment requests (Mittelabruf) and payouts: the grantee requests money on a final or accepted
 * award, at most what is left of it and only for payments due within the call's window; one office
 * user confirms the request as correct, another releases it (the database refuses the same person);
 * released, it is a payout booked as paid in the call's ledger and exported once to the treasury.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly db: Transactions,
    private readonly payments: PaymentsRepository,
    private readonly awards: AwardsRepository,
    private readonly applications: ApplicationsRepository,
    private readonly calls: CallsRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The grant's account and its requests, for the organisation it was awarded to and for staff. */
  async ofDecision(actor: Actor, decisionId: string): Promise<{ account: GrantAccount; requests: PaymentView[] }> {
    const decision = await this.visibleAward(actor, decisionId);
    return { account: await this.payments.account(decision.id), requests: (await this.payments.ofDecision(decision.id)).map(view) };
  }

  async request(actor: Actor, decisionId: string, dto: PaymentRequestDto): Promise<PaymentView> {
    requireRole(actor, ['applicant']);
    const decision = await this.visibleAward(actor, decisionId);
    const application = (await this.applications.findById(decision.applicationId))!;
    if (!awardOpenForPayments(application.status, decision.acceptedAt)) {
      throw new Conflict('payments.notFinal', { status: application.status });
    }
    const call = (await this.calls.findById(decision.callId))!;
    const problem = paymentWindowProblem({ neededOn: dto.neededOn, today: berlinDay(new Date()), windowMonths: call.paymentWindowMonths });
    if (problem?.code === 'tooEarly') throw new ValidationFailed({ neededOn: [messageWith('payments.tooEarly', { months: call.paymentWindowMonths, latest: problem.latestAllowed!.split('-').reverse().join('.') })] });
    if (problem?.code === 'inThePast') throw new ValidationFailed({ neededOn: ['payments.inThePast'] });
    return this.db.run(async (manager) => {
      const reserved = await this.payments.reserve(manager, decision.id, dto.amountCents);
      if (!reserved) {
        const account = await this.payments.account(decision.id);
        throw new ValidationFailed({ amountCents: [messageWith('payments.aboveRemaining', { openCents: account.openCents })] });
      }
      const saved = await this.payments.insert(manager, { decisionId: decision.id, callId: decision.callId, amountCents: dto.amountCents, neededOn: dto.neededOn, purpose: dto.purpose, requestedBy: actor.id });
      await this.audit.record(manager, actor, { action: 'payment.requested', entityType: 'payment', entityId: saved.id, after: { amountCents: dto.amountCents, neededOn: dto.neededOn } });
      return view(saved);
    });
  }

  /** The office's worklist of a call's payment requests. */
  async list(actor: Actor, callId: string): Promise<(Omit<PaymentRow, 'confirmedBy'> & { confirmedByYou: boolean })[]> {
    requireStaff(actor);
    const call = isUuid(callId) ? await this.calls.findById(callId) : null;
    if (!call) throw new NotFound('call');
    // Whether the reader confirmed a request themselves (then another person releases it); no user ids.
    return (await this.payments.list(call.id)).map(({ confirmedBy, ...row }) => ({ ...row, confirmedByYou: confirmedBy === actor.id }));
  }

  /** First pair of eyes: the request is correct as to its substance (sachlich richtig). */
  async confirm(actor: Actor, id: string): Promise<PaymentView> {
    requireOffice(actor);
    return this.change(actor, id, 'payment.confirmed', (current) => {
      if (current.status !== 'requested') throw new Conflict('payments.notRequested', { status: current.status });
      return { ...current, status: 'confirmed', confirmedBy: actor.id, confirmedAt: new Date() };
    });
  }

  /**
   * Second pair of eyes: the payment is ordered (Anordnung) by another office user than the one who
   * confirmed it. The payout's value date is the day the money is needed, or today if that has passed.
   */
  async release(actor: Actor, id: string): Promise<PaymentView> {
    requireOffice(actor);
    return this.change(actor, id, 'payment.released', async (current, manager) => {
      if (current.status !== 'confirmed') throw new Conflict(current.status === 'released' ? 'payments.alreadyReleased' : 'payments.notConfirmed', { status: current.status });
      if (current.confirmedBy === actor.id) throw new Forbidden('payments.fourEyes');
      const today = berlinDay(new Date());
      const released: PaymentRequest = { ...current, status: 'released', releasedBy: actor.id, releasedAt: new Date(), valueDate: current.neededOn > today ? current.neededOn : today };
      await this.awards.book(manager, { callId: current.callId, kind: 'paid', amountCents: current.amountCents, decisionId: current.decisionId, paymentId: current.id, bookedBy: actor.id });
      return released;
    });
  }

  /** The office refuses a request that is not released; its amount is free again for a new request. */
  async reject(actor: Actor, id: string, dto: PaymentRejectionDto): Promise<PaymentView> {
    requireOffice(actor);
    return this.change(actor, id, 'payment.rejected', async (current, manager) => {
      if (current.status !== 'requested' && current.status !== 'confirmed') throw new Conflict('payments.notOpen', { status: current.status });
      await this.payments.reserve(manager, current.decisionId, -current.amountCents);
      return { ...current, status: 'rejected', rejectedBy: actor.id, rejectedAt: new Date(), rejectionReason: dto.reason };
    });
  }

  /**
   * Exports every released payout not exported yet, as the treasury's payment-order CSV and a SEPA
   * credit transfer (pain.001), in one transaction: each payout lands in exactly one export, and the
   * files are stored, so that every later download of the export gives the same bytes.
   */
  async export(actor: Actor): Promise<Omit<PaymentExport, 'csv' | 'sepa'>> {
    requireOffice(actor);
    const columns = parsePaymentCsvColumns(this.config.paymentCsvColumns);
    return this.db.run(async (manager) => {
      const payouts = await this.payments.unexported(manager);
      if (payouts.length === 0) throw new Conflict('payments.nothingToExport', {});
      const lines: PayoutLine[] = payouts.map((payout) => ({
        payoutId: payout.id,
        creditorName: payout.accountHolder ?? payout.organisationName,
        iban: payout.iban,
        bic: null,
        amountCents: payout.amountCents,
        dueOn: payout.valueDate,
        budgetLine: this.config.paymentBudgetLine,
        reference: payout.referenceNumber,
        purpose: payout.purpose,
      }));
      const id = randomUUID();
      const createdAt = new Date();
      const row = {
        id,
        createdAt,
        createdBy: actor.id,
        payouts: lines.length,
        totalCents: lines.reduce((sum, line) => sum + line.amountCents, 0),
        csv: Buffer.from(paymentOrderCsv(lines, columns), 'utf8'),
        sepa: Buffer.from(sepaCreditTransfer({ messageId: id.replaceAll('-', ''), createdAt, debtor: this.config.paymentDebtor, lines }), 'utf8'),
      };
      await this.payments.insertExport(manager, row);
      await this.payments.assignToExport(manager, id, lines.map((line) => line.payoutId));
      await this.audit.record(manager, actor, { action: 'payments.exported', entityType: 'payment_export', entityId: id, after: { payouts: row.payouts, totalCents: row.totalCents } });
      const { csv: _csv, sepa: _sepa, ...shown } = row;
      return shown;
    });
  }

  async exports(actor: Actor): Promise<PaymentExport[]> {
    requireStaff(actor);
    return this.payments.exports();
  }

  async exportFile(actor: Actor, id: string, file: 'csv' | 'sepa'): Promise<Buffer> {
    requireStaff(actor);
    const row = isUuid(id) ? await this.payments.exportFile(id, file) : null;
    if (!row) throw new NotFound('export');
    return row[file];
  }

  private async change(actor: Actor, id: string, action: string, next: (current: PaymentRequest, manager: EntityManager) => PaymentRequest | Promise<PaymentRequest>): Promise<PaymentView> {
    return this.db.run(async (manager) => {
      const current = isUuid(id) ? await this.payments.findForUpdate(manager, id) : null;
      if (!current) throw new NotFound('payment');
      const saved = await this.payments.save(manager, await next(current, manager));
      await this.audit.record(manager, actor, { action, entityType: 'payment', entityId: id, before: { status: current.status }, after: { status: saved.status, valueDate: saved.valueDate } });
      return view(saved);
    });
  }

  /** A released award the actor may see the money of: staff, or the organisation it was awarded to. */
  private async visibleAward(actor: Actor, decisionId: string): Promise<Decision> {
    const decision = isUuid(decisionId) ? await this.awards.findById(decisionId) : null;
    if (!decision || decision.kind !== 'award' || decision.status !== 'released') throw new NotFound('decision');
    if (hasAnyRole(actor.roles, STAFF_ROLES)) return decision;
    const application = await this.applications.findById(decision.applicationId);
    if (actor.roles.includes('applicant') && application && (await this.organisations.isRepresentative(actor.id, application.organisationId))) return decision;
    throw new NotFound('decision');
  }
}

/** Money flows on an award that is final, or that the grantee accepted (ANBest-P: the grant is then binding on them). */
export function awardOpenForPayments(applicationStatus: string, acceptedAt: Date | null): boolean {
  return applicationStatus === 'final' || (applicationStatus === 'awarded' && acceptedAt !== null);
}

function view(request: PaymentRequest): PaymentView {
  const { requestedBy: _requested, confirmedBy: _confirmed, releasedBy: _released, rejectedBy: _rejected, ...shown } = request;
  return shown;
}
