import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ApplicationPageSections } from '../applications/application-page-sections.js';
import type { ApplicationView } from '../applications/applications.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { hasAnyRole, requireOffice, STAFF_ROLES } from '../auth/roles.js';
import { AwardsRepository } from '../awards/awards.repository.js';
import { addMonths } from '../awards/calendar-days.js';
import { APP_CONFIG } from '../common/config.token.js';
import { berlinDay } from '../common/dates.js';
import { Conflict, Forbidden, NotFound, ValidationFailed, type FieldErrors } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { formatEuroCents } from '../common/money.js';
import { Transactions } from '../common/transactions.js';
import type { AppConfig } from '../config/app-config.js';
import type { RepaymentClaimDocument } from '../documents/document-types.js';
import { letterText } from '../documents/texts.js';
import { JobsService } from '../notifications/jobs.service.js';
import { MailService } from '../notifications/mail.service.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import { DocumentRenderer } from '../renderer/document-renderer.js';
import { ClaimsRepository, type ClaimFields, type ClaimReport, type ClaimRow, type StoredLateUse } from './claims.repository.js';
import type { ClaimDraftDto, ClaimRepaymentDto } from './dto/claim.dto.js';
import { DEFAULT_MARGIN_BASIS_POINTS, lateUseInterest, repaymentInterest, type BaseRate } from './interest.rules.js';
import { ReportsRepository } from './reports.repository.js';

export const CLAIM_LETTER_QUEUE = 'claim.letter';
export const CLAIM_LETTER_ATTACHMENT = 'repayment-claim-letter';

/** A claim as its reader sees it: the office with who drafted and released it, the organisation without names. */
export type ClaimView = Omit<ClaimRow, 'draftedBy' | 'releasedBy' | 'draftedByName' | 'releasedByName'> & {
  totalClaimedCents: number;
  draftedByName?: string;
  releasedByName?: string | null;
  /** Office only: whether the reader drafted it (then another person releases it). */
  draftedByYou?: boolean;
};

/** The report and the claim (if any) for the office's claim page. */
export interface ClaimPage {
  report: ClaimReport;
  claim: ClaimView | null;
  /** What a new draft would start from. */
  defaults: { revokedFrom: string | null; paymentDueOn: string };
  payouts: { id: string; valueDate: string; amountCents: number }[];
}

/**
 * The repayment claim (Rückforderungsbescheid, § 49 Abs. 3, § 49a VwVfG) after a final settlement
 * that ended in a repayment: drafted by the office from the stored settlement with interest (or its
 * waiver) and the interest for money used late, released by a second office user (four eyes, the
 * database refuses the same person too), sent as a stored PDF letter, and booked as freed money in
 * the call's ledger once the refund is in.
 *
 * The first interest day is the day the award became ineffective for the refunded part. A partial
 * revocation after the settlement takes effect retroactively from the payout (§ 49 Abs. 3 VwVfG:
 * "auch mit Wirkung für die Vergangenheit"), so the default is the first payout's value date; the
 * office may set a later day (for example a revocation only for the future, or a payout that came
 * later than the overpaid part). Interest is computed until the payment deadline (that day not
 * counted); a later payment bears further interest, set separately.
 */
@Injectable()
export class ClaimsService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(ClaimsService.name);

  constructor(
    private readonly db: Transactions,
    private readonly claims: ClaimsRepository,
    private readonly reports: ReportsRepository,
    private readonly awards: AwardsRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly mail: MailService,
    private readonly renderer: DocumentRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.mail.registerAttachment(CLAIM_LETTER_ATTACHMENT, async (params) => {
      const letter = await this.claims.letter(String(params.claimId));
      if (!letter) throw new Error(`claim ${String(params.claimId)} has no letter`);
      return { filename: letter.filename, contentType: 'application/pdf', content: letter.content };
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work<{ claimId: string }>(CLAIM_LETTER_QUEUE, ({ claimId }) => this.issueLetter(claimId));
  }

  /** The office's page: the report's settlement, the claim or what a draft would start from. */
  async page(actor: Actor, reportId: string): Promise<ClaimPage> {
    if (!hasAnyRole(actor.roles, STAFF_ROLES)) throw new Forbidden();
    const report = await this.reportOf(reportId);
    const claim = await this.claims.claim(report.id);
    const payouts = await this.claims.payouts(report.decisionId);
    return {
      report,
      claim: claim ? this.view(actor, claim) : null,
      defaults: { revokedFrom: payouts[0]?.valueDate ?? null, paymentDueOn: addMonths(berlinDay(new Date()), 1) },
      payouts,
    };
  }

  /** The claim of a report: staff see drafts; the organisation sees it once released, anyone else gets 404. */
  async get(actor: Actor, reportId: string): Promise<ClaimView> {
    const { claim } = await this.visible(actor, reportId);
    return this.view(actor, claim);
  }

  /** The organisation's page: the report's title and the released claim. */
  async forOrganisation(actor: Actor, reportId: string): Promise<{ report: ClaimReport; claim: ClaimView }> {
    const { report, claim } = await this.visible(actor, reportId);
    return { report, claim: this.view(actor, claim) };
  }

  /** The letter as it was sent (404 before it is issued). */
  async letter(actor: Actor, reportId: string): Promise<{ filename: string; content: Buffer; sha256: string }> {
    const { claim } = await this.visible(actor, reportId);
    const letter = claim.status === 'draft' ? null : await this.claims.letter(claim.id);
    if (!letter) throw new NotFound('letter');
    return letter;
  }

  /**
   * Drafts the claim of a report settled with a claim, or changes the draft: the refund from the
   * stored settlement, the interest until the payment deadline over the base rates in the table
   * (each rate for its own days, the call's day count), or its waiver with the written reason, and
   * the interest for money used late. 409 once released.
   */
  async draft(actor: Actor, reportId: string, dto: ClaimDraftDto): Promise<ClaimView> {
    requireOffice(actor);
    if (!isUuid(reportId)) throw new NotFound('report');
    const baseRates: BaseRate[] = (await this.reports.baseRates()).map((rate) => ({ from: rate.validFrom, basisPoints: rate.basisPoints }));
    return this.db.run(async (manager) => {
      const report = await this.claims.report(reportId, manager);
      if (!report) throw new NotFound('report');
      const current = await this.claims.claim(report.id, manager);
      if (current && current.status !== 'draft') throw new Conflict('claims.alreadyReleased', { status: current.status });
      if (current && dto.version !== undefined && dto.version !== current.version) {
        throw new Conflict('claims.changedMeanwhile', { status: current.status, currentVersion: current.version });
      }
      if (report.status !== 'settled_with_claim' || !report.settlement) throw new Conflict('claims.notSettledWithClaim', { status: report.status });
      const { result } = report.settlement;
      const repaymentCents = result.paidCents - result.dueCents;
      if (repaymentCents <= 0) throw new Conflict('claims.notSettledWithClaim', { status: report.status });

      const payouts = await this.claims.payouts(report.decisionId, manager);
      const uses = await this.claims.uses(report.id, manager);
      const today = berlinDay(new Date());
      const revokedFrom = dto.revokedFrom ?? current?.revokedFrom ?? payouts[0]?.valueDate ?? today;
      const paymentDueOn = dto.paymentDueOn ?? current?.paymentDueOn ?? addMonths(today, 1);
      const errors: FieldErrors = {};
      const waiverText = waiverOf(dto, current?.interestWaiver ?? null);
      if (waiverText === '') errors.interestWaiver = ['claims.waiverReason'];
      if (revokedFrom > today) errors.revokedFrom = ['claims.revokedFromFuture'];
      else if (baseRates.length === 0 || revokedFrom < baseRates[0].from) errors.revokedFrom = ['claims.noBaseRate'];
      if (paymentDueOn <= today) errors.paymentDueOn = ['claims.dueInPast'];
      if (Object.keys(errors).length > 0) throw new ValidationFailed(errors);

      const fields = computeClaim({ report, repaymentCents, revokedFrom, paymentDueOn, waiver: waiverText as string | null, payouts, uses, baseRates });
      await this.claims.saveDraft(manager, report, fields, actor.id);
      const saved = (await this.claims.claim(report.id, manager))!;
      await this.audit.record(manager, actor, {
        action: current ? 'repayment_claim.updated' : 'repayment_claim.drafted',
        entityType: 'repayment_claim',
        entityId: saved.id,
        before: current ? { revokedFrom: current.revokedFrom, paymentDueOn: current.paymentDueOn, interestCents: current.interestCents, interestWaiver: current.interestWaiver } : null,
        after: { reportId: report.id, repaymentCents, revokedFrom, paymentDueOn, interestCents: fields.interestCents, interestWaiver: waiverText, lateUseInterestCents: fields.lateUseInterestCents },
      });
      return this.view(actor, saved);
    });
  }

  /**
   * Releases the draft: another office user than its drafter (the database refuses the same person
   * too). The letter job renders, stores and mails the letter; nothing heavy on the request.
   */
  async release(actor: Actor, reportId: string): Promise<ClaimView> {
    requireOffice(actor);
    if (!isUuid(reportId)) throw new NotFound('claim');
    return this.db.run(async (manager) => {
      const current = await this.claims.claim(reportId, manager);
      if (!current) throw new NotFound('claim');
      if (current.status !== 'draft') throw new Conflict('claims.alreadyReleased', { status: current.status });
      if (current.draftedBy === actor.id) throw new Forbidden('claims.fourEyes');
      const today = berlinDay(new Date());
      if (current.paymentDueOn <= today) throw new Conflict('claims.dueDatePassed', { status: current.status, paymentDueOn: current.paymentDueOn });
      await this.claims.release(manager, current.id, actor.id, today);
      await this.audit.record(manager, actor, {
        action: 'repayment_claim.released',
        entityType: 'repayment_claim',
        entityId: current.id,
        before: { status: 'draft' },
        after: { status: 'released', totalClaimedCents: total(current), sentOn: today },
      });
      await this.jobs.enqueue(manager, CLAIM_LETTER_QUEUE, { claimId: current.id });
      return this.view(actor, (await this.claims.claim(reportId, manager))!);
    });
  }

  /**
   * The refund came back: the claim is repaid and the refunded amount goes back to the call's
   * budget (committed falls, the ledger books it as freed), so the waiting list can move up. The
   * interest is not the call's money: it goes to the city's general budget and is not booked here.
   */
  async bookRepayment(actor: Actor, reportId: string, dto: ClaimRepaymentDto): Promise<ClaimView> {
    requireOffice(actor);
    if (!isUuid(reportId)) throw new NotFound('claim');
    return this.db.run(async (manager) => {
      const current = await this.claims.claim(reportId, manager);
      if (!current) throw new NotFound('claim');
      if (current.status === 'draft') throw new Conflict('claims.notReleased', { status: current.status });
      if (current.status === 'repaid') throw new Conflict('claims.alreadyRepaid', { status: current.status, repaidOn: current.repaidOn });
      const errors: FieldErrors = {};
      if (dto.repaidOn > berlinDay(new Date())) errors.repaidOn = ['claims.repaidInFuture'];
      else if (current.sentOn && dto.repaidOn < current.sentOn) errors.repaidOn = ['claims.repaidBeforeSent'];
      if (dto.receivedCents < total(current)) errors.receivedCents = ['claims.receivedShort'];
      if (Object.keys(errors).length > 0) throw new ValidationFailed(errors);
      await this.claims.markRepaid(manager, current.id, dto.repaidOn, actor.id);
      await this.awards.commit(manager, current.callId, -current.repaymentCents);
      await this.claims.bookFreed(manager, { callId: current.callId, decisionId: current.decisionId, claimId: current.id, amountCents: current.repaymentCents, userId: actor.id });
      await this.audit.record(manager, actor, {
        action: 'repayment_claim.repaid',
        entityType: 'repayment_claim',
        entityId: current.id,
        before: { status: current.status },
        after: { status: 'repaid', repaidOn: dto.repaidOn, receivedCents: dto.receivedCents, freedCents: current.repaymentCents },
      });
      return this.view(actor, (await this.claims.claim(reportId, manager))!);
    });
  }

  /** The letter job: renders the letter once, stores its bytes and mails it to the organisation's accounts. */
  async issueLetter(claimId: string): Promise<void> {
    const claim = await this.claims.claimById(claimId);
    if (!claim || claim.status === 'draft' || claim.letterIssued) return;
    const report = (await this.claims.report(claim.reportId))!;
    const facts = (await this.claims.letterFacts(claim.id))!;
    const content = await this.renderer.render('repaymentClaim', await this.document(report, claim, facts), 'de');
    const filename = `Rueckforderungsbescheid-${report.referenceNumber}.pdf`;
    await this.db.run(async (manager) => {
      const stored = await this.claims.storeLetter(manager, { claimId, filename, content, sha256: createHash('sha256').update(content).digest('hex') });
      if (!stored) return;
      for (const recipient of await this.organisations.accountRecipients(manager, report.organisationId)) {
        await this.mail.queue(manager, {
          to: recipient.email,
          template: 'repayment-claim',
          lang: recipient.lang,
          context: {
            name: recipient.name, referenceNumber: report.referenceNumber, title: report.title, totalCents: total(claim),
            repaymentCents: claim.repaymentCents, paymentDueOn: claim.paymentDueOn, link: `/reports/${report.id}/claim`,
          },
          attachments: [{ kind: CLAIM_LETTER_ATTACHMENT, params: { claimId } }],
        });
      }
    });
    this.logger.log(`Letter of repayment claim ${claimId} issued`);
  }

  private async document(report: ClaimReport, claim: ClaimRow, facts: NonNullable<Awaited<ReturnType<ClaimsRepository['letterFacts']>>>): Promise<RepaymentClaimDocument> {
    const settlement = report.settlement!;
    const money = (cents: number) => formatEuroCents(cents, 'de');
    const reductions = (await this.claims.reductions(report.id)).map((r) =>
      letterText('de', 'claim.reduction', { position: r.position, payee: r.payee, purpose: r.purpose, amount: money(r.amountCents), admitted: money(r.admittedCents), reason: r.reason }),
    );
    const debtor = this.config.paymentDebtor;
    return {
      referenceNumber: report.referenceNumber,
      date: claim.sentOn!,
      organisation: facts.organisation,
      contactName: facts.contactName,
      clerkName: facts.clerk.name,
      clerkPhone: letterText('de', 'office.phone'),
      clerkEmail: facts.clerk.email,
      applicationTitle: report.title,
      callTitle: facts.callTitle,
      callYear: facts.callYear,
      submittedAt: new Date(facts.submittedAt).toISOString(),
      requestedCents: facts.requestedCents,
      award: { amountCents: report.awardCents, date: facts.awardDate, referenceNumber: report.referenceNumber },
      financeType: report.financeType,
      usageReport: { submittedOn: berlinDay(new Date(report.submittedAt!)), admittedOn: berlinDay(new Date(report.acceptedAt!)) },
      reductions,
      settlementLines: settlement.result.lines,
      dueCents: settlement.result.dueCents,
      paidCents: settlement.result.paidCents,
      repaymentCents: claim.repaymentCents,
      revokedFrom: claim.revokedFrom,
      interest: claim.interest ? { marginBasisPoints: claim.interest.marginBasisPoints, until: claim.interest.until, lines: claim.interest.lines, totalCents: claim.interest.totalCents } : null,
      interestWaiver: claim.interestWaiver,
      lateUse: claim.lateUse,
      paymentDueDate: claim.paymentDueOn,
      account: { name: debtor.name, iban: debtor.iban, bic: debtor.bic, paymentReference: letterText('de', 'claim.reference', { referenceNumber: report.referenceNumber }) },
      totalClaimedCents: total(claim),
    };
  }

  private async visible(actor: Actor, reportId: string): Promise<{ report: ClaimReport; claim: ClaimRow }> {
    const report = await this.reportOf(reportId, 'claim');
    const claim = await this.claims.claim(report.id);
    if (!claim) throw new NotFound('claim');
    if (hasAnyRole(actor.roles, STAFF_ROLES)) return { report, claim };
    // The organisation learns of the claim when it is released; drafts stay with the office.
    if (actor.roles.includes('applicant') && claim.status !== 'draft' && (await this.organisations.isRepresentative(actor.id, report.organisationId))) return { report, claim };
    throw new NotFound('claim');
  }

  private async reportOf(reportId: string, what = 'report'): Promise<ClaimReport> {
    const report = isUuid(reportId) ? await this.claims.report(reportId) : null;
    if (!report) throw new NotFound(what);
    return report;
  }

  private view(actor: Actor, claim: ClaimRow): ClaimView {
    const { draftedBy, releasedBy: _released, draftedByName, releasedByName, ...shown } = claim;
    const view: ClaimView = { ...shown, totalClaimedCents: total(claim) };
    if (hasAnyRole(actor.roles, STAFF_ROLES)) return { ...view, draftedByName, releasedByName, draftedByYou: draftedBy === actor.id };
    return view;
  }
}

/**
 * The waiver as the draft asks for it: `waiveInterest` true needs a written reason (given now or
 * kept from before; '' when there is none, which is refused), false claims interest again; without
 * it, a non-empty reason waives and an empty one claims interest.
 */
function waiverOf(dto: ClaimDraftDto, current: string | null): string | null {
  const given = dto.interestWaiver?.trim();
  if (dto.waiveInterest === false) return null;
  if (dto.waiveInterest === true) return given || (dto.interestWaiver === undefined ? (current ?? '') : '');
  if (dto.interestWaiver === undefined) return current;
  if (dto.interestWaiver !== '' && given === '') return '';
  return given || null;
}

/**
 * Puts the repayment claim on the application page: for the organisation once released (with the
 * link to its page and letter), for staff as soon as the report is settled with a claim (the link
 * to the office's claim page).
 */
@Injectable()
export class ClaimPageSection implements OnModuleInit {
  constructor(
    private readonly sections: ApplicationPageSections,
    private readonly claims: ClaimsRepository,
  ) {}

  onModuleInit(): void {
    this.sections.register((actor, view) => this.context(actor, view));
  }

  async context(_actor: Actor, view: ApplicationView): Promise<{ repaymentClaim?: Record<string, unknown> }> {
    if (view.audience === 'member') return {};
    const found = await this.claims.ofApplication(view.application.id);
    if (!found || found.reportStatus !== 'settled_with_claim') return {};
    if (view.audience === 'applicant' && (found.status === null || found.status === 'draft')) return {};
    return { repaymentClaim: { ...found, office: view.audience === 'staff' } };
  }
}

function total(claim: Pick<ClaimRow, 'repaymentCents' | 'interestCents' | 'lateUseInterestCents'>): number {
  return claim.repaymentCents + claim.interestCents + claim.lateUseInterestCents;
}

/**
 * The claim's figures. Interest (§ 49a Abs. 3) on the refund from the day the award became
 * ineffective until the payment deadline. Interest for late use (§ 49a Abs. 4) on the money the
 * grantee kept and used, but later than the call's window after its payout: computed per payout
 * from the admitted receipts' payment days (interest.rules.ts). Money never used is part of the
 * refund (the refund is at least what was paid and not used) and bears the refund's interest from
 * the revocation day; it bears late-use interest only up to that day, so that no day of it bears
 * both. When the revocation day lies before the last use, that money is left to the refund's
 * interest. A waiver (§ 49a Abs. 3 S. 2) drops both, as the letter states.
 */
function computeClaim(input: {
  report: ClaimReport;
  repaymentCents: number;
  revokedFrom: string;
  paymentDueOn: string;
  waiver: string | null;
  payouts: { id: string; valueDate: string; amountCents: number }[];
  uses: { paidOn: string; amountCents: number }[];
  baseRates: BaseRate[];
}): ClaimFields {
  const { report, repaymentCents, revokedFrom, paymentDueOn, waiver, payouts, uses, baseRates } = input;
  const base = { repaymentCents, revokedFrom, paymentDueOn };
  if (waiver !== null) return { ...base, interest: null, interestCents: 0, interestWaiver: waiver, lateUse: null, lateUseInterestCents: 0 };
  const dayCount = report.dayCount;
  const interest = repaymentInterest({ principalCents: repaymentCents, from: revokedFrom, until: paymentDueOn, baseRates, dayCount });
  let lateUse: StoredLateUse | null = null;
  const lastUse = uses.reduce((last, use) => (use.paidOn > last ? use.paidOn : last), revokedFrom);
  const lastPayout = payouts.reduce((last, payout) => (payout.valueDate > last ? payout.valueDate : last), lastUse);
  if (payouts.length > 0 && baseRates.length > 0 && payouts[0].valueDate >= baseRates[0].from) {
    const asOf = lastPayout;
    const result = lateUseInterest({ payouts, uses, asOf, windowMonths: report.windowMonths, baseRates, dayCount });
    const lines = asOf === revokedFrom ? result.lines : result.lines.filter((line) => line.usedOn !== null);
    const totalCents = lines.reduce((sum, line) => sum + line.interestCents, 0);
    if (totalCents > 0) lateUse = { windowMonths: report.windowMonths, asOf, lines, totalCents };
  }
  return {
    ...base,
    interest: { marginBasisPoints: DEFAULT_MARGIN_BASIS_POINTS, dayCount, until: paymentDueOn, lines: interest.lines, totalCents: interest.totalCents },
    interestCents: interest.totalCents,
    interestWaiver: null,
    lateUse,
    lateUseInterestCents: lateUse?.totalCents ?? 0,
  };
}
