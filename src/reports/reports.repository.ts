import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';

/** A base rate as the office keeps it. */
export interface BaseRateRow {
  validFrom: string;
  basisPoints: number;
  source: string | null;
  updatedAt: Date;
}

/** Every query of the controlling part. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly db: Transactions) {}

  baseRates(): Promise<BaseRateRow[]> {
    return this.db.manager.query(
      `SELECT valid_from::text AS "validFrom", basis_points AS "basisPoints", source, updated_at AS "updatedAt" FROM base_rate ORDER BY valid_from`,
    );
  }

  /** Sets the rate from a day on; the previous value, if any, for the audit trail. */
  async setBaseRate(manager: EntityManager, row: { validFrom: string; basisPoints: number; source: string | null; userId: string }): Promise<{ before: number | null }> {
    const [previous] = await manager.query(`SELECT basis_points AS "basisPoints" FROM base_rate WHERE valid_from = $1 FOR UPDATE`, [row.validFrom]);
    await manager.query(
      `INSERT INTO base_rate (valid_from, basis_points, source, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (valid_from) DO UPDATE SET basis_points = excluded.basis_points, source = excluded.source, updated_by = excluded.updated_by, updated_at = now()`,
      [row.validFrom, row.basisPoints, row.source, row.userId],
    );
    return { before: previous?.basisPoints ?? null };
  }

  /** The usage report of a released award, due on the award's report deadline; once per award. */
  async createForAward(manager: EntityManager, award: { id: string; callId: string; reportDueOn: string | null }, organisationId: string): Promise<void> {
    if (!award.reportDueOn) throw new Error(`award ${award.id} has no report deadline`);
    await manager.query(
      `INSERT INTO usage_report (decision_id, call_id, organisation_id, due_on) VALUES ($1, $2, $3, $4) ON CONFLICT (decision_id) DO NOTHING`,
      [award.id, award.callId, organisationId, award.reportDueOn],
    );
  }
}
