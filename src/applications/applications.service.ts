import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { hasAnyRole, MEMBER_ROLES, STAFF_ROLES } from '../auth/roles.js';
import type { FundingCall } from '../calls/call.entity.js';
import { CallsRepository } from '../calls/calls.repository.js';
import { toDocument } from '../calls/calls.service.js';
import { endOfBerlinDay } from '../common/dates.js';
import { Conflict, Forbidden, messageWith, NotFound, ValidationFailed } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { Transactions } from '../common/transactions.js';
import { advance, eventsIn, initialStep } from '../common/workflow.js';
import type { ReceiptDocument } from '../documents/document-types.js';
import { DocumentRenderer } from '../renderer/document-renderer.js';
import { MailService } from '../notifications/mail.service.js';
import type { Organisation } from '../organisations/organisation.entities.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import { Application, type Attachment } from './application.entities.js';
import { APPLICATION_MACHINE_VERSION, applicationMachine, EDITABLE_STATUSES, type ApplicationEvent, type ApplicationStatus } from './application.machine.js';
import { financeSums, submissionProblems, totalCosts, type ApplicationContent, type CallRules, type FinanceSums } from './application.rules.js';
import { ApplicationsRepository, MissingReferenceSequence } from './applications.repository.js';
import { detectFileType, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from './attachment-types.js';
import type { ApplicationContentDto, CreateApplicationDto, UpdateApplicationDto } from './dto/application.dto.js';
import {
  applicationFor,
  applicationForApplicant,
  listRowForApplicant,
  organisationFor,
  statusesForApplicant,
  statusForApplicant,
  type ApplicantApplication,
  type Audience,
  type OrganisationSummary,
  type ShownApplication,
} from './application.views.js';

export { statusForApplicant };

export const RECEIPT_ATTACHMENT = 'application-receipt';

/** The longest answer to a change request. */
export const MAX_REPLY_LENGTH = 5000;
/** The events of the application machine that the round table's sessions cause. */
export type SessionApplicationEvent = Extract<ApplicationEvent, { type: 'ADD_TO_AGENDA' | 'APPROVE' | 'REJECT' | 'DEFER' | 'TAKE_OFF_AGENDA' }>;

/** What a submitted version holds: the content, the reference and the files as they were. */
export interface SubmittedSnapshot extends ApplicationContent {
  referenceNumber: string;
  attachments: { id: string; filename: string; kind: string; sha256: string }[];
}

export interface ApplicationView {
  /** Whose view this is: it decides the fields (see application.views.ts). */
  audience: Audience;
  application: ShownApplication;
  call: FundingCall;
  organisation: Organisation | OrganisationSummary;
  attachments: Attachment[];
  versions: { number: number; submittedAt: Date; changedFields: string[]; replyMessage: string | null }[];
  problems: Record<string, string[]>;
  totalCostsCents: number;
  sums: FinanceSums;
  deadline: Date | null;
}

/** Runs in the withdrawal's transaction, with the application as withdrawn and the state it left. */
export type WithdrawalHandler = (manager: EntityManager, actor: Actor, application: Application, previousStatus: ApplicationStatus) => Promise<void>;

@Injectable()
export class ApplicationsService implements OnModuleInit {
  private readonly withdrawalHandlers: WithdrawalHandler[] = [];


  constructor(
    private readonly db: Transactions,
    private readonly applications: ApplicationsRepository,
    private readonly calls: CallsRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly renderer: DocumentRenderer,
  ) {}

  /**
   * Features that keep something for an application (the budget ledger for an award) act on its
   * withdrawal in the same transaction; they register here, so applications depend on none of them.
   */
  onWithdrawal(handler: WithdrawalHandler): void {
    this.withdrawalHandlers.push(handler);
  }

  onModuleInit(): void {
    this.mail.registerAttachment(RECEIPT_ATTACHMENT, async (params) => ({
      filename: `Eingangsbestaetigung-${String(params.referenceNumber)}.pdf`,
      contentType: 'application/pdf',
      content: await this.renderReceipt(String(params.applicationId), Number(params.number), params.lang === 'en' ? 'en' : 'de'),
    }));
  }

  /** An applicant sees their organisations' applications; staff see all. */
  async list(actor: Actor, filter: { callId?: string; status?: string; fieldOfAction?: string } = {}) {
    if (hasAnyRole(actor.roles, STAFF_ROLES)) return this.applications.list(filter);
    if (actor.roles.includes('applicant')) {
      // The applicant filters by the state they can see, never by the table's decision.
      const { status, ...rest } = filter;
      const wanted = status ? statusesForApplicant(status) : null;
      const rows = await this.applications.list({ ...rest, userId: actor.id });
      return rows.filter((row) => !wanted || wanted.includes(row.status as ApplicationStatus)).map(listRowForApplicant);
    }
    throw new Forbidden();
  }

  async view(actor: Actor, id: string): Promise<ApplicationView> {
    const { application: found, audience } = await this.access(actor, id);
    // The round table deliberates in private: its recommendation reaches the applicant with the award.
    const application = applicationFor(audience, found);
    const [call, organisation, attachments, versions] = await Promise.all([
      this.calls.findById(application.callId),
      this.organisations.findById(application.organisationId),
      this.applications.attachments(id),
      this.applications.versions(id),
    ]);
    return {
      audience,
      application,
      call: call!,
      organisation: organisationFor(audience, organisation!),
      attachments,
      versions: versions.map((version, i) => ({
        number: version.number,
        submittedAt: version.submittedAt,
        changedFields: i === 0 ? [] : changedFields(versions[i - 1].snapshot as Record<string, unknown>, version.snapshot as Record<string, unknown>),
        replyMessage: version.replyMessage,
      })),
      problems: EDITABLE_STATUSES.includes(found.status) ? submissionProblems(content(found), rules(call!), attachments.map((a) => a.kind)) : {},
      totalCostsCents: totalCosts(found),
      sums: financeSums(found),
      deadline: deadlineFor(found, call!),
    };
  }

  /** The application for its edit form; once the applicant can no longer change it, a 409 naming its state. */
  async editView(actor: Actor, id: string): Promise<ApplicationView> {
    if (!actor.roles.includes('applicant')) throw new Forbidden();
    const view = await this.view(actor, id);
    if (view.application.status !== 'draft' && view.application.status !== 'changes_requested') throw new Conflict('applications.notEditable', { status: view.application.status });
    return view;
  }

  /** A draft for one of the actor's organisations, in an open call. */
  async create(actor: Actor, dto: CreateApplicationDto): Promise<ApplicantApplication> {
    if (!actor.roles.includes('applicant')) throw new Forbidden();
    checkDraft(dto);
    if (!(await this.organisations.isRepresentative(actor.id, dto.organisationId))) throw new ValidationFailed({ organisationId: ['validation.choice'] });
    return this.db.run(async (manager) => {
      const call = await this.calls.findById(dto.callId, manager);
      if (!call || call.status !== 'published') throw new ValidationFailed({ callId: ['application.callNotOpen'] });
      const step = initialStep(applicationMachine);
      const application = await this.applications.create(manager, {
        ...contentColumns(dto),
        callId: call.id,
        organisationId: dto.organisationId,
        createdBy: actor.id,
        status: step.status as ApplicationStatus,
        machineSnapshot: step.snapshot,
        machineVersion: APPLICATION_MACHINE_VERSION,
        submissionCount: 0,
        checkList: {},
      });
      await this.audit.record(manager, actor, { action: 'application.created', entityType: 'application', entityId: application.id, after: application });
      return applicationForApplicant(application);
    });
  }

  /** Saves the content as it is, complete or not, while the applicant may still change it. */
  async update(actor: Actor, id: string, dto: UpdateApplicationDto): Promise<ApplicantApplication> {
    await this.visible(actor, id);
    checkDraft(dto);
    return this.db.run(async (manager) => {
      const current = await this.lockEditable(manager, actor, id);
      if (current.version !== dto.version) throw new Conflict('errors.staleVersion', { currentVersion: current.version, status: current.status });
      const saved = await this.applications.save(manager, { ...current, ...contentColumns(dto) });
      await this.audit.record(manager, actor, { action: 'application.updated', entityType: 'application', entityId: id, before: content(current), after: content(saved) });
      return applicationForApplicant(saved);
    });
  }

  /**
   * Submits in time by the server's clock, complete and within the call's rules. Submitting an
   * application that is already submitted (a double click, a retry) answers with it unchanged.
   */
  async submit(actor: Actor, id: string, replyMessage?: string | null): Promise<ApplicantApplication> {
    if (!isUuid(id)) throw new NotFound('application');
    try {
      return await this.submitOnce(actor, id, replyMessage);
    } catch (error) {
      // The first submission of a year finds no sequence for its numbers: it is created outside a
      // transaction (see the repository) and the submission runs again.
      if (!(error instanceof MissingReferenceSequence)) throw error;
      await this.applications.ensureReferenceSequence(error.year);
      return this.submitOnce(actor, id, replyMessage);
    }
  }

  /** Everything the checks need is read in one statement, with the application's row lock. */
  private submitOnce(actor: Actor, id: string, replyMessage?: string | null): Promise<ApplicantApplication> {
    return this.db.run(async (manager) => {
      const context = await this.applications.forSubmission(id, actor.id);
      if (!context) throw new NotFound('application');
      const { application: current, call, attachments } = context;
      audienceFrom(actor, context);
      const reply = typeof replyMessage === 'string' && replyMessage.trim() !== '' ? replyMessage.trim() : null;
      if (reply !== null && reply.length > MAX_REPLY_LENGTH) throw new ValidationFailed({ replyMessage: ['validation.tooLong'] });
      if (current.status === 'submitted') return applicationForApplicant(current);
      if (!actor.roles.includes('applicant')) throw new Forbidden();
      // Named as the applicant sees it: the round table's decision is not revealed before the award.
      if (!EDITABLE_STATUSES.includes(current.status)) throw new Conflict('applications.notEditable', { status: statusForApplicant(current.status) });
      const deadline = deadlineFor(current, call);
      if (EDITABLE_STATUSES.includes(current.status) && (!deadline || Date.now() > deadline.getTime())) {
        throw new Conflict(current.status === 'draft' ? 'applications.tooLate' : 'applications.replyTooLate', { status: current.status, deadline: deadline?.toISOString() ?? null });
      }
      const problems = submissionProblems(content(current), rules(call), attachments.map((a) => a.kind));
      if (Object.keys(problems).length) throw new ValidationFailed(problems);

      const step = advance(applicationMachine, current.status, { type: 'SUBMIT', inTime: true } satisfies ApplicationEvent);
      const now = new Date();
      const number = current.submissionCount + 1;
      // A reply answers a change request; a first submission has nothing to answer.
      const answer = current.status === 'changes_requested' ? reply : null;
      // The reference number is drawn here, after every check: only a failing database leaves a gap.
      const recorded = await this.applications.recordSubmission(
        {
          id,
          year: call.year,
          referenceNumber: current.referenceNumber,
          status: step.status as ApplicationStatus,
          machineSnapshot: step.snapshot,
          number,
          submittedAt: now,
          submittedBy: actor.id,
          snapshot: { ...content(current), attachments: attachments.map((a) => ({ id: a.id, filename: a.filename, kind: a.kind, sha256: a.sha256 })) },
          replyMessage: answer,
        },
        // The reference number joins `after` in the statement that draws it.
        this.audit.row(actor, {
          action: 'application.submitted',
          entityType: 'application',
          entityId: id,
          before: { status: current.status },
          after: { status: step.status, number, ...(answer ? { replyMessage: answer } : {}) },
        }),
      );
      const referenceNumber = recorded.referenceNumber;
      const saved = Object.assign(new Application(), current, {
        referenceNumber,
        status: step.status as ApplicationStatus,
        machineSnapshot: step.snapshot,
        submissionCount: number,
        submittedAt: now,
        firstSubmittedAt: recorded.firstSubmittedAt,
        version: recorded.version,
        updatedAt: recorded.updatedAt,
      });
      await this.mail.queue(manager, {
        to: actor.email,
        template: 'application-submitted',
        lang: actor.preferredLanguage,
        context: { name: actor.fullName, referenceNumber, title: current.title, callTitle: call.title, callYear: call.year, number, link: `/applications/${id}` },
        attachments: [{ kind: RECEIPT_ATTACHMENT, params: { applicationId: id, number, referenceNumber, lang: actor.preferredLanguage } }],
      });
      return applicationForApplicant(saved);
    });
  }

  /** The applicant withdraws a submitted application; possible until an award is made. A draft is deleted instead. */
  async withdraw(actor: Actor, id: string): Promise<ApplicantApplication> {
    await this.visible(actor, id);
    if (!actor.roles.includes('applicant')) throw new Forbidden();
    return this.db.run(async (manager) => {
      const current = (await this.applications.findForUpdate(manager, id))!;
      if (current.status === 'draft') throw new Conflict('applications.deleteDraftInstead', { status: current.status });
      if (!eventsIn(applicationMachine, current.status).includes('WITHDRAW')) {
        throw new Conflict('workflow.refused', { status: statusForApplicant(current.status), event: 'WITHDRAW', allowedEvents: [] });
      }
      const step = advance(applicationMachine, current.status, { type: 'WITHDRAW' } satisfies ApplicationEvent);
      const saved = await this.applications.save(manager, { ...current, status: step.status as ApplicationStatus, machineSnapshot: step.snapshot, withdrawnAt: new Date() });
      await this.audit.record(manager, actor, { action: 'application.withdrawn', entityType: 'application', entityId: id, before: { status: current.status }, after: { status: saved.status } });
      for (const handler of this.withdrawalHandlers) await handler(manager, actor, saved, current.status);
      return applicationForApplicant(saved);
    });
  }

  /**
   * Deletes a draft with its attachments: nobody else has seen it, so nothing is kept but the audit
   * row. Anything submitted is withdrawn instead (409).
   */
  async deleteDraft(actor: Actor, id: string): Promise<void> {
    await this.visible(actor, id);
    if (!actor.roles.includes('applicant')) throw new Forbidden();
    await this.db.run(async (manager) => {
      const current = (await this.applications.findForUpdate(manager, id))!;
      if (current.status !== 'draft') throw new Conflict('applications.onlyDraftsDeleted', { status: statusForApplicant(current.status) });
      const attachments = await this.applications.attachments(id, manager);
      await this.applications.deleteDraft(manager, id);
      await this.audit.record(manager, actor, {
        action: 'application.deleted',
        entityType: 'application',
        entityId: id,
        before: { status: current.status, title: current.title, callId: current.callId, organisationId: current.organisationId, attachments: attachments.map((a) => a.filename) },
      });
    });
  }

  /**
   * The round table's steps for an application (on the agenda, approved, rejected, deferred, taken
   * off a cancelled session's agenda), inside the session's transaction: the row is locked, the
   * machine decides whether the step is allowed (409 otherwise), and the change is audited.
   */
  async moveForSession(manager: EntityManager, actor: Actor, id: string, event: SessionApplicationEvent): Promise<Application> {
    const current = await this.applications.findForUpdate(manager, id);
    if (!current) throw new NotFound('application');
    const step = advance(applicationMachine, current.status, event);
    const saved = await this.applications.saveStatus(manager, current, step.status as ApplicationStatus, step.snapshot);
    await this.audit.record(manager, actor, { action: `application.${event.type.toLowerCase()}`, entityType: 'application', entityId: id, before: { status: current.status }, after: { status: saved.status } });
    return saved;
  }

  /** Stores a PDF, JPEG or PNG, recognised by its content; its SHA-256 identifies it in the receipt. */
  async addAttachment(actor: Actor, id: string, file: { buffer: Buffer; originalname: string } | undefined, kind: unknown): Promise<Attachment> {
    await this.visible(actor, id);
    if (!file || file.buffer.length === 0) throw new ValidationFailed({ file: ['validation.fileMissing'] });
    if (file.buffer.length > MAX_ATTACHMENT_BYTES) throw new ValidationFailed({ file: ['validation.fileTooLarge'] });
    const contentType = detectFileType(file.buffer);
    if (!contentType) throw new ValidationFailed({ file: ['validation.fileType'] });
    return this.db.run(async (manager) => {
      const current = await this.lockEditable(manager, actor, id);
      const call = (await this.calls.findById(current.callId, manager))!;
      const kinds = [...call.requiredAttachments, 'other'];
      if (typeof kind !== 'string' || !kinds.includes(kind)) throw new ValidationFailed({ kind: ['validation.choice'] });
      // Counted under the application's row lock, so parallel uploads cannot pass the limit together.
      if ((await this.applications.countAttachments(manager, id)) >= MAX_ATTACHMENTS) {
        throw new ValidationFailed({ file: [messageWith('validation.tooManyAttachments', { max: MAX_ATTACHMENTS })] });
      }
      const attachment = await this.applications.addAttachment(manager, {
        applicationId: id,
        kind,
        filename: safeFilename(file.originalname, contentType),
        contentType,
        sizeBytes: file.buffer.length,
        sha256: createHash('sha256').update(file.buffer).digest('hex'),
        content: file.buffer,
        uploadedBy: actor.id,
      });
      const { content: _content, ...described } = attachment;
      await this.audit.record(manager, actor, { action: 'application.attachment_added', entityType: 'application', entityId: id, after: described });
      return described as Attachment;
    });
  }

  async removeAttachment(actor: Actor, id: string, attachmentId: string): Promise<void> {
    await this.visible(actor, id);
    await this.db.run(async (manager) => {
      await this.lockEditable(manager, actor, id);
      const attachment = isUuid(attachmentId) ? await this.applications.findAttachment(manager, attachmentId, id) : null;
      if (!attachment || attachment.removedAt) throw new NotFound('attachment');
      await this.applications.markAttachmentRemoved(manager, attachmentId);
      await this.audit.record(manager, actor, { action: 'application.attachment_removed', entityType: 'application', entityId: id, before: { id: attachmentId, filename: attachment.filename } });
    });
  }

  /** The file, for whoever may see the application (also files of earlier versions). */
  async attachmentFile(actor: Actor, id: string, attachmentId: string): Promise<Attachment> {
    await this.visible(actor, id);
    const attachment = isUuid(attachmentId) ? await this.applications.attachmentWithContent(id, attachmentId) : null;
    if (!attachment) throw new NotFound('attachment');
    return attachment;
  }

  async receipt(actor: Actor, id: string, number: number, lang: 'de' | 'en'): Promise<{ referenceNumber: string; pdf: Buffer }> {
    const application = await this.visible(actor, id);
    return { referenceNumber: application.referenceNumber!, pdf: await this.renderReceipt(id, number, lang) };
  }

  /** The receipt shows the version as submitted, not the application as it is now. */
  private async renderReceipt(id: string, number: number, lang: 'de' | 'en'): Promise<Buffer> {
    const data = await this.applications.receiptData(id, number);
    if (!data) throw new NotFound('version');
    const snapshot = data.snapshot as SubmittedSnapshot;
    const document: ReceiptDocument = {
      referenceNumber: snapshot.referenceNumber,
      submittedAt: data.submittedAt.toISOString(),
      submissionNumber: number,
      callTitle: data.callTitle,
      callYear: data.callYear,
      organisation: data.organisation,
      applicantName: data.submitterName ?? '',
      title: snapshot.title ?? '',
      fieldOfAction: snapshot.fieldOfAction ?? '',
      targetGroup: snapshot.targetGroup ?? '',
      district: snapshot.district ?? '',
      startDate: snapshot.startDate ?? '',
      endDate: snapshot.endDate ?? '',
      description: snapshot.description ?? '',
      goals: snapshot.goals ?? '',
      methods: snapshot.methods ?? '',
      expectedParticipants: snapshot.expectedParticipants ?? 0,
      openness: snapshot.openness ?? '',
      costLines: snapshot.costLines,
      ownFundsCents: snapshot.ownFundsCents,
      thirdPartyFunding: snapshot.thirdParty,
      requestedCents: snapshot.requestedCents ?? 0,
      totalCostsCents: totalCosts(snapshot),
      attachments: snapshot.attachments.map(({ filename, kind, sha256 }) => ({ filename, kind, sha256 })),
      declarations: snapshot.declarations,
    };
    return this.renderer.render('receipt', document, lang);
  }

  /** Another organisation's application is a 404: its existence is not revealed. Members of the table see those on an agenda. */
  async visible(actor: Actor, id: string): Promise<Application> {
    return (await this.access(actor, id)).application;
  }

  /** The application and the audience the actor reads it as; 404 for anyone else. */
  private async access(actor: Actor, id: string): Promise<{ application: Application; audience: Audience }> {
    const application = isUuid(id) ? await this.applications.findById(id) : null;
    if (!application) throw new NotFound('application');
    return { application, audience: await this.audienceOf(actor, application) };
  }

  /** Who the actor is to this application; the facts are read only where the roles make them matter. */
  private async audienceOf(actor: Actor, application: Application): Promise<Audience> {
    if (hasAnyRole(actor.roles, STAFF_ROLES)) return 'staff';
    const onAgenda = hasAnyRole(actor.roles, MEMBER_ROLES) && (await this.applications.isOnAgenda(application.id));
    const representative = !onAgenda && actor.roles.includes('applicant') && (await this.organisations.isRepresentative(actor.id, application.organisationId));
    return audienceFrom(actor, { onAgenda, representative });
  }

  private async lockEditable(manager: EntityManager, actor: Actor, id: string): Promise<Application> {
    if (!actor.roles.includes('applicant')) throw new Forbidden();
    const current = (await this.applications.findForUpdate(manager, id))!;
    if (!EDITABLE_STATUSES.includes(current.status)) throw new Conflict('applications.notEditable', { status: statusForApplicant(current.status) });
    return current;
  }
}


/**
 * Who the actor is to an application: staff read everything; members of the round table read the
 * dossiers of the applications on an agenda; representatives of the organisation read its own.
 */
function audienceFrom(actor: Actor, facts: { representative: boolean; onAgenda: boolean }): Audience {
  if (hasAnyRole(actor.roles, STAFF_ROLES)) return 'staff';
  if (hasAnyRole(actor.roles, MEMBER_ROLES) && facts.onAgenda) return 'member';
  if (actor.roles.includes('applicant') && facts.representative) return 'applicant';
  throw new NotFound('application');
}

/** Until when a submission counts as in time: the call's deadline, or the reply-by date of a change request. */
export function deadlineFor(application: Application, call: FundingCall): Date | null {
  if (application.status === 'changes_requested' && application.changeRequest) return endOfBerlinDay(application.changeRequest.replyBy);
  if (application.status === 'draft') return call.status === 'published' || call.status === 'closed' ? call.submissionDeadline : null;
  return null;
}

/** The rules of the call that an application is checked against. */
export function rules(call: FundingCall): CallRules {
  return toDocument(call);
}

export function content(application: Pick<Application, keyof ApplicationContent>): ApplicationContent {
  return {
    title: application.title,
    fieldOfAction: application.fieldOfAction,
    targetGroup: application.targetGroup,
    district: application.district,
    startDate: application.startDate,
    endDate: application.endDate,
    description: application.description,
    goals: application.goals,
    methods: application.methods,
    expectedParticipants: application.expectedParticipants,
    openness: application.openness,
    costLines: application.costLines,
    ownFundsCents: application.ownFundsCents,
    thirdParty: application.thirdParty,
    requestedCents: application.requestedCents,
    declarations: application.declarations,
  };
}

/** A draft may be incomplete, but not self-contradictory. */
function checkDraft(dto: ApplicationContentDto): void {
  if (dto.startDate && dto.endDate && dto.endDate < dto.startDate) throw new ValidationFailed({ endDate: ['validation.endBeforeStart'] });
}

function contentColumns(dto: ApplicationContentDto): Partial<Application> {
  return {
    title: dto.title,
    fieldOfAction: dto.fieldOfAction ?? null,
    targetGroup: dto.targetGroup ?? null,
    district: dto.district ?? null,
    startDate: dto.startDate ?? null,
    endDate: dto.endDate ?? null,
    description: dto.description ?? null,
    goals: dto.goals ?? null,
    methods: dto.methods ?? null,
    expectedParticipants: dto.expectedParticipants ?? null,
    openness: dto.openness ?? null,
    costLines: dto.costLines.map(({ category, description, amountCents }) => ({ category, description, amountCents })),
    ownFundsCents: dto.ownFundsCents,
    thirdParty: dto.thirdParty.map(({ source, amountCents, status }) => ({ source, amountCents, status })),
    requestedCents: dto.requestedCents ?? null,
    declarations: [...new Set(dto.declarations)],
  };
}

/** The fields whose content differs between two submitted versions. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((key) => key !== 'referenceNumber' && JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

const FILENAME_CHARACTER = /^[\p{L}\p{M}\p{N}\p{Extended_Pictographic} ._()-]$/u;
// Joiners that build one emoji from several.
const EMOJI_JOINERS = new Set(['\u200d', '\ufe0f']);

function safeFilename(name: string, contentType: string): string {
  // Letters, digits and emoji stay, counted and cut by code points; anything else becomes "_".
  const characters = Array.from(name.normalize('NFC')).map((c) => (FILENAME_CHARACTER.test(c) || EMOJI_JOINERS.has(c) ? c : '_'));
  const base = characters.join('').replace(/^\.+/, '');
  const cut = Array.from(base).slice(0, 120).join('') || 'datei';
  const extension = { 'application/pdf': '.pdf', 'image/jpeg': '.jpg', 'image/png': '.png' }[contentType]!;
  return /\.(pdf|jpe?g|png)$/i.test(cut) ? cut : cut + extension;
}
