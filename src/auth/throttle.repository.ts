import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import type { Counter } from './throttle.rules.js';

/** The throttle counters (`auth_throttle`), one row per key. */
@Injectable()
export class ThrottleRepository {
  constructor(private readonly db: Transactions) {}

  /**
   * The counters of `keys` in that order, locked until the transaction ends, with the database's
   * time. Missing rows are created first; rows are locked in key order, so two requests sharing keys
   * wait for each other instead of deadlocking.
   */
  async lock(manager: EntityManager, keys: string[]): Promise<{ counters: Counter[]; now: Date }> {
    const sorted = [...new Set(keys)].sort();
    await manager.query(`INSERT INTO auth_throttle (key) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (key) DO NOTHING`, [sorted]);
    const rows: { key: string; failures: number; window_start: Date; next_at: Date; now: Date }[] = await manager.query(
      `SELECT key, failures, window_start, next_at, now() AS now FROM auth_throttle WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`,
      [sorted],
    );
    const byKey = new Map(rows.map((row) => [row.key, row]));
    const counters = keys.map((key) => {
      const row = byKey.get(key)!;
      return { failures: row.failures, windowStart: new Date(row.window_start), nextAt: new Date(row.next_at) };
    });
    return { counters, now: new Date(rows[0].now) };
  }

  async save(manager: EntityManager, keys: string[], counters: Counter[]): Promise<void> {
    await manager.query(
      `UPDATE auth_throttle AS t SET failures = v.failures, window_start = v.window_start, next_at = v.next_at
       FROM (SELECT unnest($1::text[]) AS key, unnest($2::int[]) AS failures, unnest($3::timestamptz[]) AS window_start, unnest($4::timestamptz[]) AS next_at) AS v
       WHERE t.key = v.key`,
      [keys, counters.map((c) => c.failures), counters.map((c) => c.windowStart.toISOString()), counters.map((c) => c.nextAt.toISOString())],
    );
  }

  /** Takes back one counted attempt (it succeeded); the wait already set stays. */
  async uncount(keys: string[]): Promise<void> {
    await this.db.manager.query(`UPDATE auth_throttle SET failures = greatest(failures - 1, 0) WHERE key = ANY($1::text[])`, [keys]);
  }

  async forget(keys: string[]): Promise<void> {
    await this.db.manager.query(`DELETE FROM auth_throttle WHERE key = ANY($1::text[])`, [keys]);
  }

  /** Rows whose window ended long ago count as fresh anyway. */
  async deleteOlderThan(seconds: number): Promise<void> {
    await this.db.manager.query(`DELETE FROM auth_throttle WHERE window_start < now() - make_interval(secs => $1)`, [seconds]);
  }
}
