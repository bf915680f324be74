import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import { PaymentExport, PaymentRequest } from './payment.entities.js';

/** A payment in the office's worklist. */
export interface PaymentRow {
  id: string;
  decisionId: string;
  applicationId: string;
  referenceNumber: string;
  title: string;
  organisationName: string;
  amountCents: number;
  neededOn: string;
  purpose: string;
  status: PaymentRequest['status'];
  requestedAt: Date;
  confirmedBy: string | null;
  confirmedByName: string | null;
  releasedByName: string | null;
  valueDate: string | null;
  exportId: string | null;
  rejectionReason: string | null;
}

/** A released payout with what the treasury's files need. */
export interface PayoutRow {
  id: string;
  amountCents: number;
  valueDate: string;
  purpose: string;
  referenceNumber: string;
  accountHolder: string | null;
  organisationName: string;
  iban: string;
}

/** What a grant's account shows: awarded, requested (not refused), paid, still open. */
export interface GrantAccount {
  awardedCents: number;
  requestedCents: number;
  paidCents: number;
  openCents: number;
}

/** Every query on payment requests, payouts and their exports. */
@Injectable()
export class PaymentsRepository {
  constructor(private readonly db: Transactions) {}

  /**
   * Reserves `cents` of the award for a request (negative cents give it back), under the decision's
   * row lock. More than is left changes nothing and answers null; the check constraint
   * decision_requested_within_award refuses it as well, whatever the code does.
   */
  async reserve(manager: EntityManager, decisionId: string, cents: number): Promise<{ requestedCents: number; amountCents: number } | null> {
    const [row] = await this.db.preparedOn<{ requestedCents: number; amountCents: number }>(
      manager,
      'payments.reserve',
      `UPDATE decision SET requested_cents = requested_cents + $2 WHERE id = $1 AND requested_cents + $2 BETWEEN 0 AND amount_cents
       RETURNING requested_cents::float8 AS "requestedCents", amount_cents::float8 AS "amountCents"`,
      [decisionId, cents],
    );
    return row ?? null;
  }

  insert(manager: EntityManager, request: Pick<PaymentRequest, 'decisionId' | 'callId' | 'amountCents' | 'neededOn' | 'purpose' | 'requestedBy'>): Promise<PaymentRequest> {
    const repository = manager.getRepository(PaymentRequest);
    return repository.save(repository.create({ ...request, status: 'requested' }));
  }

  findById(id: string): Promise<PaymentRequest | null> {
    return this.db.manager.findOneBy(PaymentRequest, { id });
  }

  findForUpdate(manager: EntityManager, id: string): Promise<PaymentRequest | null> {
    return manager.getRepository(PaymentRequest).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  save(manager: EntityManager, request: PaymentRequest): Promise<PaymentRequest> {
    return manager.getRepository(PaymentRequest).save(request);
  }

  ofDecision(decisionId: string): Promise<PaymentRequest[]> {
    return this.db.manager.getRepository(PaymentRequest).find({ where: { decisionId }, order: { requestedAt: 'ASC' } });
  }

  async account(decisionId: string): Promise<GrantAccount> {
    const [row] = await this.db.manager.query(
      `SELECT d.amount_cents::float8 AS "awardedCents", d.requested_cents::float8 AS "requestedCents",
              COALESCE((SELECT sum(p.amount_cents) FROM payment_request p WHERE p.decision_id = d.id AND p.status = 'released'), 0)::float8 AS "paidCents"
       FROM decision d WHERE d.id = $1`,
      [decisionId],
    );
    return { ...row, openCents: row.awardedCents - row.requestedCents };
  }

  /** The office's payment worklist: every request of the call, newest first within each state. */
  list(callId: string): Promise<PaymentRow[]> {
    return this.db.manager.query(
      `SELECT p.id, p.decision_id AS "decisionId", a.id AS "applicationId", a.reference_number AS "referenceNumber", a.title, o.name AS "organisationName",
              p.amount_cents::float8 AS "amountCents", p.needed_on::text AS "neededOn", p.purpose, p.status, p.requested_at AS "requestedAt",
              p.confirmed_by AS "confirmedBy", cu.full_name AS "confirmedByName", ru.full_name AS "releasedByName", p.value_date::text AS "valueDate", p.export_id AS "exportId",
              p.rejection_reason AS "rejectionReason"
       FROM payment_request p JOIN decision d ON d.id = p.decision_id JOIN application a ON a.id = d.application_id JOIN organisation o ON o.id = a.organisation_id
       LEFT JOIN app_user cu ON cu.id = p.confirmed_by LEFT JOIN app_user ru ON ru.id = p.released_by
       WHERE p.call_id = $1
       ORDER BY array_position(ARRAY['requested', 'confirmed', 'released', 'rejected'], p.status), p.requested_at DESC`,
      [callId],
    );
  }

  /** The released payouts no export holds yet, locked so that two exports cannot take the same one. */
  unexported(manager: EntityManager): Promise<PayoutRow[]> {
    return manager.query(
      `SELECT p.id, p.amount_cents::float8 AS "amountCents", p.value_date::text AS "valueDate", p.purpose, a.reference_number AS "referenceNumber",
              o.account_holder AS "accountHolder", o.name AS "organisationName", o.iban
       FROM payment_request p JOIN decision d ON d.id = p.decision_id JOIN application a ON a.id = d.application_id JOIN organisation o ON o.id = a.organisation_id
       WHERE p.status = 'released' AND p.export_id IS NULL
       ORDER BY p.value_date, a.reference_seq, p.id
       FOR UPDATE OF p`,
    );
  }

  async insertExport(manager: EntityManager, row: Pick<PaymentExport, 'id' | 'createdAt' | 'createdBy' | 'payouts' | 'totalCents' | 'csv' | 'sepa'>): Promise<void> {
    await manager.insert(PaymentExport, row);
  }

  async assignToExport(manager: EntityManager, exportId: string, paymentIds: string[]): Promise<void> {
    await manager.query(`UPDATE payment_request SET export_id = $1 WHERE id = ANY($2::uuid[]) AND export_id IS NULL`, [exportId, paymentIds]);
  }

  exports(): Promise<PaymentExport[]> {
    return this.db.manager.getRepository(PaymentExport).find({ order: { createdAt: 'DESC' } });
  }

  exportFile(id: string, file: 'csv' | 'sepa'): Promise<PaymentExport | null> {
    return this.db.manager.getRepository(PaymentExport).createQueryBuilder('e').addSelect(`e.${file}`).where('e.id = :id', { id }).getOne();
  }
}
