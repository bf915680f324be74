import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FinanceType } from '../calls/call.types.js';
import { Transactions } from '../common/transactions.js';
import type { ReportStatus } from './report.machine.js';

/** The narrative part of the report (Sachbericht). */
export interface Narrative {
  activities?: string | null;
  goalsReached?: string | null;
  reached?: string | null;
  problems?: string | null;
  learnings?: string | null;
  /** Whether the measure stayed open to everyone, with the grantee's words on it. */
  openToAll?: boolean | null;
  opennessNote?: string | null;
}

export interface ParticipantGroup {
  label: string;
  count: number;
  /** Counts per field of the call's participant breakdown. */
  breakdown: Record<string, number>;
}

/** A usage report with what its pages and checks need of the award, the application and the call. */
export interface ReportRow {
  id: string;
  decisionId: string;
  callId: string;
  organisationId: string;
  dueOn: string;
  status: ReportStatus;
  narrative: Narrative;
  actualLines: { key: string; actualCents: number | null }[];
  ownFundsCents: number | null;
  thirdPartyCents: number | null;
  otherIncomeCents: number | null;
  participantsTotal: number | null;
  participantGroups: ParticipantGroup[];
  submissionCount: number;
  firstSubmittedAt: Date | null;
  submittedAt: Date | null;
  clarificationRequest: string | null;
  clarificationRequestedAt: Date | null;
  contentCheckedBy: string | null;
  contentCheckedByName: string | null;
  contentCheckedAt: Date | null;
  figuresCheckedBy: string | null;
  figuresCheckedByName: string | null;
  figuresCheckedAt: Date | null;
  acceptedBy: string | null;
  acceptedByName: string | null;
  acceptedAt: Date | null;
  settlement: unknown;
  version: number;
  updatedAt: Date;
  /** Set by the retention job (src/privacy) when it deleted the lists and photos, or the receipts and figures. */
  personalDataDeletedAt: Date | null;
  receiptsDeletedAt: Date | null;
  applicationId: string;
  referenceNumber: string;
  title: string;
  organisationName: string;
  awardedCents: number;
  periodStart: string | null;
  periodEnd: string | null;
  call: {
    title: string;
    year: number;
    financeType: FinanceType;
    sharePercent: number | null;
    lineDeviationPercent: number;
    participantBreakdown: string[];
    participantListsRequired: boolean;
  };
}

/** The approved finance plan: the application as the round table decided on it. */
export interface ApprovedPlan {
  costLines: { category: string; description: string; amountCents: number }[];
  ownFundsCents: number;
  thirdParty: { source: string; amountCents: number; status: string }[];
}

export interface ReceiptRow {
  id: string;
  position: number;
  date: string;
  payee: string;
  purpose: string;
  amountCents: number;
  costLine: number;
  paidOn: string;
  finding: 'admitted' | 'reduced' | 'refused' | null;
  admittedCents: number | null;
  findingReason: string | null;
  foundByName: string | null;
  foundAt: Date | null;
}

export interface ReportFileRow {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  uploadedAt: Date;
}

/** One row of the office's worklist of reports. */
export interface WorklistRow {
  id: string;
  callId: string;
  callTitle: string;
  callYear: number;
  applicationId: string;
  referenceNumber: string;
  title: string;
  organisationName: string;
  awardedCents: number;
  dueOn: string;
  status: ReportStatus;
  overdue: boolean;
  submittedAt: Date | null;
  acceptedAt: Date | null;
  outcome: string | null;
}

/** Columns a service may change, by their names in ReportRow. */
const COLUMNS = {
  status: 'status',
  narrative: 'narrative',
  actualLines: 'actual_lines',
  ownFundsCents: 'own_funds_cents',
  thirdPartyCents: 'third_party_cents',
  otherIncomeCents: 'other_income_cents',
  participantsTotal: 'participants_total',
  participantGroups: 'participant_groups',
  submissionCount: 'submission_count',
  firstSubmittedAt: 'first_submitted_at',
  submittedAt: 'submitted_at',
  clarificationRequest: 'clarification_request',
  clarificationRequestedAt: 'clarification_requested_at',
  contentCheckedBy: 'content_checked_by',
  contentCheckedAt: 'content_checked_at',
  figuresCheckedBy: 'figures_checked_by',
  figuresCheckedAt: 'figures_checked_at',
  acceptedBy: 'accepted_by',
  acceptedAt: 'accepted_at',
  settlement: 'settlement',
} as const;
const JSON_COLUMNS = new Set(['narrative', 'actualLines', 'participantGroups', 'settlement']);
export type ReportChange = Partial<Pick<ReportRow, keyof typeof COLUMNS>>;

const SELECT_REPORT = `
  SELECT r.id, r.decision_id AS "decisionId", r.call_id AS "callId", r.organisation_id AS "organisationId", r.due_on::text AS "dueOn", r.status,
         r.narrative, r.actual_lines AS "actualLines", r.own_funds_cents::float8 AS "ownFundsCents", r.third_party_cents::float8 AS "thirdPartyCents",
         r.other_income_cents::float8 AS "otherIncomeCents", r.participants_total AS "participantsTotal", r.participant_groups AS "participantGroups",
         r.submission_count AS "submissionCount", r.first_submitted_at AS "firstSubmittedAt", r.submitted_at AS "submittedAt",
         r.clarification_request AS "clarificationRequest", r.clarification_requested_at AS "clarificationRequestedAt",
         r.content_checked_by AS "contentCheckedBy", cu.full_name AS "contentCheckedByName", r.content_checked_at AS "contentCheckedAt",
         r.figures_checked_by AS "figuresCheckedBy", fu.full_name AS "figuresCheckedByName", r.figures_checked_at AS "figuresCheckedAt",
         r.accepted_by AS "acceptedBy", au.full_name AS "acceptedByName", r.accepted_at AS "acceptedAt", r.settlement, r.version, r.updated_at AS "updatedAt",
         r.personal_data_deleted_at AS "personalDataDeletedAt", r.receipts_deleted_at AS "receiptsDeletedAt",
         a.id AS "applicationId", a.reference_number AS "referenceNumber", a.title, o.name AS "organisationName",
         d.amount_cents::float8 AS "awardedCents", d.period_start::text AS "periodStart", d.period_end::text AS "periodEnd",
         json_build_object('title', c.title, 'year', c.year, 'financeType', c.finance_type, 'sharePercent', c.share_percent,
                           'lineDeviationPercent', c.line_deviation_percent, 'participantBreakdown', c.participant_breakdown,
                           'participantListsRequired', c.participant_lists_required) AS call
  FROM usage_report r JOIN decision d ON d.id = r.decision_id JOIN application a ON a.id = d.application_id
  JOIN organisation o ON o.id = r.organisation_id JOIN funding_call c ON c.id = r.call_id
  LEFT JOIN app_user cu ON cu.id = r.content_checked_by LEFT JOIN app_user fu ON fu.id = r.figures_checked_by LEFT JOIN app_user au ON au.id = r.accepted_by`;

/** Every query on usage reports, their receipts and participant lists. */
@Injectable()
export class UsageReportsRepository {
  constructor(private readonly db: Transactions) {}

  async find(id: string, manager: EntityManager = this.db.manager): Promise<ReportRow | null> {
    const [row] = await manager.query(`${SELECT_REPORT} WHERE r.id = $1`, [id]);
    return row ?? null;
  }

  /** The report under its row lock: changes of one report run one after the other. */
  async findForUpdate(manager: EntityManager, id: string): Promise<ReportRow | null> {
    const locked = await manager.query(`SELECT id FROM usage_report WHERE id = $1 FOR UPDATE`, [id]);
    return locked.length ? this.find(id, manager) : null;
  }

  async byDecision(decisionId: string): Promise<{ id: string; status: ReportStatus; dueOn: string } | null> {
    const [row] = await this.db.manager.query(`SELECT id, status, due_on::text AS "dueOn" FROM usage_report WHERE decision_id = $1`, [decisionId]);
    return row ?? null;
  }

  /** The finance plan of the application's last submitted version (what the award approved). */
  async approvedPlan(applicationId: string, manager: EntityManager = this.db.manager): Promise<ApprovedPlan> {
    const [row] = await manager.query(
      `SELECT v.snapshot FROM application_version v WHERE v.application_id = $1 ORDER BY v.number DESC LIMIT 1`,
      [applicationId],
    );
    const snapshot = (row?.snapshot ?? {}) as Partial<ApprovedPlan>;
    return {
      costLines: (snapshot.costLines ?? []).map((line) => ({ ...line, amountCents: Number(line.amountCents) })),
      ownFundsCents: Number(snapshot.ownFundsCents ?? 0),
      thirdParty: (snapshot.thirdParty ?? []).map((entry) => ({ ...entry, amountCents: Number(entry.amountCents) })),
    };
  }

  /** Writes the changed columns and counts the version up; the caller holds the row lock. */
  async update(manager: EntityManager, id: string, change: ReportChange): Promise<void> {
    const entries = Object.entries(change).filter(([, value]) => value !== undefined);
    const sets = entries.map(([key], i) => `${COLUMNS[key as keyof typeof COLUMNS]} = $${i + 2}${JSON_COLUMNS.has(key) ? '::jsonb' : ''}`);
    const values = entries.map(([key, value]) => (JSON_COLUMNS.has(key) && value !== null ? JSON.stringify(value) : value));
    await manager.query(
      `UPDATE usage_report SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1`,
      [id, ...values],
    );
  }

  receipts(reportId: string, manager: EntityManager = this.db.manager): Promise<ReceiptRow[]> {
    return manager.query(
      `SELECT r.id, r.position, r.receipt_date::text AS date, r.payee, r.purpose, r.amount_cents::float8 AS "amountCents", r.cost_line AS "costLine",
              r.paid_on::text AS "paidOn", r.finding, r.admitted_cents::float8 AS "admittedCents", r.finding_reason AS "findingReason",
              u.full_name AS "foundByName", r.found_at AS "foundAt"
       FROM report_receipt r LEFT JOIN app_user u ON u.id = r.found_by WHERE r.report_id = $1 ORDER BY r.position`,
      [reportId],
    );
  }

  /** The whole receipt list replaced by a new one (positions 1, 2, …); the office's findings go with the old lines. */
  async replaceReceipts(manager: EntityManager, reportId: string, lines: { date: string; payee: string; purpose: string; amountCents: number; costLine: number; paidOn: string }[]): Promise<void> {
    await manager.query(`DELETE FROM report_receipt WHERE report_id = $1`, [reportId]);
    if (lines.length === 0) return;
    await manager.query(
      `INSERT INTO report_receipt (report_id, position, receipt_date, payee, purpose, amount_cents, cost_line, paid_on)
       SELECT $1, l.position, l.date::date, l.payee, l.purpose, l.amount::bigint, l.cost_line, l.paid_on::date
       FROM jsonb_to_recordset($2::jsonb) AS l(position int, date text, payee text, purpose text, amount text, cost_line int, paid_on text)`,
      [reportId, JSON.stringify(lines.map((line, i) => ({ position: i + 1, date: line.date, payee: line.payee, purpose: line.purpose, amount: String(line.amountCents), cost_line: line.costLine, paid_on: line.paidOn })))],
    );
  }

  /** Records the office's finding on one line of the report; false when the line is not the report's. */
  async setFinding(manager: EntityManager, reportId: string, receiptId: string, finding: { finding: string; admittedCents: number; reason: string | null; userId: string }): Promise<boolean> {
    const rows = await manager.query(
      `UPDATE report_receipt SET finding = $3, admitted_cents = $4, finding_reason = $5, found_by = $6, found_at = now()
       WHERE id = $2 AND report_id = $1 RETURNING id`,
      [reportId, receiptId, finding.finding, finding.admittedCents, finding.reason, finding.userId],
    );
    return rows.length === 1;
  }

  files(reportId: string, manager: EntityManager = this.db.manager): Promise<ReportFileRow[]> {
    return manager.query(
      `SELECT id, filename, content_type AS "contentType", size_bytes AS "sizeBytes", uploaded_at AS "uploadedAt" FROM report_file WHERE report_id = $1 ORDER BY uploaded_at, id`,
      [reportId],
    );
  }

  async addFile(manager: EntityManager, file: { reportId: string; filename: string; contentType: string; content: Buffer; userId: string }): Promise<ReportFileRow> {
    const [row] = await manager.query(
      `INSERT INTO report_file (report_id, filename, content_type, size_bytes, content, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, filename, content_type AS "contentType", size_bytes AS "sizeBytes", uploaded_at AS "uploadedAt"`,
      [file.reportId, file.filename, file.contentType, file.content.length, file.content, file.userId],
    );
    return row;
  }

  async removeFile(manager: EntityManager, reportId: string, fileId: string): Promise<{ filename: string } | null> {
    const [row] = await manager.query(`DELETE FROM report_file WHERE id = $2 AND report_id = $1 RETURNING filename`, [reportId, fileId]);
    return row ?? null;
  }

  async file(reportId: string, fileId: string): Promise<{ filename: string; contentType: string; content: Buffer } | null> {
    const [row] = await this.db.manager.query(`SELECT filename, content_type AS "contentType", content FROM report_file WHERE id = $2 AND report_id = $1`, [reportId, fileId]);
    return row ?? null;
  }

  /** What was paid out on the award: its released payouts. */
  async paidCents(manager: EntityManager, decisionId: string): Promise<number> {
    const [row] = await manager.query(
      `SELECT COALESCE(sum(amount_cents), 0)::float8 AS paid FROM payment_request WHERE decision_id = $1 AND status = 'released'`,
      [decisionId],
    );
    return row.paid;
  }

  /**
   * The office's worklist across calls, a page at a time (all rows without `page`), and how many
   * match; `overdue` is a filter of its own (due before `today`, not submitted).
   */
  async worklist(filter: { callId?: string; status?: string }, today: string, page?: { limit: number; offset: number }): Promise<{ rows: WorklistRow[]; total: number }> {
    const where: string[] = [];
    const values: unknown[] = [today];
    if (filter.callId) {
      values.push(filter.callId);
      where.push(`r.call_id = $${values.length}`);
    }
    if (filter.status === 'overdue') where.push(`r.status = 'due' AND r.due_on < $1::date`);
    else if (filter.status) {
      values.push(filter.status);
      where.push(`r.status = $${values.length}`);
    }
    const condition = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const paging = page ? `LIMIT ${Number(page.limit)} OFFSET ${Number(page.offset)}` : '';
    const rows: WorklistRow[] = await this.db.manager.query(
        `SELECT r.id, r.call_id AS "callId", c.title AS "callTitle", c.year AS "callYear", a.id AS "applicationId", a.reference_number AS "referenceNumber",
                a.title, o.name AS "organisationName", d.amount_cents::float8 AS "awardedCents", r.due_on::text AS "dueOn", r.status,
                (r.status = 'due' AND r.due_on < $1::date) AS overdue, r.submitted_at AS "submittedAt", r.accepted_at AS "acceptedAt",
                r.settlement -> 'result' ->> 'outcome' AS outcome
         FROM usage_report r JOIN decision d ON d.id = r.decision_id JOIN application a ON a.id = d.application_id
         JOIN organisation o ON o.id = r.organisation_id JOIN funding_call c ON c.id = r.call_id
         ${condition}
         ORDER BY array_position(ARRAY['submitted', 'in_check', 'clarification_requested', 'due', 'accepted', 'settled_with_claim'], r.status), r.due_on, a.reference_seq, r.id
         ${paging}`,
        values,
    );
    const [{ total }] = await this.db.manager.query(`SELECT $1::date AS today, count(*)::int AS total FROM usage_report r ${condition}`, values);
    return { rows, total };
  }

  /** The calls that have reports, for the worklist's filter. */
  callsWithReports(): Promise<{ id: string; title: string; year: number }[]> {
    return this.db.manager.query(
      `SELECT c.id, c.title, c.year FROM funding_call c WHERE EXISTS (SELECT 1 FROM usage_report r WHERE r.call_id = c.id) ORDER BY c.year DESC, c.title`,
    );
  }
}
