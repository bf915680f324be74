import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import { Decision, DecisionLetter, LedgerEntry, type LedgerKind } from './award.entities.js';

/** One row of a call's decisions list. */
export interface DecisionRow {
  id: string;
  applicationId: string;
  referenceNumber: string;
  title: string;
  organisationName: string;
  kind: Decision['kind'];
  status: Decision['status'];
  amountCents: number | null;
  reason: Decision['reason'];
  draftedBy: string;
  draftedByName: string;
  releasedByName: string | null;
  releasedAt: Date | null;
  finalOn: string | null;
  applicationStatus: string;
  letterIssued: boolean;
}

/** An application that reached the round table and has no decision yet. */
export interface Undecided {
  id: string;
  status: 'approved' | 'rejected';
  title: string;
  startDate: string | null;
  endDate: string | null;
}

/** The budget ledger of a call: one place for every page and the API. */
export interface Ledger {
  budgetCents: number;
  /** Released awards still standing (after withdrawals and reductions). */
  committedCents: number;
  paidCents: number;
  /** Money given back to the call: withdrawals, reductions, repayments. */
  freedCents: number;
  availableCents: number;
}

/** The facts a decision letter is made of (see AwardsService.letterDocument). */
export interface LetterFacts {
  decision: Decision;
  referenceNumber: string;
  applicationTitle: string;
  submittedAt: Date;
  requestedCents: number;
  organisationId: string;
  organisation: { name: string; street: string; postalCode: string; city: string };
  contactName: string | null;
  call: { id: string; title: string; year: number; financeType: 'deficit' | 'share' | 'fixed'; sharePercent: number | null; maxAmountCents: number; paymentWindowMonths: number; lineDeviationPercent: number };
  /** The submitted content as the table decided on it (the last version's snapshot). */
  snapshot: { costLines?: { category: string; description: string; amountCents: number }[]; ownFundsCents?: number; thirdParty?: { source: string; amountCents: number; status: string }[] };
  clerk: { name: string; email: string };
}

/** Every query on decisions, their letters and the budget ledger. */
@Injectable()
export class AwardsRepository {
  constructor(private readonly db: Transactions) {}

  /** Applications of the call decided by the round table (approved or voted down) without a decision yet. */
  undecided(manager: EntityManager, callId: string): Promise<Undecided[]> {
    return manager.query(
      `SELECT a.id, a.status, a.title, a.start_date::text AS "startDate", a.end_date::text AS "endDate"
       FROM application a
       WHERE a.call_id = $1 AND a.status IN ('approved', 'rejected') AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.application_id = a.id)
       ORDER BY a.reference_seq, a.id`,
      [callId],
    );
  }

  async insertDrafts(manager: EntityManager, drafts: Partial<Decision>[]): Promise<void> {
    if (drafts.length > 0) await manager.insert(Decision, drafts);
  }

  list(callId: string): Promise<DecisionRow[]> {
    return this.rows('d.call_id', callId);
  }

  async row(id: string): Promise<DecisionRow | null> {
    return (await this.rows('d.id', id))[0] ?? null;
  }

  async draftCount(callId: string): Promise<number> {
    const [{ drafts }] = await this.db.manager.query(`SELECT count(*)::int AS drafts FROM decision WHERE call_id = $1 AND status = 'draft'`, [callId]);
    return drafts;
  }

  private rows(key: 'd.call_id' | 'd.id', value: string): Promise<DecisionRow[]> {
    return this.db.manager.query(
      `SELECT d.id, d.application_id AS "applicationId", a.reference_number AS "referenceNumber", a.title, o.name AS "organisationName",
              d.kind, d.status, d.amount_cents::float8 AS "amountCents", d.reason, d.drafted_by AS "draftedBy", du.full_name AS "draftedByName",
              ru.full_name AS "releasedByName", d.released_at AS "releasedAt", d.final_on::text AS "finalOn", a.status AS "applicationStatus",
              EXISTS (SELECT 1 FROM decision_letter l WHERE l.decision_id = d.id) AS "letterIssued"
       FROM decision d JOIN application a ON a.id = d.application_id JOIN organisation o ON o.id = a.organisation_id
       JOIN app_user du ON du.id = d.drafted_by LEFT JOIN app_user ru ON ru.id = d.released_by
       WHERE ${key} = $1
       ORDER BY d.kind, a.reference_seq, a.id`,
      [value],
    );
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<Decision | null> {
    return manager.findOneBy(Decision, { id });
  }

  findByApplication(applicationId: string, manager: EntityManager = this.db.manager): Promise<Decision | null> {
    return manager.findOneBy(Decision, { applicationId });
  }

  findForUpdate(manager: EntityManager, id: string): Promise<Decision | null> {
    return manager.getRepository(Decision).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async deleteDraft(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(Decision, { id, status: 'draft' });
  }

  /** Saves the decision's new state; its version column refuses a stale copy. */
  save(manager: EntityManager, decision: Decision): Promise<Decision> {
    return manager.getRepository(Decision).save(decision);
  }

  /**
   * Adds to the call's committed sum, or takes from it (negative cents), under the call's row lock.
   * A sum above the budget changes nothing and answers null; the check constraint
   * funding_call_committed_within_budget refuses it as well, whatever the code does.
   */
  async commit(manager: EntityManager, callId: string, cents: number): Promise<{ committedCents: number; budgetCents: number } | null> {
    const [row] = await this.db.preparedOn<{ committedCents: number; budgetCents: number }>(
      manager,
      'awards.commit',
      `UPDATE funding_call SET committed_cents = committed_cents + $2 WHERE id = $1 AND committed_cents + $2 <= budget_cents
       RETURNING committed_cents::float8 AS "committedCents", budget_cents::float8 AS "budgetCents"`,
      [callId, cents],
    );
    return row ?? null;
  }

  async book(manager: EntityManager, entry: { callId: string; kind: LedgerKind; amountCents: number; decisionId: string | null; paymentId?: string | null; note?: string | null; bookedBy: string | null }): Promise<void> {
    await manager.insert(LedgerEntry, { ...entry, paymentId: entry.paymentId ?? null, note: entry.note ?? null });
  }

  async ledger(callId: string): Promise<Ledger | null> {
    const [row] = await this.db.manager.query(
      `SELECT c.budget_cents::float8 AS "budgetCents", c.committed_cents::float8 AS "committedCents",
              COALESCE(sum(e.amount_cents) FILTER (WHERE e.kind = 'paid'), 0)::float8 AS "paidCents",
              COALESCE(sum(e.amount_cents) FILTER (WHERE e.kind = 'freed'), 0)::float8 AS "freedCents"
       FROM funding_call c LEFT JOIN ledger_entry e ON e.call_id = c.id
       WHERE c.id = $1 GROUP BY c.id`,
      [callId],
    );
    return row ? { ...row, availableCents: row.budgetCents - row.committedCents } : null;
  }

  /** Everything a decision's letter says, in one query. */
  async letterFacts(decisionId: string): Promise<LetterFacts | null> {
    const [row] = await this.db.manager.query(
      `SELECT a.reference_number AS "referenceNumber", a.title AS "applicationTitle", a.first_submitted_at AS "submittedAt",
              a.requested_cents::float8 AS "requestedCents", a.organisation_id AS "organisationId",
              json_build_object('name', o.name, 'street', o.street, 'postalCode', o.postal_code, 'city', o.city) AS organisation,
              (SELECT oc.full_name FROM organisation_contact oc WHERE oc.organisation_id = o.id ORDER BY oc.is_primary DESC, oc.full_name LIMIT 1) AS "contactName",
              json_build_object('id', c.id, 'title', c.title, 'year', c.year, 'financeType', c.finance_type, 'sharePercent', c.share_percent,
                                'maxAmountCents', c.max_amount_cents, 'paymentWindowMonths', c.payment_window_months, 'lineDeviationPercent', c.line_deviation_percent) AS call,
              (SELECT v.snapshot FROM application_version v WHERE v.application_id = a.id ORDER BY v.number DESC LIMIT 1) AS snapshot,
              json_build_object('name', u.full_name, 'email', u.email) AS clerk
       FROM decision d JOIN application a ON a.id = d.application_id JOIN organisation o ON o.id = a.organisation_id
       JOIN funding_call c ON c.id = d.call_id JOIN app_user u ON u.id = COALESCE(d.released_by, d.drafted_by)
       WHERE d.id = $1`,
      [decisionId],
    );
    if (!row) return null;
    const decision = (await this.findById(decisionId))!;
    return { ...row, decision, call: { ...row.call, maxAmountCents: Number(row.call.maxAmountCents) } };
  }

  /** Stores the letter as sent; a letter already stored for the decision is kept as it is (false). */
  async storeLetter(manager: EntityManager, letter: { decisionId: string; filename: string; content: Buffer; sha256: string }): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO decision_letter (decision_id, filename, content, sha256) VALUES ($1, $2, $3, $4) ON CONFLICT (decision_id) DO NOTHING RETURNING decision_id`,
      [letter.decisionId, letter.filename, letter.content, letter.sha256],
    );
    return rows.length === 1;
  }

  async letterIssued(decisionId: string): Promise<boolean> {
    const rows = await this.db.manager.query(`SELECT 1 FROM decision_letter WHERE decision_id = $1`, [decisionId]);
    return rows.length > 0;
  }

  letter(decisionId: string): Promise<DecisionLetter | null> {
    return this.db.manager.getRepository(DecisionLetter).createQueryBuilder('l').addSelect('l.content').where('l.decision_id = :decisionId', { decisionId }).getOne();
  }
}
