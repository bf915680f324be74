import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import type { DayCount } from './interest.rules.js';
import type { InterestLine, LateUseLine } from './report.types.js';
import type { Settlement, SettlementInput } from './settlement.rules.js';

/** A usage report as the claim needs it: its stored settlement, the award and the call's interest settings. */
export interface ClaimReport {
  id: string;
  decisionId: string;
  callId: string;
  organisationId: string;
  status: string;
  settlement: { input: SettlementInput; result: Settlement } | null;
  submittedAt: Date | null;
  acceptedAt: Date | null;
  referenceNumber: string;
  applicationId: string;
  title: string;
  organisationName: string;
  awardCents: number;
  awardSentOn: string | null;
  financeType: 'deficit' | 'share' | 'fixed';
  dayCount: DayCount;
  windowMonths: number;
}

/** The interest as stored with the claim and shown on the page and in the letter. */
export interface StoredInterest {
  marginBasisPoints: number;
  dayCount: DayCount;
  until: string;
  lines: InterestLine[];
  totalCents: number;
}

export interface StoredLateUse {
  windowMonths: number;
  asOf: string;
  lines: LateUseLine[];
  totalCents: number;
}

export interface ClaimRow {
  id: string;
  reportId: string;
  decisionId: string;
  callId: string;
  status: 'draft' | 'released' | 'repaid';
  repaymentCents: number;
  revokedFrom: string;
  paymentDueOn: string;
  interest: StoredInterest | null;
  interestCents: number;
  interestWaiver: string | null;
  lateUse: StoredLateUse | null;
  lateUseInterestCents: number;
  draftedBy: string;
  draftedByName: string;
  draftedAt: Date;
  releasedBy: string | null;
  releasedByName: string | null;
  releasedAt: Date | null;
  sentOn: string | null;
  repaidOn: string | null;
  version: number;
  letterIssued: boolean;
}

export type ClaimFields = Pick<ClaimRow, 'repaymentCents' | 'revokedFrom' | 'paymentDueOn' | 'interest' | 'interestCents' | 'interestWaiver' | 'lateUse' | 'lateUseInterestCents'>;

/** Everything the letter says beyond the claim itself. */
export interface ClaimLetterFacts {
  organisation: { name: string; street: string; postalCode: string; city: string };
  contactName: string | null;
  clerk: { name: string; email: string };
  callTitle: string;
  callYear: number;
  submittedAt: Date;
  requestedCents: number;
  awardDate: string;
}

const CLAIM_COLUMNS = `
  c.id, c.report_id AS "reportId", c.decision_id AS "decisionId", c.call_id AS "callId", c.status, c.repayment_cents::float8 AS "repaymentCents",
  c.revoked_from::text AS "revokedFrom", c.payment_due_on::text AS "paymentDueOn", c.interest, c.interest_cents::float8 AS "interestCents",
  c.interest_waiver AS "interestWaiver", c.late_use AS "lateUse", c.late_use_interest_cents::float8 AS "lateUseInterestCents",
  c.drafted_by AS "draftedBy", du.full_name AS "draftedByName", c.drafted_at AS "draftedAt", c.released_by AS "releasedBy", ru.full_name AS "releasedByName",
  c.released_at AS "releasedAt", c.sent_on::text AS "sentOn", c.repaid_on::text AS "repaidOn", c.version,
  EXISTS (SELECT 1 FROM repayment_claim_letter l WHERE l.claim_id = c.id) AS "letterIssued"`;

/** Every query of the repayment claim (Rückforderung). */
@Injectable()
export class ClaimsRepository {
  constructor(private readonly db: Transactions) {}

  /** The report with what the claim is computed from; locked when a manager is given (the claim changes with it). */
  async report(reportId: string, manager?: EntityManager): Promise<ClaimReport | null> {
    const [row] = await (manager ?? this.db.manager).query(
      `SELECT r.id, r.decision_id AS "decisionId", r.call_id AS "callId", r.organisation_id AS "organisationId", r.status, r.settlement,
              r.submitted_at AS "submittedAt", r.accepted_at AS "acceptedAt", a.reference_number AS "referenceNumber", a.id AS "applicationId",
              a.title, o.name AS "organisationName", d.amount_cents::float8 AS "awardCents", d.sent_on::text AS "awardSentOn",
              f.finance_type AS "financeType", f.interest_day_count AS "dayCount", f.payment_window_months AS "windowMonths"
       FROM usage_report r JOIN decision d ON d.id = r.decision_id JOIN application a ON a.id = d.application_id
       JOIN organisation o ON o.id = r.organisation_id JOIN funding_call f ON f.id = r.call_id
       WHERE r.id = $1 ${manager ? 'FOR UPDATE OF r' : ''}`,
      [reportId],
    );
    return row ?? null;
  }

  /** The award's payouts: released payment requests with the day the money reached the grantee. */
  payouts(decisionId: string, manager: EntityManager = this.db.manager): Promise<{ id: string; valueDate: string; amountCents: number }[]> {
    return manager.query(
      `SELECT id, value_date::text AS "valueDate", amount_cents::float8 AS "amountCents" FROM payment_request
       WHERE decision_id = $1 AND status = 'released' ORDER BY value_date, released_at, id`,
      [decisionId],
    );
  }

  /** The money used: each receipt the office admitted (in full or reduced) on the day it was paid. */
  uses(reportId: string, manager: EntityManager = this.db.manager): Promise<{ paidOn: string; amountCents: number }[]> {
    return manager.query(
      `SELECT paid_on::text AS "paidOn", admitted_cents::float8 AS "amountCents" FROM report_receipt
       WHERE report_id = $1 AND admitted_cents > 0 ORDER BY paid_on, position`,
      [reportId],
    );
  }

  /** Receipts the office reduced or refused, with its reason, for the letter's reasons. */
  reductions(reportId: string): Promise<{ position: number; payee: string; purpose: string; amountCents: number; admittedCents: number; reason: string }[]> {
    return this.db.manager.query(
      `SELECT position, payee, purpose, amount_cents::float8 AS "amountCents", admitted_cents::float8 AS "admittedCents", finding_reason AS reason
       FROM report_receipt WHERE report_id = $1 AND finding IN ('reduced', 'refused') ORDER BY position`,
      [reportId],
    );
  }

  async claim(reportId: string, manager?: EntityManager): Promise<ClaimRow | null> {
    const [row] = await (manager ?? this.db.manager).query(
      `SELECT ${CLAIM_COLUMNS} FROM repayment_claim c JOIN app_user du ON du.id = c.drafted_by LEFT JOIN app_user ru ON ru.id = c.released_by
       WHERE c.report_id = $1 ${manager ? 'FOR UPDATE OF c' : ''}`,
      [reportId],
    );
    return row ?? null;
  }

  /** The usage report of the award on an application, with its claim's state, for the application page. */
  async ofApplication(applicationId: string): Promise<{ reportId: string; reportStatus: string; status: ClaimRow['status'] | null; totalClaimedCents: number | null; paymentDueOn: string | null; repaidOn: string | null } | null> {
    const [row] = await this.db.manager.query(
      `SELECT r.id AS "reportId", r.status AS "reportStatus", c.status, (c.repayment_cents + c.interest_cents + c.late_use_interest_cents)::float8 AS "totalClaimedCents",
              c.payment_due_on::text AS "paymentDueOn", c.repaid_on::text AS "repaidOn"
       FROM usage_report r JOIN decision d ON d.id = r.decision_id LEFT JOIN repayment_claim c ON c.report_id = r.id
       WHERE d.application_id = $1`,
      [applicationId],
    );
    return row ?? null;
  }

  async claimById(id: string): Promise<ClaimRow | null> {
    const [row] = await this.db.manager.query(
      `SELECT ${CLAIM_COLUMNS} FROM repayment_claim c JOIN app_user du ON du.id = c.drafted_by LEFT JOIN app_user ru ON ru.id = c.released_by WHERE c.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** Drafts the claim, or replaces the draft's figures; the one who saves it is its drafter. */
  async saveDraft(manager: EntityManager, report: ClaimReport, fields: ClaimFields, userId: string): Promise<void> {
    const values = [
      report.id, report.decisionId, report.callId, fields.repaymentCents, fields.revokedFrom, fields.paymentDueOn,
      fields.interest === null ? null : JSON.stringify(fields.interest), fields.interestCents, fields.interestWaiver,
      fields.lateUse === null ? null : JSON.stringify(fields.lateUse), fields.lateUseInterestCents, userId,
    ];
    await manager.query(
      `INSERT INTO repayment_claim (report_id, decision_id, call_id, repayment_cents, revoked_from, payment_due_on, interest, interest_cents, interest_waiver, late_use, late_use_interest_cents, drafted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (report_id) DO UPDATE SET repayment_cents = excluded.repayment_cents, revoked_from = excluded.revoked_from, payment_due_on = excluded.payment_due_on,
         interest = excluded.interest, interest_cents = excluded.interest_cents, interest_waiver = excluded.interest_waiver, late_use = excluded.late_use,
         late_use_interest_cents = excluded.late_use_interest_cents, drafted_by = excluded.drafted_by, drafted_at = now(), version = repayment_claim.version + 1
       WHERE repayment_claim.status = 'draft'`,
      values,
    );
  }

  async release(manager: EntityManager, claimId: string, userId: string, sentOn: string): Promise<void> {
    await manager.query(
      `UPDATE repayment_claim SET status = 'released', released_by = $2, released_at = now(), sent_on = $3, version = version + 1 WHERE id = $1 AND status = 'draft'`,
      [claimId, userId, sentOn],
    );
  }

  async markRepaid(manager: EntityManager, claimId: string, repaidOn: string, userId: string): Promise<void> {
    await manager.query(
      `UPDATE repayment_claim SET status = 'repaid', repaid_on = $2, repaid_booked_by = $3, version = version + 1 WHERE id = $1 AND status = 'released'`,
      [claimId, repaidOn, userId],
    );
  }

  /** The repaid amount back in the call's ledger as freed money, tied to its claim. */
  async bookFreed(manager: EntityManager, entry: { callId: string; decisionId: string; claimId: string; amountCents: number; userId: string }): Promise<void> {
    await manager.query(
      `INSERT INTO ledger_entry (call_id, kind, amount_cents, decision_id, claim_id, note, booked_by) VALUES ($1, 'freed', $2, $3, $4, 'repaid', $5)`,
      [entry.callId, entry.amountCents, entry.decisionId, entry.claimId, entry.userId],
    );
  }

  async letterFacts(claimId: string): Promise<ClaimLetterFacts | null> {
    const [row] = await this.db.manager.query(
      `SELECT json_build_object('name', o.name, 'street', o.street, 'postalCode', o.postal_code, 'city', o.city) AS organisation,
              (SELECT oc.full_name FROM organisation_contact oc WHERE oc.organisation_id = o.id ORDER BY oc.is_primary DESC, oc.full_name LIMIT 1) AS "contactName",
              json_build_object('name', u.full_name, 'email', u.email) AS clerk, f.title AS "callTitle", f.year AS "callYear",
              a.first_submitted_at AS "submittedAt", a.requested_cents::float8 AS "requestedCents", COALESCE(d.sent_on, d.released_at::date)::text AS "awardDate"
       FROM repayment_claim c JOIN decision d ON d.id = c.decision_id JOIN application a ON a.id = d.application_id
       JOIN organisation o ON o.id = a.organisation_id JOIN funding_call f ON f.id = c.call_id JOIN app_user u ON u.id = COALESCE(c.released_by, c.drafted_by)
       WHERE c.id = $1`,
      [claimId],
    );
    return row ?? null;
  }

  /** Stores the letter as sent; one already stored is kept as it is (false). */
  async storeLetter(manager: EntityManager, letter: { claimId: string; filename: string; content: Buffer; sha256: string }): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO repayment_claim_letter (claim_id, filename, content, sha256) VALUES ($1, $2, $3, $4) ON CONFLICT (claim_id) DO NOTHING RETURNING claim_id`,
      [letter.claimId, letter.filename, letter.content, letter.sha256],
    );
    return rows.length === 1;
  }

  async letter(claimId: string): Promise<{ filename: string; content: Buffer; sha256: string } | null> {
    const [row] = await this.db.manager.query(`SELECT filename, content, sha256 FROM repayment_claim_letter WHERE claim_id = $1`, [claimId]);
    return row ?? null;
  }
}
