import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counters for throttling logins, password resets and registrations: one row per key (account,
 * address, or both, hashed), moved only while the row is locked, so parallel requests cannot race
 * past a limit.
 */
export class AuthThrottle1764440000000 implements MigrationInterface {
  name = 'AuthThrottle1764440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
        window_start timestamptz NOT NULL DEFAULT now(),
        next_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX auth_throttle_window_idx ON auth_throttle (window_start)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth_throttle`);
  }
}
