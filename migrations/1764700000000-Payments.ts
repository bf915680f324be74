import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment requests (Mittelabruf) on final or accepted awards, their two-person release
 * (sachlich richtig, then Anordnung) into payouts, and the exports to the city's treasury. The
 * database keeps what must hold whatever the code does: the sum requested never exceeds the award
 * (a counter on the decision, checked), the one who confirms is not the one who releases, and a
 * payout belongs to one export at most.
 */
export class Payments1764700000000 implements MigrationInterface {
  name = 'Payments1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE decision
        ADD COLUMN requested_cents bigint NOT NULL DEFAULT 0,
        ADD CONSTRAINT decision_requested_within_award CHECK (requested_cents >= 0 AND requested_cents <= COALESCE(amount_cents, 0))`);

    await q.query(`
      CREATE TABLE payment_export (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid NOT NULL REFERENCES app_user(id),
        payouts integer NOT NULL CHECK (payouts > 0),
        total_cents bigint NOT NULL CHECK (total_cents > 0),
        csv bytea NOT NULL,
        sepa bytea NOT NULL
      )`);

    await q.query(`
      CREATE TABLE payment_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        decision_id uuid NOT NULL REFERENCES decision(id),
        call_id uuid NOT NULL REFERENCES funding_call(id),
        amount_cents bigint NOT NULL CHECK (amount_cents > 0),
        needed_on date NOT NULL,
        purpose text NOT NULL,
        status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'confirmed', 'released', 'rejected')),
        requested_by uuid NOT NULL REFERENCES app_user(id),
        requested_at timestamptz NOT NULL DEFAULT now(),
        confirmed_by uuid REFERENCES app_user(id),
        confirmed_at timestamptz,
        released_by uuid REFERENCES app_user(id),
        released_at timestamptz,
        value_date date,
        rejected_by uuid REFERENCES app_user(id),
        rejected_at timestamptz,
        rejection_reason text,
        export_id uuid REFERENCES payment_export(id),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT payment_four_eyes CHECK (released_by IS NULL OR released_by <> confirmed_by),
        CONSTRAINT payment_confirmed_complete CHECK ((confirmed_by IS NULL) = (confirmed_at IS NULL)),
        CONSTRAINT payment_released_complete CHECK ((status = 'released') = (released_by IS NOT NULL AND released_at IS NOT NULL AND value_date IS NOT NULL AND confirmed_by IS NOT NULL)),
        CONSTRAINT payment_exported_when_released CHECK (export_id IS NULL OR status = 'released')
      )`);
    await q.query(`CREATE INDEX payment_request_decision_idx ON payment_request (decision_id)`);
    await q.query(`CREATE INDEX payment_request_call_idx ON payment_request (call_id, status)`);
    await q.query(`CREATE INDEX payment_request_unexported_idx ON payment_request (released_at) WHERE status = 'released' AND export_id IS NULL`);
    await q.query(`ALTER TABLE ledger_entry ADD COLUMN payment_id uuid REFERENCES payment_request(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_entry DROP COLUMN payment_id`);
    await q.query(`DROP TABLE payment_request`);
    await q.query(`DROP TABLE payment_export`);
    await q.query(`ALTER TABLE decision DROP CONSTRAINT decision_requested_within_award, DROP COLUMN requested_cents`);
  }
}
