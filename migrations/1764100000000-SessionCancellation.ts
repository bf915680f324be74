import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A session that has not been opened can be cancelled, with the reason the members were told. */
export class SessionCancellation1764100000000 implements MigrationInterface {
  name = 'SessionCancellation1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE council_session
        DROP CONSTRAINT council_session_status_check,
        ADD CONSTRAINT council_session_status_check CHECK (status IN ('planned', 'open', 'closed', 'cancelled')),
        ADD COLUMN cancelled_at timestamptz,
        ADD COLUMN cancellation_reason text,
        ADD CONSTRAINT council_session_cancelled_check CHECK (status <> 'cancelled' OR (cancelled_at IS NOT NULL AND cancellation_reason IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE council_session
        DROP CONSTRAINT council_session_cancelled_check,
        DROP COLUMN cancelled_at,
        DROP COLUMN cancellation_reason,
        DROP CONSTRAINT council_session_status_check,
        ADD CONSTRAINT council_session_status_check CHECK (status IN ('planned', 'open', 'closed'))`);
  }
}
