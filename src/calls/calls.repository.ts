import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import { FundingCall } from './call.entity.js';
import type { CallStatus } from './call.machine.js';
import type { GrantArchiveFacts } from './call.types.js';

/** Every query on calls. */
@Injectable()
export class CallsRepository {
  constructor(private readonly db: Transactions) {}

  list(statuses?: CallStatus[]): Promise<FundingCall[]> {
    return this.db.manager.getRepository(FundingCall).find({
      where: statuses ? { status: In(statuses) } : {},
      order: { year: 'DESC', submissionDeadline: 'ASC' },
    });
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<FundingCall | null> {
    return manager.findOneBy(FundingCall, { id });
  }

  findForUpdate(manager: EntityManager, id: string): Promise<FundingCall | null> {
    return manager.getRepository(FundingCall).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  create(manager: EntityManager, columns: Partial<FundingCall>): Promise<FundingCall> {
    const repository = manager.getRepository(FundingCall);
    return repository.save(repository.create(columns));
  }

  save(manager: EntityManager, call: FundingCall): Promise<FundingCall> {
    return manager.getRepository(FundingCall).save(call);
  }

  /** Every decision of the call with what hangs on it, for the archive rule; read in the caller's transaction after the call's lock. */
  async grantArchiveFacts(manager: EntityManager, callId: string): Promise<GrantArchiveFacts[]> {
    const rows: (Omit<GrantArchiveFacts, 'openPayments' | 'unexportedPayouts' | 'plannedVisits'> & { openPayments: string; unexportedPayouts: string; plannedVisits: string })[] = await manager.query(
      `SELECT d.id AS "decisionId", d.application_id AS "applicationId", a.reference_number AS "referenceNumber", a.title,
              d.kind, d.status AS "decisionStatus", a.status AS "applicationStatus",
              r.id AS "reportId", r.status AS "reportStatus", k.status AS "claimStatus",
              EXISTS (SELECT 1 FROM decision_letter l WHERE l.decision_id = d.id) AS "letterIssued",
              CASE WHEN k.id IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM repayment_claim_letter kl WHERE kl.claim_id = k.id) END AS "claimLetterIssued",
              (SELECT count(*) FROM payment_request p WHERE p.decision_id = d.id AND p.status IN ('requested', 'confirmed')) AS "openPayments",
              (SELECT count(*) FROM payment_request p WHERE p.decision_id = d.id AND p.status = 'released' AND p.export_id IS NULL) AS "unexportedPayouts",
              (SELECT count(*) FROM site_visit v WHERE v.call_id = d.call_id AND v.decision_id = d.id AND v.status = 'planned') AS "plannedVisits"
         FROM decision d
         JOIN application a ON a.id = d.application_id
         LEFT JOIN usage_report r ON r.decision_id = d.id
         LEFT JOIN repayment_claim k ON k.report_id = r.id
        WHERE d.call_id = $1
        ORDER BY a.reference_seq NULLS LAST, a.id`,
      [callId],
    );
    return rows.map((row) => ({ ...row, openPayments: Number(row.openPayments), unexportedPayouts: Number(row.unexportedPayouts), plannedVisits: Number(row.plannedVisits) }));
  }
}
