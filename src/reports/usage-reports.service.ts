import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { detectFileType, MAX_ATTACHMENT_BYTES } from '../applications/attachment-types.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { hasAnyRole, requireOffice, requireRole, requireStaff, STAFF_ROLES } from '../auth/roles.js';
import { AwardsRepository } from '../awards/awards.repository.js';
import { toCsv } from '../common/csv.js';
import { berlinDay } from '../common/dates.js';
import { Conflict, messageWith, NotFound, ValidationFailed, type FieldErrors } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { centsToEuroInput } from '../common/money.js';
import { Transactions } from '../common/transactions.js';
import { advance } from '../common/workflow.js';
import { MailService } from '../notifications/mail.service.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import type { ClarificationDto, ReceiptDto, ReceiptFindingDto, ReportCheckDto, SaveUsageReportDto } from './dto/usage-report.dto.js';
import { decodeReceiptCsv, parseReceiptCsv, receiptTemplateCsv, type ReceiptCsvProblem } from './receipts-csv.js';
import { REPORT_EDITABLE, REPORT_STATUSES, reportMachine, type ReportEvent, type ReportStatus } from './report.machine.js';
import { settle, type Settlement, type SettlementInput } from './settlement.rules.js';
import { checkStatement, type StatementInput, type StatementProblem } from './statement.rules.js';
import {
  UsageReportsRepository, type ApprovedPlan, type Narrative, type ReceiptRow, type ReportChange, type ReportFileRow, type ReportRow, type WorklistRow,
} from './usage-reports.repository.js';

/** Narrative texts a submitted report must have. */
const REQUIRED_TEXTS = ['activities', 'goalsReached', 'reached'] as const;
/** The worklist's status filter: the report states, and "overdue" (due before today, not submitted). */
export const WORKLIST_FILTERS = [...REPORT_STATUSES, 'overdue'] as const;
const CLOSED: ReportStatus[] = ['accepted', 'settled_with_claim'];

const WORKLIST_PAGE_SIZE = 50;
const WORKLIST_MAX_PAGE_SIZE = 200;

/** The worklist's filter and page as they come from a query string. */
export interface WorklistQuery {
  callId?: string;
  status?: string;
  page?: unknown;
  pageSize?: unknown;
}

export interface ReportWorklist {
  filter: { callId?: string; status?: string };
  /** One page of the matching reports: to check first, then due, then closed. */
  rows: WorklistRow[];
  /** How many reports match the filter, on all pages. */
  total: number;
  page: number;
  pageSize: number;
  pages: number;
}

/** A problem that keeps the report from being submitted: the statement's, or a missing part of the report. */
export type ReportProblem =
  | StatementProblem
  | { code: 'textMissing'; field: (typeof REQUIRED_TEXTS)[number] | 'openToAll' }
  | { code: 'participantsMissing' }
  | { code: 'participantListsMissing' };

/** What is stored in `usage_report.settlement` when the check is closed (read by the repayment claim). */
export interface StoredSettlement {
  input: SettlementInput;
  result: Settlement;
}

export interface ReportLine {
  key: string;
  category: string;
  description: string;
  plannedCents: number;
  actualCents: number | null;
}

/** The report as the API and the pages show it: to the grantee without the office's internal names. */
export interface UsageReportView {
  id: string;
  status: ReportStatus;
  version: number;
  dueOn: string;
  overdue: boolean;
  editable: boolean;
  award: { id: string; applicationId: string; referenceNumber: string; title: string; organisationName: string; amountCents: number; periodStart: string | null; periodEnd: string | null };
  call: ReportRow['call'] & { id: string };
  plan: { ownFundsCents: number; thirdPartyCents: number; totalCents: number };
  narrative: Narrative;
  lines: ReportLine[];
  ownFundsCents: number | null;
  thirdPartyCents: number | null;
  otherIncomeCents: number | null;
  participantsTotal: number | null;
  participantGroups: ReportRow['participantGroups'];
  receipts: (Omit<ReceiptRow, 'finding' | 'admittedCents' | 'findingReason' | 'foundByName' | 'foundAt'> & Partial<ReceiptRow>)[];
  files: ReportFileRow[];
  problems: ReportProblem[];
  totals: ReturnType<typeof checkStatement>['totals'];
  submittedAt: Date | null;
  submissionCount: number;
  clarificationRequest: string | null;
  clarificationRequestedAt: Date | null;
  contentChecked: { by?: string | null; at: Date } | null;
  figuresChecked: { by?: string | null; at: Date } | null;
  accepted: { by?: string | null; at: Date } | null;
  settlement: StoredSettlement | null;
  /** When the retention job deleted the participant lists, and the receipts and figures (null while kept). */
  retention: { personalDataDeletedAt: Date | null; receiptsDeletedAt: Date | null };
  /** Office, while in check: the settlement the current findings would give (null until every line has one). */
  settlementPreview?: StoredSettlement | null;
  /** Office: the report's own actions now possible. */
  canClose?: boolean;
}

/** 422 with the problems themselves beside the field messages: the page and the API list them. */
export class ReportProblems extends ValidationFailed {
  constructor(fields: FieldErrors, problems: unknown[]) {
    super(fields);
    this.details.problems = problems;
  }
}

/**
 * The usage report (Verwendungsnachweis): the grantee fills it in (narrative, statement against the
 * approved plan, receipt list, participants) while it is due or sent back for clarification and
 * submits it once the statement's checks pass; the office checks it (content and figures, each
 * recorded with who and when; a finding on every receipt), asks for clarification as often as
 * needed, and closes it with the final settlement computed from the admitted figures.
 */
@Injectable()
export class UsageReportsService {
  constructor(
    private readonly db: Transactions,
    private readonly reports: UsageReportsRepository,
    private readonly awards: AwardsRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly audit: AuditService,
    private readonly mail: MailService,
  ) {}

  async get(actor: Actor, id: string): Promise<UsageReportView> {
    const row = await this.visible(actor, id);
    return this.view(actor, row);
  }

  /** The grantee's report on an award, if the actor may see it (for the grant page's link). */
  async forDecision(actor: Actor, decisionId: string): Promise<{ id: string; status: ReportStatus; dueOn: string } | null> {
    const report = await this.reports.byDecision(decisionId);
    if (!report) return null;
    const row = await this.reports.find(report.id);
    if (!row || !(await this.maySee(actor, row))) return null;
    return report;
  }

  /** Saves the draft: only the parts sent change; a stale version is a 409 and changes nothing. */
  async save(actor: Actor, id: string, dto: SaveUsageReportDto): Promise<UsageReportView> {
    requireRole(actor, ['applicant']);
    await this.visible(actor, id);
    return this.grantee(actor, id, dto.version, 'usage_report.saved', async (current, _manager, plan) => {
      const change: ReportChange = {};
      if (dto.narrative) change.narrative = { ...current.narrative, ...normaliseNarrative(dto.narrative) };
      if (dto.lines) {
        const keys = plan.costLines.map((_line, i) => String(i + 1));
        const fields: FieldErrors = {};
        dto.lines.forEach((line, i) => {
          if (!keys.includes(line.key)) fields[`lines.${i}.key`] = ['reports.validation.unknownLine'];
        });
        if (Object.keys(fields).length) throw new ValidationFailed(fields);
        const sent = new Map(dto.lines.map((line) => [line.key, line.actualCents ?? null]));
        const stored = new Map(current.actualLines.map((line) => [line.key, line.actualCents]));
        change.actualLines = keys.map((key) => ({ key, actualCents: sent.has(key) ? sent.get(key)! : (stored.get(key) ?? null) }));
      }
      for (const field of ['ownFundsCents', 'thirdPartyCents', 'otherIncomeCents', 'participantsTotal'] as const) {
        if (dto[field] !== undefined) change[field] = dto[field];
      }
      if (dto.participantGroups) {
        const fields = current.call.participantBreakdown;
        const errors: FieldErrors = {};
        dto.participantGroups.forEach((group, i) => {
          if (Object.keys(group.breakdown ?? {}).some((field) => !fields.includes(field))) errors[`participantGroups.${i}.breakdown`] = ['reports.validation.unknownBreakdown'];
        });
        if (Object.keys(errors).length) throw new ValidationFailed(errors);
        change.participantGroups = dto.participantGroups.map((group) => ({ label: group.label, count: group.count, breakdown: group.breakdown ?? {} }));
      }
      return change;
    });
  }

  /** Replaces the receipt list with the one typed in. */
  async replaceReceipts(actor: Actor, id: string, version: number, receipts: ReceiptDto[]): Promise<UsageReportView> {
    requireRole(actor, ['applicant']);
    await this.visible(actor, id);
    return this.grantee(actor, id, version, 'usage_report.receipts_saved', async (_current, manager, plan) => {
      const fields: FieldErrors = {};
      receipts.forEach((receipt, i) => {
        if (receipt.costLine > plan.costLines.length) fields[`receipts.${i}.costLine`] = [messageWith('reports.validation.costLine', { lines: plan.costLines.length })];
      });
      if (Object.keys(fields).length) throw new ValidationFailed(fields);
      await this.reports.replaceReceipts(manager, id, receipts);
      return {};
    }, { receipts: receipts.length });
  }

  /** Imports the receipt list from CSV, all or nothing: an unreadable cell is a 422 naming line and column. */
  async importReceipts(actor: Actor, id: string, file: { buffer: Buffer } | undefined, version: number | undefined): Promise<UsageReportView> {
    requireRole(actor, ['applicant']);
    const row = await this.visible(actor, id);
    if (!file || file.buffer.length === 0) throw new ValidationFailed({ file: ['validation.fileMissing'] });
    if (file.buffer.length > MAX_ATTACHMENT_BYTES) throw new ValidationFailed({ file: ['validation.fileTooLarge'] });
    const plan = await this.reports.approvedPlan(row.applicationId);
    const text = decodeReceiptCsv(file.buffer);
    if (text === null) throw new ReportProblems({ file: ['reports.csv.unreadable?line=1&column='] }, [{ line: 1, column: '', code: 'unreadable' }]);
    const parsed = parseReceiptCsv(text, plan.costLines.length);
    if (parsed.problems.length) throw new ReportProblems({ file: parsed.problems.map(csvMessage) }, parsed.problems);
    return this.grantee(actor, id, version ?? row.version, 'usage_report.receipts_imported', async (_current, manager) => {
      await this.reports.replaceReceipts(manager, id, parsed.lines.map((line) => ({ ...line, date: line.date })));
      return {};
    }, { receipts: parsed.lines.length });
  }

  receiptTemplate(): string {
    return receiptTemplateCsv();
  }

  /** A signed participant list (PDF, JPEG or PNG), where the call asks for them. */
  async addFile(actor: Actor, id: string, file: { buffer: Buffer; originalname: string } | undefined): Promise<ReportFileRow> {
    requireRole(actor, ['applicant']);
    const row = await this.visible(actor, id);
    if (!row.call.participantListsRequired) throw new Conflict('reports.noParticipantLists', { status: row.status });
    if (!file || file.buffer.length === 0) throw new ValidationFailed({ file: ['validation.fileMissing'] });
    if (file.buffer.length > MAX_ATTACHMENT_BYTES) throw new ValidationFailed({ file: ['validation.fileTooLarge'] });
    const contentType = detectFileType(file.buffer);
    if (!contentType) throw new ValidationFailed({ file: ['validation.fileType'] });
    return this.db.run(async (manager) => {
      const current = await this.lockEditable(manager, id);
      if ((await this.reports.files(id, manager)).length >= 20) throw new ValidationFailed({ file: [messageWith('reports.validation.tooManyFiles', { max: 20 })] });
      const saved = await this.reports.addFile(manager, { reportId: id, filename: safeFilename(file.originalname, contentType), contentType, content: file.buffer, userId: actor.id });
      await this.reports.update(manager, id, {});
      await this.audit.record(manager, actor, { action: 'usage_report.file_added', entityType: 'usage_report', entityId: id, after: { filename: saved.filename, sizeBytes: saved.sizeBytes, status: current.status } });
      return saved;
    });
  }

  async removeFile(actor: Actor, id: string, fileId: string): Promise<void> {
    requireRole(actor, ['applicant']);
    await this.visible(actor, id);
    await this.db.run(async (manager) => {
      await this.lockEditable(manager, id);
      const removed = isUuid(fileId) ? await this.reports.removeFile(manager, id, fileId) : null;
      if (!removed) throw new NotFound('file');
      await this.reports.update(manager, id, {});
      await this.audit.record(manager, actor, { action: 'usage_report.file_removed', entityType: 'usage_report', entityId: id, before: { filename: removed.filename } });
    });
  }

  /** Participant lists hold personal data: the office downloads them, nobody else. */
  async file(actor: Actor, id: string, fileId: string): Promise<{ filename: string; contentType: string; content: Buffer }> {
    await this.visible(actor, id);
    requireOffice(actor);
    const file = isUuid(fileId) ? await this.reports.file(id, fileId) : null;
    if (!file) throw new NotFound('file');
    return file;
  }

  /** Submits the report: refused with 422 and the list of problems while any remain. */
  async submit(actor: Actor, id: string): Promise<UsageReportView> {
    requireRole(actor, ['applicant']);
    await this.visible(actor, id);
    return this.db.run(async (manager) => {
      const current = await this.lockEditable(manager, id);
      const plan = await this.reports.approvedPlan(current.applicationId, manager);
      const [receipts, files] = await Promise.all([this.reports.receipts(id, manager), this.reports.files(id, manager)]);
      const { problems } = assess(current, plan, receipts, files);
      if (problems.length) throw new ReportProblems(problemFields(problems), problems);
      const step = advance(reportMachine, current.status, { type: 'SUBMIT' } satisfies ReportEvent);
      const now = new Date();
      // A resubmission is checked afresh: both checks are recorded again.
      await this.reports.update(manager, id, {
        status: step.status as ReportStatus, submittedAt: now, firstSubmittedAt: current.firstSubmittedAt ?? now, submissionCount: current.submissionCount + 1,
        contentCheckedBy: null, contentCheckedAt: null, figuresCheckedBy: null, figuresCheckedAt: null,
      });
      await this.audit.record(manager, actor, { action: 'usage_report.submitted', entityType: 'usage_report', entityId: id, before: { status: current.status }, after: { status: step.status, submission: current.submissionCount + 1 } });
      return this.view(actor, (await this.reports.find(id, manager))!, manager);
    });
  }

  /** The office's worklist across calls, filtered by call and status (or "overdue"), a page at a time. */
  async worklist(actor: Actor, query: WorklistQuery): Promise<ReportWorklist> {
    const errors: FieldErrors = {};
    const filter = worklistFilter(actor, query, errors);
    const page = wholeNumber(query.page, 1);
    const pageSize = wholeNumber(query.pageSize, WORKLIST_PAGE_SIZE);
    if (page === null || page < 1 || page > 1_000_000) errors.page = ['validation.page'];
    if (pageSize === null || pageSize < 1 || pageSize > WORKLIST_MAX_PAGE_SIZE) errors.pageSize = ['validation.pageSize'];
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    const { rows, total } = await this.reports.worklist(filter, berlinDay(new Date()), { limit: pageSize!, offset: (page! - 1) * pageSize! });
    return { filter, rows, total, page: page!, pageSize: pageSize!, pages: Math.max(1, Math.ceil(total / pageSize!)) };
  }

  /** The whole filtered worklist as CSV for spreadsheets (semicolons, UTF-8 with BOM). */
  async worklistCsv(actor: Actor, query: WorklistQuery, t: (key: string) => string): Promise<string> {
    const errors: FieldErrors = {};
    const filter = worklistFilter(actor, query, errors);
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    const { rows } = await this.reports.worklist(filter, berlinDay(new Date()));
    const day = (value: string | Date | null) => (value ? (typeof value === 'string' ? value : berlinDay(value)).split('-').reverse().join('.') : '');
    return toCsv([
      ['Aktenzeichen', 'Projekt', 'Träger', 'Förderaufruf', 'Bewilligt (EUR)', 'Fällig am', 'Status', 'Überfällig', 'Eingereicht am', 'Abgeschlossen am', 'Ergebnis'],
      ...rows.map((row) => [
        row.referenceNumber, row.title, row.organisationName, `${row.callYear} ${row.callTitle}`, centsToEuroInput(row.awardedCents), day(row.dueOn),
        t(`reports.status.${row.status}`), row.overdue ? 'ja' : 'nein', day(row.submittedAt), day(row.acceptedAt), row.outcome ? t(`reports.outcome.${row.outcome}`) : '',
      ]),
    ]);
  }

  async calls(actor: Actor): Promise<{ id: string; title: string; year: number }[]> {
    requireStaff(actor);
    return this.reports.callsWithReports();
  }

  async startCheck(actor: Actor, id: string): Promise<UsageReportView> {
    return this.office(actor, id, 'usage_report.check_started', async (current) => {
      const step = advance(reportMachine, current.status, { type: 'START_CHECK' } satisfies ReportEvent);
      return { status: step.status as ReportStatus };
    });
  }

  /** A finding on one receipt: admitted in full, reduced to an amount with a reason, or refused with a reason. */
  async setFinding(actor: Actor, id: string, receiptId: string, dto: ReceiptFindingDto): Promise<UsageReportView> {
    return this.office(actor, id, 'usage_report.receipt_found', async (current, manager) => {
      inCheck(current);
      const receipt = (await this.reports.receipts(id, manager)).find((line) => line.id === receiptId);
      if (!receipt) throw new NotFound('receipt');
      const reason = dto.reason?.trim() || null;
      const fields: FieldErrors = {};
      let admittedCents = receipt.amountCents;
      if (dto.finding === 'reduced') {
        if (dto.admittedCents === undefined || dto.admittedCents === null) fields.admittedCents = ['validation.required'];
        else if (dto.admittedCents >= receipt.amountCents) fields.admittedCents = [messageWith('reports.validation.reduceBelow', { amountCents: receipt.amountCents })];
        else admittedCents = dto.admittedCents;
      }
      if (dto.finding === 'refused') admittedCents = 0;
      if (dto.finding !== 'admitted' && !reason) fields.reason = ['reports.validation.reasonRequired'];
      if (Object.keys(fields).length) throw new ValidationFailed(fields);
      await this.reports.setFinding(manager, id, receiptId, { finding: dto.finding, admittedCents, reason: dto.finding === 'admitted' ? null : reason, userId: actor.id });
      return {};
    }, { receiptId, finding: dto.finding, admittedCents: dto.finding === 'reduced' ? dto.admittedCents : undefined });
  }

  /** Records the content check or the figures check, each with who and when (two clerks may share the work). */
  async recordCheck(actor: Actor, id: string, dto: ReportCheckDto): Promise<UsageReportView> {
    return this.office(actor, id, `usage_report.${dto.part}_checked`, async (current) => {
      inCheck(current);
      const now = new Date();
      return dto.part === 'content' ? { contentCheckedBy: actor.id, contentCheckedAt: now } : { figuresCheckedBy: actor.id, figuresCheckedAt: now };
    });
  }

  /** Sends the report back to the grantee with the office's question; the organisation is mailed. */
  async requestClarification(actor: Actor, id: string, dto: ClarificationDto): Promise<UsageReportView> {
    return this.office(actor, id, 'usage_report.clarification_requested', async (current, manager) => {
      const step = advance(reportMachine, current.status, { type: 'REQUEST_CLARIFICATION' } satisfies ReportEvent);
      for (const recipient of await this.organisations.accountRecipients(manager, current.organisationId)) {
        await this.mail.queue(manager, {
          to: recipient.email,
          template: 'report-clarification',
          lang: recipient.lang,
          context: { name: recipient.name, referenceNumber: current.referenceNumber, title: current.title, message: dto.message, link: `/reports/${id}` },
        });
      }
      return { status: step.status as ReportStatus, clarificationRequest: dto.message, clarificationRequestedAt: new Date() };
    });
  }

  /**
   * Closes the check with the final settlement from the admitted figures: accepted (final payment or
   * nothing more), or settled with a repayment claim. The part of the award that will never be paid
   * goes back to the call's budget.
   */
  async close(actor: Actor, id: string): Promise<UsageReportView> {
    return this.office(actor, id, 'usage_report.closed', async (current, manager) => {
      inCheck(current);
      const receipts = await this.reports.receipts(id, manager);
      const missing: FieldErrors = {};
      if (!current.contentCheckedAt) missing.contentChecked = ['reports.validation.contentCheckMissing'];
      if (!current.figuresCheckedAt) missing.figuresChecked = ['reports.validation.figuresCheckMissing'];
      const open = receipts.filter((receipt) => receipt.finding === null);
      if (open.length) missing.receipts = [messageWith('reports.validation.findingsMissing', { count: open.length })];
      if (Object.keys(missing).length) throw new Conflict(Object.values(missing)[0][0], { status: current.status, missing: Object.keys(missing) });
      const paidCents = await this.reports.paidCents(manager, current.decisionId);
      const plan = await this.reports.approvedPlan(current.applicationId, manager);
      const stored = settlementOf(current, plan, receipts, paidCents);
      const event: ReportEvent = stored.result.outcome === 'repayment' ? { type: 'SETTLE_WITH_CLAIM' } : { type: 'ACCEPT' };
      const step = advance(reportMachine, current.status, event);
      const freed = current.awardedCents - Math.max(stored.result.dueCents, paidCents);
      if (freed > 0) {
        await this.awards.commit(manager, current.callId, -freed);
        await this.awards.book(manager, { callId: current.callId, kind: 'freed', amountCents: freed, decisionId: current.decisionId, note: 'usage report settled', bookedBy: actor.id });
      }
      return { status: step.status as ReportStatus, settlement: stored, acceptedBy: actor.id, acceptedAt: new Date() };
    }, { closing: true });
  }

  /** A change by the grantee: editable states only, on the version it was made on. */
  private grantee(
    actor: Actor, id: string, version: number, action: string,
    change: (current: ReportRow, manager: EntityManager, plan: ApprovedPlan) => Promise<ReportChange>, audit: Record<string, unknown> = {},
  ): Promise<UsageReportView> {
    return this.db.run(async (manager) => {
      const current = await this.lockEditable(manager, id);
      if (current.version !== version) throw new Conflict('reports.changedMeanwhile', { status: current.status, currentVersion: current.version });
      const plan = await this.reports.approvedPlan(current.applicationId, manager);
      const columns = await change(current, manager, plan);
      await this.reports.update(manager, id, columns);
      await this.audit.record(manager, actor, { action, entityType: 'usage_report', entityId: id, before: { version: current.version }, after: { ...auditable(columns), ...audit } });
      return this.view(actor, (await this.reports.find(id, manager))!, manager);
    });
  }

  /** A step of the office's check, under the report's row lock; a closed report answers 409 with its state. */
  private office(
    actor: Actor, id: string, action: string, change: (current: ReportRow, manager: EntityManager) => Promise<ReportChange>, audit: Record<string, unknown> = {},
  ): Promise<UsageReportView> {
    requireOffice(actor);
    return this.db.run(async (manager) => {
      const current = isUuid(id) ? await this.reports.findForUpdate(manager, id) : null;
      if (!current) throw new NotFound('report');
      if (CLOSED.includes(current.status)) throw new Conflict('reports.closed', { status: current.status, version: current.version });
      const columns = await change(current, manager);
      await this.reports.update(manager, id, columns);
      await this.audit.record(manager, actor, { action, entityType: 'usage_report', entityId: id, before: { status: current.status }, after: { ...auditable(columns), ...audit } });
      return this.view(actor, (await this.reports.find(id, manager))!, manager);
    });
  }

  private async lockEditable(manager: EntityManager, id: string): Promise<ReportRow> {
    const current = await this.reports.findForUpdate(manager, id);
    if (!current) throw new NotFound('report');
    if (!REPORT_EDITABLE.includes(current.status)) throw new Conflict(CLOSED.includes(current.status) ? 'reports.closed' : 'reports.notEditable', { status: current.status, version: current.version });
    return current;
  }

  /** Staff, or the organisation the award went to; anyone else learns nothing (404). */
  private async visible(actor: Actor, id: string): Promise<ReportRow> {
    const row = isUuid(id) ? await this.reports.find(id) : null;
    if (!row || !(await this.maySee(actor, row))) throw new NotFound('report');
    return row;
  }

  private async maySee(actor: Actor, row: ReportRow): Promise<boolean> {
    if (hasAnyRole(actor.roles, STAFF_ROLES)) return true;
    return actor.roles.includes('applicant') && this.organisations.isRepresentative(actor.id, row.organisationId);
  }

  private async view(actor: Actor, row: ReportRow, manager: EntityManager = this.db.manager): Promise<UsageReportView> {
    const staff = hasAnyRole(actor.roles, STAFF_ROLES);
    const closed = CLOSED.includes(row.status);
    const plan = await this.reports.approvedPlan(row.applicationId, manager);
    const [receipts, files] = await Promise.all([this.reports.receipts(row.id, manager), this.reports.files(row.id, manager)]);
    const { problems, totals, lines } = assess(row, plan, receipts, files);
    const checked = (by: string | null, at: Date | null) => (at ? (staff ? { by, at } : { at }) : null);
    const view: UsageReportView = {
      id: row.id,
      status: row.status,
      version: row.version,
      dueOn: row.dueOn,
      overdue: row.status === 'due' && row.dueOn < berlinDay(new Date()),
      editable: REPORT_EDITABLE.includes(row.status),
      award: { id: row.decisionId, applicationId: row.applicationId, referenceNumber: row.referenceNumber, title: row.title, organisationName: row.organisationName, amountCents: row.awardedCents, periodStart: row.periodStart, periodEnd: row.periodEnd },
      call: { id: row.callId, ...row.call },
      plan: { ownFundsCents: plan.ownFundsCents, thirdPartyCents: plan.thirdParty.reduce((sum, entry) => sum + entry.amountCents, 0), totalCents: totals.plannedCents },
      narrative: row.narrative,
      lines,
      ownFundsCents: row.ownFundsCents,
      thirdPartyCents: row.thirdPartyCents,
      otherIncomeCents: row.otherIncomeCents,
      participantsTotal: row.participantsTotal,
      participantGroups: row.participantGroups,
      // The office's findings are its working notes until the check is closed.
      receipts: staff || closed ? receipts.map((receipt) => (staff ? receipt : { ...receipt, foundByName: null })) : receipts.map(({ finding: _f, admittedCents: _a, findingReason: _r, foundByName: _b, foundAt: _t, ...line }) => line),
      files,
      problems,
      totals,
      submittedAt: row.submittedAt,
      submissionCount: row.submissionCount,
      clarificationRequest: row.clarificationRequest,
      clarificationRequestedAt: row.clarificationRequestedAt,
      contentChecked: checked(row.contentCheckedByName, row.contentCheckedAt),
      figuresChecked: checked(row.figuresCheckedByName, row.figuresCheckedAt),
      accepted: checked(row.acceptedByName, row.acceptedAt),
      settlement: (row.settlement as StoredSettlement | null) ?? null,
      retention: { personalDataDeletedAt: row.personalDataDeletedAt, receiptsDeletedAt: row.receiptsDeletedAt },
    };
    if (staff && row.status === 'in_check') {
      const complete = receipts.every((receipt) => receipt.finding !== null);
      view.settlementPreview = complete ? settlementOf(row, plan, receipts, await this.reports.paidCents(manager, row.decisionId)) : null;
      view.canClose = complete && !!row.contentCheckedAt && !!row.figuresCheckedAt;
    }
    return view;
  }
}

/** Staff only; a status or call that is not one is noted in `errors` (the caller answers 422 naming them). */
function worklistFilter(actor: Actor, query: WorklistQuery, errors: FieldErrors): { callId?: string; status?: string } {
  requireStaff(actor);
  const { callId, status } = query;
  if (status !== undefined && status !== '' && !(WORKLIST_FILTERS as readonly string[]).includes(status)) errors.status = ['validation.choice'];
  if (callId !== undefined && callId !== '' && !isUuid(callId)) errors.callId = ['validation.choice'];
  return { callId: callId || undefined, status: status || undefined };
}

function wholeNumber(value: unknown, fallback: number): number | null {
  if (value === undefined || value === '') return fallback;
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

/** The statement's checks and the report's own: what keeps it from being submitted. */
function assess(row: ReportRow, plan: ApprovedPlan, receipts: ReceiptRow[], files: ReportFileRow[]) {
  const actual = new Map(row.actualLines.map((line) => [line.key, line.actualCents]));
  const lines: ReportLine[] = plan.costLines.map((line, i) => ({
    key: String(i + 1), category: line.category, description: line.description, plannedCents: line.amountCents, actualCents: actual.get(String(i + 1)) ?? null,
  }));
  const input: StatementInput = {
    lines,
    approvedTotalCents: lines.reduce((sum, line) => sum + line.plannedCents, 0),
    ownFundsCents: row.ownFundsCents,
    thirdPartyCents: row.thirdPartyCents,
    otherIncomeCents: row.otherIncomeCents,
    allowedDeviationPercent: row.call.lineDeviationPercent,
    receipts: receipts.map((receipt) => ({ amountCents: receipt.amountCents, costLineKey: String(receipt.costLine) })),
  };
  const check = checkStatement(input);
  const problems: ReportProblem[] = [...check.problems];
  for (const field of REQUIRED_TEXTS) if (!row.narrative[field]) problems.push({ code: 'textMissing', field });
  if (row.narrative.openToAll === undefined || row.narrative.openToAll === null) problems.push({ code: 'textMissing', field: 'openToAll' });
  if (row.participantsTotal === null) problems.push({ code: 'participantsMissing' });
  if (row.call.participantListsRequired && files.length === 0) problems.push({ code: 'participantListsMissing' });
  return { problems, totals: check.totals, lines };
}

function settlementOf(row: ReportRow, plan: ApprovedPlan, receipts: ReceiptRow[], paidCents: number): StoredSettlement {
  const input: SettlementInput = {
    financeType: row.call.financeType,
    sharePercent: row.call.sharePercent,
    awardedCents: row.awardedCents,
    paidCents,
    admittedCostsCents: receipts.reduce((sum, receipt) => sum + (receipt.admittedCents ?? 0), 0),
    ownFundsCents: row.ownFundsCents ?? 0,
    thirdPartyCents: row.thirdPartyCents ?? 0,
    otherIncomeCents: row.otherIncomeCents ?? 0,
    ...(row.call.financeType === 'deficit' ? { plannedOwnFundsCents: plan.ownFundsCents } : {}),
  };
  return { input, result: settle(input) };
}

function inCheck(report: ReportRow): void {
  if (report.status !== 'in_check') throw new Conflict('reports.notInCheck', { status: report.status, version: report.version });
}

/** Each problem as a message at the field it concerns, for the 422 and the page's error summary. */
export function problemFields(problems: ReportProblem[]): FieldErrors {
  const fields: FieldErrors = {};
  const add = (field: string, key: string) => (fields[field] ??= []).push(key);
  for (const problem of problems) {
    switch (problem.code) {
      case 'figureMissing':
        add(problem.field === 'actualCents' ? `lines.${Number(problem.key) - 1}.actualCents` : problem.field, 'reports.problem.figureMissing');
        break;
      case 'lineOverDeviation':
        add(`lines.${Number(problem.key) - 1}.actualCents`, messageWith('reports.problem.lineOverDeviation', { overCents: problem.overCents, allowedOverCents: problem.allowedOverCents, percent: problem.percent }));
        break;
      case 'lineOverNotCovered':
        add(`lines.${Number(problem.key) - 1}.actualCents`, messageWith('reports.problem.lineOverNotCovered', { uncoveredCents: problem.uncoveredCents }));
        break;
      case 'totalOverApproved':
        add('lines', messageWith('reports.problem.totalOverApproved', { overCents: problem.overCents, approvedTotalCents: problem.approvedTotalCents }));
        break;
      case 'receiptsMismatch':
        add(`lines.${Number(problem.key) - 1}.actualCents`, messageWith('reports.problem.receiptsMismatch', { line: problem.key, statedCents: problem.statedCents, receiptsCents: problem.receiptsCents }));
        break;
      case 'receiptUnknownLine':
        add('receipts', messageWith('reports.problem.receiptUnknownLine', { line: problem.costLineKey }));
        break;
      case 'textMissing':
        add(`narrative.${problem.field}`, 'reports.problem.textMissing');
        break;
      case 'participantsMissing':
        add('participantsTotal', 'reports.problem.figureMissing');
        break;
      case 'participantListsMissing':
        add('files', 'reports.problem.participantListsMissing');
        break;
    }
  }
  return fields;
}

function csvMessage(problem: ReceiptCsvProblem): string {
  return messageWith(`reports.csv.${problem.code}`, { line: problem.line, column: problem.column });
}

function normaliseNarrative(dto: Narrative): Narrative {
  return Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as Narrative;
}

/** What the audit trail keeps of a change: the figures and states, not the long texts. */
function auditable(change: ReportChange): Record<string, unknown> {
  const { narrative, participantGroups, settlement, ...rest } = change;
  return {
    ...rest,
    ...(narrative ? { narrative: Object.keys(narrative) } : {}),
    ...(participantGroups ? { participantGroups: participantGroups.length } : {}),
    ...(settlement ? { outcome: (settlement as StoredSettlement).result.outcome, differenceCents: (settlement as StoredSettlement).result.differenceCents } : {}),
  };
}

const FILENAME_CHARACTER = /[\p{L}\p{N}\p{Emoji_Presentation} ._()-]/u;

/** A file name safe to store and send back: letters, digits and a few signs; the type's extension. */
function safeFilename(name: string, contentType: string): string {
  const base = Array.from(name.normalize('NFC')).map((c) => (FILENAME_CHARACTER.test(c) ? c : '_')).join('').replace(/^\.+/, '');
  const cut = Array.from(base).slice(0, 120).join('') || 'Teilnehmendenliste';
  const extension = { 'application/pdf': '.pdf', 'image/jpeg': '.jpg', 'image/png': '.png' }[contentType]!;
  return /\.(pdf|jpe?g|png)$/i.test(cut) ? cut : cut + extension;
}

