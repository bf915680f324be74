import type { FundingCall } from '../calls/call.entity.js';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CHECK_ITEMS, type Application, type CheckItem } from '../applications/application.entities.js';
import { APPLICATION_STATUSES, applicationMachine, type ApplicationEvent, type ApplicationStatus } from '../applications/application.machine.js';
import { submissionProblems } from '../applications/application.rules.js';
import { ApplicationsRepository, type ApplicationListRow } from '../applications/applications.repository.js';
import { ApplicationsService, content, rules, type ApplicationView } from '../applications/applications.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { UsersRepository } from '../auth/users.repository.js';
import { requireOffice, requireStaff } from '../auth/roles.js';
import { CallsRepository } from '../calls/calls.repository.js';
import { berlinDay } from '../common/dates.js';
import { Conflict, NotFound, ValidationFailed } from '../common/errors.js';
import { toCsv } from '../common/csv.js';
import { isUuid } from '../common/ids.js';
import { Transactions } from '../common/transactions.js';
import { advance } from '../common/workflow.js';
import { MailService } from '../notifications/mail.service.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import { DocumentRenderer } from '../renderer/document-renderer.js';
import type { ChecklistDto, DecisionDto, Outcome, RejectionPreviewDto } from './dto/decision.dto.js';

export const REJECTION_ATTACHMENT = 'rejection-letter';

const EVENTS: Record<Outcome, { type: 'MARK_ELIGIBLE' | 'REQUEST_CHANGES' | 'MARK_INELIGIBLE' }> = { eligible: { type: 'MARK_ELIGIBLE' }, changes_requested: { type: 'REQUEST_CHANGES' }, ineligible: { type: 'MARK_INELIGIBLE' } };

/** The worklist's filter and page as they come from a query string. */
export interface WorklistQuery {
  status?: unknown;
  fieldOfAction?: unknown;
  page?: unknown;
  pageSize?: unknown;
}

export const WORKLIST_PAGE_SIZE = 50;
export const WORKLIST_MAX_PAGE_SIZE = 200;

export interface WorklistFilter {
  status?: ApplicationStatus;
  fieldOfAction?: string;
}

/** Statuses the worklist can show: drafts never reach the office. */
export const WORKLIST_STATUSES = APPLICATION_STATUSES.filter((status) => status !== 'draft');

export interface Worklist {
  filter: WorklistFilter;
  /** One page of the matching applications, in reference order. */
  rows: ApplicationListRow[];
  page: number;
  pageSize: number;
  /** How many applications match the filter, on all pages. */
  total: number;
  pages: number;
  requestedTotalCents: number;
  budgetCents: number;
  countsByStatus: Record<string, number>;
}

/** What the system can tell about each checklist item; the office confirms or not. */
export type CheckSuggestions = Record<CheckItem, boolean>;

@Injectable()
export class ReviewService implements OnModuleInit {
  constructor(
    private readonly db: Transactions,
    private readonly applications: ApplicationsService,
    private readonly repository: ApplicationsRepository,
    private readonly calls: CallsRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly users: UsersRepository,
    private readonly renderer: DocumentRenderer,
  ) {}

  onModuleInit(): void {
    this.mail.registerAttachment(REJECTION_ATTACHMENT, async (params) => ({
      filename: `Ablehnungsbescheid-${String(params.referenceNumber)}.pdf`,
      contentType: 'application/pdf',
      content: await this.renderRejection(String(params.applicationId), params.lang === 'en' ? 'en' : 'de'),
    }));
  }

  /**
   * A call's applications (drafts are the applicants' own business) with the sum requested against
   * the budget, a page at a time: filtered, counted and paged in the database.
   * An empty filter value means no filter; a value the call cannot have is a 422, not an empty list.
   */
  async worklist(actor: Actor, callId: string, query: WorklistQuery = {}): Promise<Worklist> {
    const { call: _call, ...worklist } = await this.worklistWithCall(actor, callId, query);
    return worklist;
  }

  /** The worklist and its call, read once: what the worklist page shows. */
  async worklistWithCall(actor: Actor, callId: string, query: WorklistQuery = {}): Promise<Worklist & { call: FundingCall }> {
    const { call, filter } = await this.worklistCall(actor, callId, query);
    const { page, pageSize } = worklistPage(query);
    const [counts, rows] = await Promise.all([
      this.repository.worklistCounts(call.id, filter.fieldOfAction),
      this.repository.worklistPage(call.id, filter, { limit: pageSize, offset: (page - 1) * pageSize }),
    ]);
    const total = counts.filter((c) => !filter.status || c.status === filter.status).reduce((sum, c) => sum + c.matching, 0);
    return {
      call,
      filter,
      rows,
      page,
      pageSize,
      total,
      pages: Math.max(1, Math.ceil(total / pageSize)),
      requestedTotalCents: counts.filter((c) => c.status !== 'withdrawn' && c.status !== 'ineligible').reduce((sum, c) => sum + c.requestedCents, 0),
      budgetCents: call.budgetCents,
      countsByStatus: Object.fromEntries(counts.map((c) => [c.status, c.count])),
    };
  }

  /**
   * The whole filtered worklist as CSV for spreadsheets (semicolons, German number format, BOM for
   * Excel), in chunks read a batch at a time, so that a large call never sits in memory at once.
   * The filter is checked before the first chunk: a refused filter is a 422, not a broken file.
   */
  async csv(actor: Actor, callId: string, query: WorklistQuery = {}): Promise<AsyncIterable<string>> {
    const { call, filter } = await this.worklistCall(actor, callId, query);
    const batches = this.repository.worklistBatches(call.id, filter);
    const header = ['Aktenzeichen', 'Titel', 'Organisation', 'Organisation bestätigt', 'Handlungsfeld', 'Status', 'Beantragt (EUR)', 'Eingereicht am'];
    return (async function* () {
      yield toCsv([header]);
      for await (const rows of batches) {
        yield toCsv(rows.map((row) => [
          row.referenceNumber ?? '',
          row.title,
          row.organisationName,
          row.organisationStatus === 'confirmed' ? 'ja' : 'nein',
          row.fieldOfAction ?? '',
          row.status,
          row.requestedCents === null ? '' : (row.requestedCents / 100).toFixed(2).replace('.', ','),
          row.submittedAt ? new Date(row.submittedAt).toISOString() : '',
        ])).slice(1);
      }
    })();
  }

  private async worklistCall(actor: Actor, callId: string, query: WorklistQuery) {
    requireStaff(actor);
    const call = isUuid(callId) ? await this.calls.findById(callId) : null;
    if (!call) throw new NotFound('call');
    return { call, filter: worklistFilter(query, call.fieldsOfAction) };
  }

  async dossier(actor: Actor, id: string): Promise<ApplicationView & { suggestions: CheckSuggestions }> {
    requireStaff(actor);
    const view = await this.applications.view(actor, id);
    return { ...view, suggestions: await this.suggestions(view) };
  }

  /** Saves the ticked checklist; the first save starts the formal check. */
  async saveChecklist(actor: Actor, id: string, dto: ChecklistDto): Promise<Application> {
    requireOffice(actor);
    return this.db.run(async (manager) => {
      const current = await this.lockCurrent(manager, id, dto.version);
      const step = current.status === 'submitted' ? advance(applicationMachine, current.status, { type: 'START_CHECK' } satisfies ApplicationEvent) : null;
      if (!step && current.status !== 'in_formal_check') throw new Conflict('workflow.refused', { status: current.status, event: 'SAVE_CHECKLIST', allowedEvents: [] });
      const saved = await this.repository.save(manager, {
        ...current,
        checkList: checklist(dto.checks),
        ...(step ? { status: step.status as ApplicationStatus, machineSnapshot: step.snapshot } : {}),
      });
      await this.audit.record(manager, actor, { action: 'application.checklist_saved', entityType: 'application', entityId: id, before: { status: current.status, checkList: current.checkList }, after: { status: saved.status, checkList: saved.checkList } });
      return saved;
    });
  }

  /**
   * Eligible (every checklist item confirmed), changes requested (message and reply-by date) or
   * ineligible (reason; the rejection letter goes out by mail). Two clerks deciding at once: the
   * second gets a 409 with the state the first one left.
   */
  async decide(actor: Actor, id: string, dto: DecisionDto): Promise<Application> {
    requireOffice(actor);
    if (dto.outcome === 'eligible' && CHECK_ITEMS.some((item) => !dto.checks.includes(item))) throw new ValidationFailed({ checks: ['review.checklistIncomplete'] });
    if (dto.outcome === 'changes_requested' && dto.replyBy! < berlinDay(new Date())) throw new ValidationFailed({ replyBy: ['review.replyByPast'] });
    return this.db.run(async (manager) => {
      const current = await this.lockCurrent(manager, id, dto.version);
      const step = advance(applicationMachine, current.status, EVENTS[dto.outcome]);
      const now = new Date();
      const saved = await this.repository.save(manager, {
        ...current,
        status: step.status as ApplicationStatus,
        machineSnapshot: step.snapshot,
        checkList: checklist(dto.checks),
        decidedBy: actor.id,
        decidedAt: now,
        changeRequest: dto.outcome === 'changes_requested' ? { message: dto.message!, replyBy: dto.replyBy!, requestedAt: now.toISOString(), requestedBy: actor.fullName } : current.changeRequest,
        ineligibleReason: dto.outcome === 'ineligible' ? dto.reason! : null,
      });
      await this.audit.record(manager, actor, {
        action: `application.${dto.outcome}`,
        entityType: 'application',
        entityId: id,
        before: { status: current.status },
        after: { status: saved.status, message: dto.message, replyBy: dto.replyBy, reason: dto.reason, checks: dto.checks },
      });
      await this.notify(manager, saved, dto);
      return saved;
    });
  }

  async rejectionLetter(actor: Actor, id: string, lang: 'de' | 'en'): Promise<{ referenceNumber: string; pdf: Buffer }> {
    const application = await this.applications.visible(actor, id);
    if (application.status !== 'ineligible') throw new NotFound('letter');
    return { referenceNumber: application.referenceNumber!, pdf: await this.renderRejection(id, lang) };
  }

  /**
   * The rejection letter as it would go out with this reason, marked as a draft. Nothing is saved
   * or sent: only the decision (`decide` with outcome ineligible) does that.
   */
  async previewRejection(actor: Actor, id: string, dto: RejectionPreviewDto, lang: 'de' | 'en'): Promise<{ referenceNumber: string; pdf: Buffer }> {
    const application = await this.checkRejectable(actor, id, dto.version);
    const pdf = await this.renderRejection(id, lang, { reason: dto.reason, clerkName: actor.fullName, date: new Date(), draft: true });
    return { referenceNumber: application.referenceNumber!, pdf };
  }

  /** Whether this application could be declared ineligible now, on this version (409 otherwise); changes nothing. */
  async checkRejectable(actor: Actor, id: string, version: number): Promise<Application> {
    requireOffice(actor);
    const current = isUuid(id) ? await this.repository.findById(id) : null;
    if (!current) throw new NotFound('application');
    if (current.version !== version) throw new Conflict('review.changedMeanwhile', { status: current.status, currentVersion: current.version });
    advance(applicationMachine, current.status, EVENTS.ineligible);
    return current;
  }

  private async notify(manager: EntityManager, application: Application, dto: DecisionDto): Promise<void> {
    if (dto.outcome === 'eligible') return;
    const recipients = await this.organisations.accountRecipients(manager, application.organisationId);
    for (const recipient of recipients) {
      await this.mail.queue(manager, {
        to: recipient.email,
        template: dto.outcome === 'changes_requested' ? 'changes-requested' : 'application-ineligible',
        lang: recipient.lang,
        context: {
          name: recipient.name,
          referenceNumber: application.referenceNumber,
          title: application.title,
          message: dto.message,
          replyBy: dto.replyBy ? dto.replyBy.split('-').reverse().join('.') : undefined,
          link: `/applications/${application.id}`,
        },
        attachments: dto.outcome === 'ineligible' ? [{ kind: REJECTION_ATTACHMENT, params: { applicationId: application.id, referenceNumber: application.referenceNumber, lang: recipient.lang } }] : [],
      });
    }
  }

  /** The letter from the stored decision, or a draft from a reason not yet decided on. */
  private async renderRejection(id: string, lang: 'de' | 'en', draft?: { reason: string; clerkName: string; date: Date; draft: true }): Promise<Buffer> {
    const application = (await this.repository.findById(id))!;
    const [call, organisation, contacts] = await Promise.all([
      this.calls.findById(application.callId),
      this.organisations.findById(application.organisationId),
      this.organisations.contacts(application.organisationId),
    ]);
    const clerk = draft ? draft.clerkName : await this.users.fullName(application.decidedBy);
    return this.renderer.render(
      'rejection',
      {
        referenceNumber: application.referenceNumber!,
        date: berlinDay(draft?.date ?? application.decidedAt ?? new Date()),
        organisation: { name: organisation!.name, street: organisation!.street, postalCode: organisation!.postalCode, city: organisation!.city },
        contactName: contacts.find((c) => c.isPrimary)?.fullName ?? null,
        applicationTitle: application.title,
        callTitle: call!.title,
        callYear: call!.year,
        submittedAt: (application.firstSubmittedAt ?? application.submittedAt ?? new Date()).toISOString(),
        requestedCents: application.requestedCents ?? 0,
        reason: draft?.reason ?? application.ineligibleReason ?? '',
        clerkName: clerk ?? '',
      },
      lang,
      { draft: !!draft },
    );
  }

  private async suggestions(view: ApplicationView): Promise<CheckSuggestions> {
    const problems = submissionProblems(content(view.application), rules(view.call), view.attachments.map((a) => a.kind));
    const financeFields = Object.keys(problems).filter((field) => field.startsWith('costLines') || ['requestedCents', 'ownFundsCents'].includes(field));
    const deadlineDay = berlinDay(view.call.submissionDeadline);
    return {
      complete: Object.keys(problems).length === 0,
      organisationConfirmed: view.organisation.status === 'confirmed',
      certificateValid: view.organisation.nonProfit && !!view.organisation.nonProfitCertificateExpiresOn && view.organisation.nonProfitCertificateExpiresOn >= deadlineDay,
      fieldOfActionMatches: !!view.application.fieldOfAction && view.call.fieldsOfAction.includes(view.application.fieldOfAction),
      declarationsMade: !problems.declarations,
      financePlanConsistent: financeFields.length === 0,
      attachmentsPresent: !problems.attachments,
    };
  }

  /** Locks the row; a decision made on an older version than the current one is a 409. */
  private async lockCurrent(manager: EntityManager, id: string, version: number): Promise<Application> {
    const current = isUuid(id) ? await this.repository.findForUpdate(manager, id) : null;
    if (!current) throw new NotFound('application');
    if (current.version !== version) throw new Conflict('review.changedMeanwhile', { status: current.status, currentVersion: current.version });
    return current;
  }
}

export function worklistFilter(query: WorklistQuery, fieldsOfAction: string[]): WorklistFilter {
  const status = query.status === undefined || query.status === '' ? undefined : query.status;
  const fieldOfAction = query.fieldOfAction === undefined || query.fieldOfAction === '' ? undefined : query.fieldOfAction;
  const errors: Record<string, string[]> = {};
  if (status !== undefined && !(WORKLIST_STATUSES as readonly unknown[]).includes(status)) errors.status = ['validation.choice'];
  if (fieldOfAction !== undefined && !fieldsOfAction.includes(fieldOfAction as string)) errors.fieldOfAction = ['validation.choice'];
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
  return { status: status as ApplicationStatus | undefined, fieldOfAction: fieldOfAction as string | undefined };
}

/** The formal check is the office's: administrators manage the service, they do not decide applications. */
/** Page 1 of 50 rows unless asked otherwise; a page that is not a positive whole number is a 422. */
export function worklistPage(query: WorklistQuery): { page: number; pageSize: number } {
  const page = wholeNumber(query.page, 1);
  const pageSize = wholeNumber(query.pageSize, WORKLIST_PAGE_SIZE);
  const errors: Record<string, string[]> = {};
  if (page === null || page < 1 || page > 1_000_000) errors.page = ['validation.page'];
  if (pageSize === null || pageSize < 1 || pageSize > WORKLIST_MAX_PAGE_SIZE) errors.pageSize = ['validation.pageSize'];
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
  return { page: page!, pageSize: pageSize! };
}

function wholeNumber(value: unknown, fallback: number): number | null {
  if (value === undefined || value === '') return fallback;
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

function checklist(checks: CheckItem[]): Partial<Record<CheckItem, boolean>> {
  return Object.fromEntries(CHECK_ITEMS.map((item) => [item, checks.includes(item)]));
}
