import { Injectable } from '@nestjs/common';
import { Transactions } from '../common/transactions.js';

/** The database's version and how many migrations it has run. */
@Injectable()
export class HealthRepository {
  constructor(private readonly db: Transactions) {}

  /** Given up after `timeoutMs`, whether waiting for a free connection or for the answer. */
  database(timeoutMs: number): Promise<{ row: { version: string; migrations: number }; pool: { size: number; idle: number; waiting: number } }> {
    return this.db.probe(`SELECT current_setting('server_version') AS version, (SELECT count(*) FROM schema_migration)::int AS migrations`, timeoutMs);
  }
}
