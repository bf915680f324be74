import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { hasAnyRole, requireStaff, STAFF_ROLES } from '../auth/roles.js';
import { Conflict, NotFound, ValidationFailed } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { Transactions } from '../common/transactions.js';
import { advance, initialStep } from '../common/workflow.js';
import type { DocumentLanguage } from '../documents/document-types.js';
import { JobsService } from '../notifications/jobs.service.js';
import { DocumentRenderer } from '../renderer/document-renderer.js';
import { archiveOpenItems, countOpenItems } from './archive.rules.js';
import { FundingCall } from './call.entity.js';
import { CALL_MACHINE_VERSION, callMachine, type CallEvent, type CallStatus } from './call.machine.js';
import type { ArchiveBlocker, ArchiveOpenItem, CallDocument } from './call.types.js';
import { CallsRepository } from './calls.repository.js';
import type { CallDto, UpdateCallDto } from './dto/call.dto.js';

const CLOSE_QUEUE = 'call.close';
/** Calls the public may see: everything but drafts. */
const PUBLIC_STATUSES: CallStatus[] = ['published', 'closed', 'in_review', 'decided', 'archived'];

/** Whether a call may be archived now, and if not, what is still open on its grants. */
export interface ArchiveCheck {
  call: FundingCall;
  open: ArchiveOpenItem[];
  counts: Record<ArchiveBlocker, number>;
}

/** The answer to any change of an archived call or a row under it (the database's triggers answer the same). */
export function archivedConflict(): Conflict {
  return new Conflict('calls.archived', { status: 'archived' });
}

@Injectable()
export class CallsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(CallsService.name);

  constructor(
    private readonly db: Transactions,
    private readonly calls: CallsRepository,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly renderer: DocumentRenderer,
  ) {}

  /**
   * Deadlines are kept by jobs, not by requests: publishing queues a job for the deadline. At start
   * every published call gets one more (closing twice does nothing), so no deadline depends on a
   * job queued before a restart or by the demo data.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work<{ callId: string }>(CLOSE_QUEUE, ({ callId }) => this.closeIfDue(callId));
    for (const call of await this.calls.list(['published'])) {
      await this.jobs.enqueue(this.db.manager, CLOSE_QUEUE, { callId: call.id }, { startAfter: call.submissionDeadline });
    }
  }

  /** Open calls for everyone; staff see all calls including drafts. */
  list(actor: Actor | undefined, options: { openOnly?: boolean } = {}): Promise<FundingCall[]> {
    if (options.openOnly) return this.calls.list(['published']);
    if (actor && hasAnyRole(actor.roles, STAFF_ROLES)) return this.calls.list();
    return this.calls.list(PUBLIC_STATUSES);
  }

  async get(actor: Actor | undefined, id: string): Promise<FundingCall> {
    const call = isUuid(id) ? await this.calls.findById(id) : null;
    if (!call) throw new NotFound('call');
    if (call.status === 'draft' && !(actor && hasAnyRole(actor.roles, STAFF_ROLES))) throw new NotFound('call');
    return call;
  }

  async create(actor: Actor, dto: CallDto): Promise<FundingCall> {
    requireStaff(actor);
    checkRules(dto);
    return this.db.run(async (manager) => {
      const step = initialStep(callMachine);
      const call = await this.calls.create(manager, { ...toColumns(dto), status: step.status as CallStatus, machineSnapshot: step.snapshot, machineVersion: CALL_MACHINE_VERSION, createdBy: actor.id });
      await this.audit.record(manager, actor, { action: 'call.created', entityType: 'call', entityId: call.id, after: call });
      return call;
    });
  }

  /** Only a draft's rules can change: once published, applicants rely on them. */
  async update(actor: Actor, id: string, dto: UpdateCallDto): Promise<FundingCall> {
    requireStaff(actor);
    checkRules(dto);
    return this.db.run(async (manager) => {
      const current = await this.lock(manager, id);
      if (current.status === 'archived') throw archivedConflict();
      if (current.status !== 'draft') throw new Conflict('calls.rulesFixed', { status: current.status });
      if (current.version !== dto.version) throw new Conflict('errors.staleVersion', { currentVersion: current.version, status: current.status });
      const saved = await this.calls.save(manager, { ...current, ...toColumns(dto) });
      await this.audit.record(manager, actor, { action: 'call.updated', entityType: 'call', entityId: id, before: current, after: saved });
      return saved;
    });
  }

  async publish(actor: Actor, id: string): Promise<FundingCall> {
    requireStaff(actor);
    return this.db.run(async (manager) => {
      const current = await this.lock(manager, id);
      const saved = await this.apply(manager, actor, current, { type: 'PUBLISH', deadlinePassed: current.submissionDeadline.getTime() <= Date.now() }, { publishedAt: new Date() });
      await this.jobs.enqueue(manager, CLOSE_QUEUE, { callId: id }, { startAfter: current.submissionDeadline });
      return saved;
    });
  }

  async startReview(actor: Actor, id: string): Promise<FundingCall> {
    requireStaff(actor);
    return this.db.run(async (manager) => this.apply(manager, actor, await this.lock(manager, id), { type: 'START_REVIEW' }));
  }

  /** What still keeps a call from being archived (nothing once it is archived). */
  async archiveCheck(actor: Actor, id: string): Promise<ArchiveCheck> {
    requireStaff(actor);
    const call = await this.get(actor, id);
    const open = call.status === 'archived' ? [] : archiveOpenItems(await this.calls.grantArchiveFacts(this.db.manager, call.id));
    return { call, open, counts: countOpenItems(open) };
  }

  /**
   * ARCHIVE: a decided call whose grants are all settled (archive.rules.ts) becomes read-only. The
   * call's lock keeps decisions, payments and reports of this call from changing while it is checked
   * (each of them locks the call or a row the check reads); a second request waits and finds it archived.
   */
  async archive(actor: Actor, id: string): Promise<FundingCall> {
    requireStaff(actor);
    return this.db.run(async (manager) => {
      const current = await this.lock(manager, id);
      if (current.status === 'archived') throw archivedConflict();
      if (current.status !== 'decided') return this.apply(manager, actor, current, { type: 'ARCHIVE' });
      const open = archiveOpenItems(await this.calls.grantArchiveFacts(manager, current.id));
      if (open.length > 0) throw new Conflict('calls.notSettled', { status: current.status, open: countOpenItems(open), items: open });
      return this.apply(manager, actor, current, { type: 'ARCHIVE' }, { archivedAt: new Date() });
    });
  }

  /** Run by the deadline job: a published call closes once its deadline has passed. */
  async closeIfDue(id: string): Promise<void> {
    await this.db.run(async (manager) => {
      const call = await this.calls.findForUpdate(manager, id);
      if (!call || call.status !== 'published' || call.submissionDeadline.getTime() > Date.now()) return;
      await this.apply(manager, null, call, { type: 'CLOSE', deadlinePassed: true }, { closedAt: new Date() });
      this.logger.log(`Call ${call.year} "${call.title}" closed at its deadline`);
    });
  }

  async pdf(actor: Actor | undefined, id: string, lang: DocumentLanguage): Promise<{ call: FundingCall; pdf: Buffer }> {
    const call = await this.get(actor, id);
    return { call, pdf: await this.renderer.render('call', toDocument(call), lang) };
  }

  private async lock(manager: EntityManager, id: string): Promise<FundingCall> {
    const call = isUuid(id) ? await this.calls.findForUpdate(manager, id) : null;
    if (!call) throw new NotFound('call');
    return call;
  }

  /** Moves a call locked in the caller's transaction on by one event (409 when the machine refuses), with its audit row. */
  async apply(manager: EntityManager, actor: Actor | null, call: FundingCall, event: CallEvent, changes: Partial<FundingCall> = {}): Promise<FundingCall> {
    const step = advance(callMachine, call.status, event);
    const saved = await this.calls.save(manager, { ...call, ...changes, status: step.status as CallStatus, machineSnapshot: step.snapshot });
    await this.audit.record(manager, actor, {
      action: `call.${event.type.toLowerCase()}`,
      entityType: 'call',
      entityId: call.id,
      before: { status: call.status },
      after: { status: step.status, event: event.type },
    });
    return saved;
  }
}

function checkRules(dto: CallDto): void {
  if (dto.fundingPeriodEnd < dto.fundingPeriodStart) throw new ValidationFailed({ fundingPeriodEnd: ['validation.endBeforeStart'] });
  if (dto.importanceWeight + dto.urgencyWeight === 0) throw new ValidationFailed({ importanceWeight: ['validation.weightsZero'] });
  const unknownField = Object.keys(dto.fieldCaps ?? {}).some((field) => !dto.fieldsOfAction.includes(field));
  if (unknownField) throw new ValidationFailed({ fieldCaps: ['validation.fieldCapsUnknown'] });
}

function toColumns(dto: CallDto): Partial<FundingCall> {
  return {
    year: dto.year,
    title: dto.title,
    description: dto.description ?? null,
    budgetCents: dto.budgetCents,
    fieldsOfAction: [...new Set(dto.fieldsOfAction)],
    submissionDeadline: new Date(dto.submissionDeadline),
    fundingPeriodStart: dto.fundingPeriodStart,
    fundingPeriodEnd: dto.fundingPeriodEnd,
    financeType: dto.financeType,
    sharePercent: dto.financeType === 'share' ? (dto.sharePercent ?? null) : null,
    maxAmountCents: dto.maxAmountCents,
    minOwnContributionPercent: dto.minOwnContributionPercent,
    costCategories: [...new Set(dto.costCategories)],
    requiredAttachments: [...new Set(dto.requiredAttachments)],
    declarations: [...new Set(dto.declarations)],
    reportDueMonths: dto.reportDueMonths,
    paymentWindowMonths: dto.paymentWindowMonths,
    lineDeviationPercent: dto.lineDeviationPercent,
    participantBreakdown: [...new Set(dto.participantBreakdown)],
    participantListsRequired: dto.participantListsRequired,
    interestDayCount: dto.interestDayCount ?? 'act/365',
    importanceWeight: dto.importanceWeight,
    urgencyWeight: dto.urgencyWeight,
    partialFunding: dto.partialFunding,
    fieldCaps: dto.fieldCaps ?? {},
  };
}

export function toDocument(call: FundingCall): CallDocument {
  return {
    year: call.year,
    title: call.title,
    description: call.description,
    budgetCents: call.budgetCents,
    fieldsOfAction: call.fieldsOfAction,
    submissionDeadline: call.submissionDeadline.toISOString(),
    fundingPeriodStart: call.fundingPeriodStart,
    fundingPeriodEnd: call.fundingPeriodEnd,
    financeType: call.financeType,
    sharePercent: call.sharePercent,
    maxAmountCents: call.maxAmountCents,
    minOwnContributionPercent: call.minOwnContributionPercent,
    costCategories: call.costCategories,
    requiredAttachments: call.requiredAttachments,
    declarations: call.declarations,
    reportDueMonths: call.reportDueMonths,
  };
}
