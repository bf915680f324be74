import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Application } from '../applications/application.entities.js';
import { applicationMachine, type ApplicationEvent, type ApplicationStatus } from '../applications/application.machine.js';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { hasAnyRole, MEMBER_ROLES, requireOffice, requireRole, SESSION_READERS, STAFF_ROLES } from '../auth/roles.js';
import type { FundingCall } from '../calls/call.entity.js';
import { CallsRepository } from '../calls/calls.repository.js';
import { CallsService } from '../calls/calls.service.js';
import { APP_CONFIG } from '../common/config.token.js';
import { berlinDay, berlinInstant } from '../common/dates.js';
import { Conflict, Forbidden, messageWith, NotFound, ValidationFailed } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { Transactions } from '../common/transactions.js';
import { advance } from '../common/workflow.js';
import type { AppConfig } from '../config/app-config.js';
import type { AwardLetterDocument, DecisionLetterBase, DecisionRejectionDocument, DocumentLanguage } from '../documents/document-types.js';
import { letterText } from '../documents/texts.js';
import { JobsService } from '../notifications/jobs.service.js';
import { MailService } from '../notifications/mail.service.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import { DocumentRenderer } from '../renderer/document-renderer.js';
import { SessionsRepository } from '../sessions/sessions.repository.js';
import type { Decision } from './award.entities.js';
import { AwardsRepository, type DecisionRow, type Ledger, type LetterFacts } from './awards.repository.js';
import { addMonths } from './calendar-days.js';
import { decisionDates } from './decision-dates.js';
import type { AcceptanceDto, UpdateDecisionDto } from './dto/decision.dto.js';

export const LETTER_QUEUE = 'decision.letter';
export const FINALITY_QUEUE = 'decision.final';
export const DECISION_LETTER_ATTACHMENT = 'decision-letter';

/** What a decision tells whom: the office everything, the applicant and the table no internal names. */
export type DecisionView = Omit<Decision, 'draftedBy' | 'releasedBy'> & { letterIssued: boolean };

/**
 * Decisions (Bescheide) after the round table: drafted from the confirmed allocation, released by a
 * second office user (four eyes; the database refuses the same person), sent as stored PDF letters,
 * notified and final on computed days, and booked in the call's budget ledger.
 */
/** Runs in the release's transaction, for features that keep something per award (the usage report). */
export type AwardReleasedHandler = (manager: EntityManager, award: Decision, organisationId: string) => Promise<void>;

@Injectable()
export class AwardsService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(AwardsService.name);
  private readonly awardReleasedHandlers: AwardReleasedHandler[] = [];

  constructor(
    private readonly db: Transactions,
    private readonly awards: AwardsRepository,
    private readonly applications: ApplicationsRepository,
    private readonly applicationsService: ApplicationsService,
    private readonly calls: CallsRepository,
    private readonly callsService: CallsService,
    private readonly sessions: SessionsRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly mail: MailService,
    private readonly renderer: DocumentRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Features that follow an award (reports, visits) register here, so awards depend on none of them. */
  onAwardReleased(handler: AwardReleasedHandler): void {
    this.awardReleasedHandlers.push(handler);
  }

  onModuleInit(): void {
    this.applicationsService.onWithdrawal((manager, actor, application, previousStatus) => this.freeOnWithdrawal(manager, actor, application, previousStatus));
    this.mail.registerAttachment(DECISION_LETTER_ATTACHMENT, async (params) => {
      const letter = await this.awards.letter(String(params.decisionId));
      if (!letter) throw new Error(`decision ${String(params.decisionId)} has no letter`);
      return { filename: letter.filename, contentType: 'application/pdf', content: letter.content };
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work<{ decisionId: string }>(LETTER_QUEUE, ({ decisionId }) => this.issueLetter(decisionId));
    await this.jobs.work<{ decisionId: string }>(FINALITY_QUEUE, ({ decisionId }) => this.becomeFinalIfDue(decisionId));
  }

  /**
   * Drafts a decision for every application of the call that the round table decided on: an award
   * for each item funded in the confirmed allocation, a rejection for each item voted down. Items
   * on the waiting list stay without a decision (see rejectWaitingList). Drafting twice adds nothing.
   */
  async draftFromAllocation(actor: Actor, callId: string): Promise<{ drafted: number }> {
    requireOffice(actor);
    const call = await this.callOf(callId);
    const snapshot = await this.sessions.latestSnapshot(call.id);
    if (!snapshot) throw new Conflict('awards.noAllocation', { status: call.status });
    const granted = new Map(snapshot.funded.map((item) => [item.applicationId, Number(item.grantedCents)]));
    return this.db.run(async (manager) => {
      const locked = (await this.calls.findForUpdate(manager, call.id))!;
      const undecided = await this.awards.undecided(manager, locked.id);
      const drafts: Partial<Decision>[] = [];
      for (const application of undecided) {
        const cents = granted.get(application.id);
        if (application.status === 'approved' && cents) drafts.push(this.awardDraft(actor, locked, application, cents));
        if (application.status === 'rejected') drafts.push(rejectionDraft(actor, locked, application.id, 'voted_down'));
      }
      await this.awards.insertDrafts(manager, drafts);
      await this.audit.record(manager, actor, { action: 'decisions.drafted', entityType: 'call', entityId: locked.id, after: { drafted: drafts.length } });
      return { drafted: drafts.length };
    });
  }

  /** Rejections for the approved items the money did not reach (the waiting list), once no more is expected to be freed. */
  async rejectWaitingList(actor: Actor, callId: string): Promise<{ drafted: number }> {
    requireOffice(actor);
    const call = await this.callOf(callId);
    const snapshot = await this.sessions.latestSnapshot(call.id);
    const funded = new Set((snapshot?.funded ?? []).map((item) => item.applicationId));
    return this.db.run(async (manager) => {
      const locked = (await this.calls.findForUpdate(manager, call.id))!;
      const waiting = (await this.awards.undecided(manager, locked.id)).filter((a) => a.status === 'approved' && !funded.has(a.id));
      const drafts = waiting.map((application) => rejectionDraft(actor, locked, application.id, 'below_budget'));
      await this.awards.insertDrafts(manager, drafts);
      await this.audit.record(manager, actor, { action: 'decisions.waiting_list_rejected', entityType: 'call', entityId: locked.id, after: { drafted: drafts.length } });
      return { drafted: drafts.length };
    });
  }

  async list(actor: Actor, callId: string): Promise<{ decisions: DecisionRow[]; ledger: Ledger }> {
    requireRole(actor, SESSION_READERS);
    const call = await this.callOf(callId);
    const decisions = await this.awards.list(call.id);
    // Members and the chair read the decisions; who drafted and released them is the office's business.
    const shown = hasAnyRole(actor.roles, STAFF_ROLES) ? decisions : decisions.map((d) => ({ ...d, draftedBy: '', draftedByName: '', releasedByName: null }));
    return { decisions: shown, ledger: (await this.awards.ledger(call.id))! };
  }

  /** One decision as the call's list shows it (with the office's names: staff only). */
  async row(actor: Actor, id: string): Promise<DecisionRow> {
    requireRole(actor, SESSION_READERS);
    const row = isUuid(id) ? await this.awards.row(id) : null;
    if (!row) throw new NotFound('decision');
    return hasAnyRole(actor.roles, STAFF_ROLES) ? row : { ...row, draftedBy: '', draftedByName: '', releasedByName: null };
  }

  async ledger(actor: Actor, callId: string): Promise<Ledger> {
    requireRole(actor, SESSION_READERS);
    const call = await this.callOf(callId);
    return (await this.awards.ledger(call.id))!;
  }

  /** One decision: for staff, members of the table, and the organisation it is addressed to once released. */
  async get(actor: Actor, id: string): Promise<DecisionView> {
    const decision = await this.visible(actor, id);
    return this.view(decision);
  }

  /** The decision on an application, if one was released (or, for staff, drafted). */
  async forApplication(actor: Actor, applicationId: string): Promise<DecisionView | null> {
    await this.applicationsService.visible(actor, applicationId);
    const decision = await this.awards.findByApplication(applicationId);
    if (!decision || (decision.status === 'draft' && !hasAnyRole(actor.roles, STAFF_ROLES))) return null;
    return this.view(decision);
  }

  /** The clerk completes a draft: purpose, report deadline, special conditions, a lower amount, a note to a rejection. */
  async update(actor: Actor, id: string, dto: UpdateDecisionDto): Promise<DecisionView> {
    requireOffice(actor);
    return this.db.run(async (manager) => {
      const current = await this.lockDecision(manager, id);
      if (current.version !== dto.version) throw new Conflict('awards.changedMeanwhile', { status: current.status, currentVersion: current.version });
      if (current.status !== 'draft') throw new Conflict('awards.alreadyReleased', { status: current.status });
      const changes: Partial<Decision> = {};
      if (current.kind === 'award') {
        if (dto.amountCents !== undefined) {
          const allocated = (await this.sessions.latestSnapshot(current.callId))?.funded.find((item) => item.applicationId === current.applicationId);
          if (allocated && dto.amountCents > Number(allocated.grantedCents)) throw new ValidationFailed({ amountCents: ['awards.aboveAllocation'] });
          changes.amountCents = dto.amountCents;
        }
        if (dto.purpose !== undefined) changes.purpose = dto.purpose;
        if (dto.reportDueOn !== undefined) changes.reportDueOn = dto.reportDueOn;
        if (dto.specialConditions !== undefined) changes.specialConditions = dto.specialConditions;
      } else if (dto.reasonNote !== undefined) {
        changes.reasonNote = dto.reasonNote === '' ? null : dto.reasonNote;
      }
      const saved = await this.awards.save(manager, { ...current, ...changes });
      await this.audit.record(manager, actor, { action: 'decision.updated', entityType: 'decision', entityId: id, before: pick(current, changes), after: changes });
      return this.view(saved);
    });
  }

  /**
   * Releases a draft: another office user than the one who drafted it (the database refuses the same
   * person too). An award commits its amount in the call's ledger, refused when the budget would be
   * exceeded. Releasing sends it: the letter job renders, stores and mails the letter; the finality
   * job is queued for the day the decision becomes final.
   */
  async release(actor: Actor, id: string): Promise<DecisionView> {
    requireOffice(actor);
    return this.db.run(async (manager) => {
      const current = await this.lockDecision(manager, id);
      if (current.status !== 'draft') throw new Conflict('awards.alreadyReleased', { status: current.status });
      if (current.draftedBy === actor.id) throw new Forbidden('awards.fourEyes');
      const application = (await this.applications.findForUpdate(manager, current.applicationId))!;
      const event: ApplicationEvent = current.kind === 'award' ? { type: 'AWARD' } : { type: 'NOTIFY_REJECTION' };
      const step = advance(applicationMachine, application.status, event);
      if (current.kind === 'award') {
        const committed = await this.awards.commit(manager, current.callId, current.amountCents!);
        if (!committed) {
          const ledger = (await this.awards.ledger(current.callId))!;
          throw new Conflict(messageWith('awards.overBudget', { availableCents: ledger.availableCents, amountCents: current.amountCents! }), { status: current.status, availableCents: ledger.availableCents, amountCents: current.amountCents });
        }
        await this.awards.book(manager, { callId: current.callId, kind: 'committed', amountCents: current.amountCents!, decisionId: id, bookedBy: actor.id });
      }
      const now = new Date();
      const sentOn = berlinDay(now);
      const dates = decisionDates({ sentOn, notificationDays: this.config.decisionNotificationDays });
      const saved = await this.awards.save(manager, {
        ...current,
        status: 'released',
        releasedBy: actor.id,
        releasedAt: now,
        sentOn,
        notifiedOn: dates.notifiedOn,
        remedyPeriodEndsOn: dates.remedyPeriodEndsOn,
        finalOn: dates.finalOn,
      });
      await this.applications.save(manager, { ...application, status: step.status as ApplicationStatus, machineSnapshot: step.snapshot } as Application);
      if (current.kind === 'award') for (const handler of this.awardReleasedHandlers) await handler(manager, saved, application.organisationId);
      await this.audit.record(manager, actor, {
        action: 'decision.released',
        entityType: 'decision',
        entityId: id,
        before: { status: current.status, applicationStatus: application.status },
        after: { status: 'released', kind: current.kind, amountCents: current.amountCents, applicationStatus: step.status, ...dates },
      });
      await this.jobs.enqueue(manager, LETTER_QUEUE, { decisionId: id });
      if (current.kind === 'award') await this.jobs.enqueue(manager, FINALITY_QUEUE, { decisionId: id }, { startAfter: berlinInstant(dates.finalOn) });
      return this.view(saved);
    });
  }

  /**
   * The grantee accepts the award, and may waive the remedy (Rechtsbehelfsverzicht): the decision
   * is then final on the day of the waiver (or of its notification, if that is later).
   */
  async accept(actor: Actor, id: string, dto: AcceptanceDto): Promise<DecisionView> {
    requireRole(actor, ['applicant']);
    const visible = await this.visible(actor, id);
    if (visible.kind !== 'award') throw new Conflict('awards.notAnAward', { status: visible.status });
    return this.db.run(async (manager) => {
      const current = await this.lockDecision(manager, id);
      if (current.acceptedAt && (!dto.waive || current.waivedAt)) return this.view(current);
      const now = new Date();
      const today = berlinDay(now);
      const waivedAt = dto.waive ? (current.waivedAt ?? now) : current.waivedAt;
      const dates = decisionDates({ sentOn: current.sentOn!, notificationDays: this.config.decisionNotificationDays, waivedOn: waivedAt ? berlinDay(waivedAt) : null });
      const saved = await this.awards.save(manager, { ...current, acceptedAt: current.acceptedAt ?? now, waivedAt, finalOn: dates.finalOn });
      await this.audit.record(manager, actor, { action: dto.waive ? 'decision.accepted_waived' : 'decision.accepted', entityType: 'decision', entityId: id, after: { finalOn: dates.finalOn } });
      if (dates.finalOn <= today) await this.makeFinal(manager, saved);
      else if (dates.finalOn !== current.finalOn) await this.jobs.enqueue(manager, FINALITY_QUEUE, { decisionId: id }, { startAfter: berlinInstant(dates.finalOn) });
      return this.view(saved);
    });
  }

  /** The letter as it was sent (404 before it is issued). */
  async letter(actor: Actor, id: string): Promise<{ filename: string; content: Buffer; sha256: string }> {
    const decision = await this.visible(actor, id);
    const letter = decision.status === 'released' ? await this.awards.letter(decision.id) : null;
    if (!letter) throw new NotFound('letter');
    return { filename: letter.filename, content: letter.content, sha256: letter.sha256 };
  }

  /** The draft letter as it would go out now, marked as a draft; nothing is stored or sent. */
  async preview(actor: Actor, id: string, lang: DocumentLanguage): Promise<Buffer> {
    requireOffice(actor);
    const decision = await this.decisionOf(id);
    if (decision.status !== 'draft') throw new Conflict('awards.alreadyReleased', { status: decision.status });
    return this.render((await this.awards.letterFacts(id))!, lang, { draft: true, date: berlinDay(new Date()) });
  }

  /** The call is decided once every application the table decided on has a released decision. */
  async decideCall(actor: Actor, callId: string): Promise<FundingCall> {
    requireOffice(actor);
    return this.db.run(async (manager) => {
      const call = await this.calls.findForUpdate(manager, callId);
      if (!call) throw new NotFound('call');
      const undecided = await this.awards.undecided(manager, call.id);
      const drafts = await this.awards.draftCount(call.id);
      if (undecided.length > 0 || drafts > 0) throw new Conflict('awards.notAllDecided', { status: call.status, undecided: undecided.length, drafts });
      return this.callsService.apply(manager, actor, call, { type: 'DECIDE' });
    });
  }

  /** The letter job: renders the letter once, stores its bytes and mails it to the organisation's accounts. */
  async issueLetter(decisionId: string): Promise<void> {
    const facts = await this.awards.letterFacts(decisionId);
    if (!facts || facts.decision.status !== 'released') return;
    if (await this.awards.letterIssued(decisionId)) return; // issued and mailed in one transaction before
    const content = await this.render(facts, 'de', { date: facts.decision.sentOn! });
    const filename = `${facts.decision.kind === 'award' ? 'Zuwendungsbescheid' : 'Ablehnungsbescheid'}-${facts.referenceNumber}.pdf`;
    await this.db.run(async (manager) => {
      const stored = await this.awards.storeLetter(manager, { decisionId, filename, content, sha256: createHash('sha256').update(content).digest('hex') });
      if (!stored) return;
      for (const recipient of await this.organisations.accountRecipients(manager, facts.organisationId)) {
        await this.mail.queue(manager, {
          to: recipient.email,
          template: facts.decision.kind === 'award' ? 'decision-award' : 'decision-rejection',
          lang: recipient.lang,
          context: { name: recipient.name, referenceNumber: facts.referenceNumber, title: facts.applicationTitle, callTitle: facts.call.title, callYear: facts.call.year, amountCents: facts.decision.amountCents, link: `/applications/${facts.decision.applicationId}` },
          attachments: [{ kind: DECISION_LETTER_ATTACHMENT, params: { decisionId } }],
        });
      }
    });
    this.logger.log(`Letter of decision ${decisionId} issued`);
  }

  /**
   * A grantee who withdraws a released award gives its money back to the call: the committed sum
   * falls and the ledger books it as freed, so the waiting list can move up. A draft decision on a
   * withdrawn application is dropped.
   */
  private async freeOnWithdrawal(manager: EntityManager, actor: Actor, application: Application, previousStatus: ApplicationStatus): Promise<void> {
    const decision = await this.awards.findByApplication(application.id, manager);
    if (!decision) return;
    // A draft on a withdrawn application has nothing left to decide.
    if (decision.status === 'draft') {
      await this.awards.deleteDraft(manager, decision.id);
      await this.audit.record(manager, actor, { action: 'decision.draft_dropped', entityType: 'decision', entityId: decision.id, before: { kind: decision.kind }, after: { reason: 'application withdrawn' } });
      return;
    }
    if (decision.kind !== 'award' || (previousStatus !== 'awarded' && previousStatus !== 'final')) return;
    await this.awards.commit(manager, decision.callId, -decision.amountCents!);
    await this.awards.book(manager, { callId: decision.callId, kind: 'freed', amountCents: decision.amountCents!, decisionId: decision.id, note: 'withdrawn', bookedBy: actor.id });
  }

  /** The finality job: an award not waived earlier becomes final the day after the period for an action ended. */
  async becomeFinalIfDue(decisionId: string): Promise<void> {
    await this.db.run(async (manager) => {
      const decision = await this.awards.findForUpdate(manager, decisionId);
      if (!decision || decision.status !== 'released' || !decision.finalOn || decision.finalOn > berlinDay(new Date())) return;
      await this.makeFinal(manager, decision);
    });
  }

  private async makeFinal(manager: EntityManager, decision: Decision): Promise<void> {
    const application = (await this.applications.findForUpdate(manager, decision.applicationId))!;
    if (application.status !== 'awarded') return;
    const step = advance(applicationMachine, application.status, { type: 'BECOME_FINAL' });
    await this.applications.save(manager, { ...application, status: step.status as ApplicationStatus, machineSnapshot: step.snapshot } as Application);
    await this.audit.record(manager, null, { action: 'decision.final', entityType: 'decision', entityId: decision.id, after: { finalOn: decision.finalOn, applicationStatus: step.status } });
  }

  private render(facts: LetterFacts, lang: DocumentLanguage, options: { draft?: boolean; date: string }): Promise<Buffer> {
    const base: DecisionLetterBase = {
      referenceNumber: facts.referenceNumber,
      date: options.date,
      organisation: facts.organisation,
      contactName: facts.contactName,
      clerkName: facts.clerk.name,
      clerkPhone: letterText(lang, 'office.phone'),
      clerkEmail: facts.clerk.email,
      applicationTitle: facts.applicationTitle,
      callTitle: facts.call.title,
      callYear: facts.call.year,
      submittedAt: new Date(facts.submittedAt).toISOString(),
      requestedCents: facts.requestedCents,
    };
    const { decision } = facts;
    if (decision.kind === 'rejection') {
      const letter: DecisionRejectionDocument = { ...base, reason: decision.reason!, reasonNote: decision.reasonNote };
      return this.renderer.render('decisionRejection', letter, lang, { draft: options.draft });
    }
    const plan = facts.snapshot;
    const costLines = plan.costLines ?? [];
    const letter: AwardLetterDocument = {
      ...base,
      amountCents: decision.amountCents!,
      purpose: decision.purpose ?? facts.applicationTitle,
      periodStart: decision.periodStart!,
      periodEnd: decision.periodEnd!,
      financeType: facts.call.financeType,
      sharePercent: facts.call.sharePercent,
      maxAmountCents: facts.call.maxAmountCents,
      financePlan: {
        costLines,
        ownFundsCents: plan.ownFundsCents ?? 0,
        thirdParty: plan.thirdParty ?? [],
        totalCostsCents: costLines.reduce((sum, line) => sum + line.amountCents, 0),
      },
      specialConditions: decision.specialConditions,
      reportDueDate: decision.reportDueOn!,
      paymentWindowMonths: facts.call.paymentWindowMonths,
      lineDeviationPercent: facts.call.lineDeviationPercent,
    };
    return this.renderer.render('award', letter, lang, { draft: options.draft });
  }

  private awardDraft(actor: Actor, call: FundingCall, application: { id: string; title: string; startDate: string | null; endDate: string | null }, cents: number): Partial<Decision> {
    const periodStart = application.startDate ?? call.fundingPeriodStart;
    const periodEnd = application.endDate ?? call.fundingPeriodEnd;
    return {
      applicationId: application.id,
      callId: call.id,
      kind: 'award',
      status: 'draft',
      amountCents: cents,
      purpose: application.title,
      periodStart,
      periodEnd,
      reportDueOn: addMonths(periodEnd, call.reportDueMonths),
      specialConditions: [],
      draftedBy: actor.id,
    };
  }

  private async visible(actor: Actor, id: string): Promise<Decision> {
    const decision = await this.decisionOf(id);
    if (hasAnyRole(actor.roles, STAFF_ROLES)) return decision;
    if (hasAnyRole(actor.roles, MEMBER_ROLES)) return decision;
    // The organisation learns of a decision only when it is released.
    if (decision.status === 'released' && actor.roles.includes('applicant')) {
      const application = await this.applications.findById(decision.applicationId);
      if (application && (await this.organisations.isRepresentative(actor.id, application.organisationId))) return decision;
    }
    throw new NotFound('decision');
  }

  private async decisionOf(id: string): Promise<Decision> {
    const decision = isUuid(id) ? await this.awards.findById(id) : null;
    if (!decision) throw new NotFound('decision');
    return decision;
  }

  private async lockDecision(manager: EntityManager, id: string): Promise<Decision> {
    const decision = isUuid(id) ? await this.awards.findForUpdate(manager, id) : null;
    if (!decision) throw new NotFound('decision');
    return decision;
  }

  private async callOf(callId: string): Promise<FundingCall> {
    const call = isUuid(callId) ? await this.calls.findById(callId) : null;
    if (!call) throw new NotFound('call');
    return call;
  }

  private async view(decision: Decision): Promise<DecisionView> {
    const { draftedBy: _drafted, releasedBy: _released, ...shown } = decision;
    return { ...shown, letterIssued: decision.status === 'released' && (await this.awards.letterIssued(decision.id)) };
  }
}

function rejectionDraft(actor: Actor, call: FundingCall, applicationId: string, reason: 'voted_down' | 'below_budget'): Partial<Decision> {
  return { applicationId, callId: call.id, kind: 'rejection', status: 'draft', reason, specialConditions: [], draftedBy: actor.id };
}

function pick(decision: Decision, changes: Partial<Decision>): Partial<Decision> {
  return Object.fromEntries(Object.keys(changes).map((key) => [key, decision[key as keyof Decision]]));
}
