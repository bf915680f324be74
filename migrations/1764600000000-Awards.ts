import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decisions after the round table (awards and rejections), the letters as they were sent, and the
 * budget ledger. The database itself keeps the two rules that must hold whatever the code does:
 * a decision is released by another person than the one who drafted it (four eyes), and the sum
 * committed by released awards never exceeds the call's budget, however many releases run at once
 * (one counter on the call, checked, and changed only by an UPDATE that takes its row lock).
 */
export class Awards1764600000000 implements MigrationInterface {
  name = 'Awards1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE funding_call
        ADD COLUMN committed_cents bigint NOT NULL DEFAULT 0,
        ADD COLUMN payment_window_months integer NOT NULL DEFAULT 2 CHECK (payment_window_months BETWEEN 1 AND 12),
        ADD COLUMN line_deviation_percent integer NOT NULL DEFAULT 20 CHECK (line_deviation_percent BETWEEN 0 AND 100),
        ADD CONSTRAINT funding_call_committed_within_budget CHECK (committed_cents >= 0 AND committed_cents <= budget_cents)`);

    await q.query(`
      CREATE TABLE decision (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES application(id),
        call_id uuid NOT NULL REFERENCES funding_call(id),
        kind text NOT NULL CHECK (kind IN ('award', 'rejection')),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'released')),
        amount_cents bigint,
        reason text,
        reason_note text,
        purpose text,
        period_start date,
        period_end date,
        special_conditions text[] NOT NULL DEFAULT '{}',
        report_due_on date,
        drafted_by uuid NOT NULL REFERENCES app_user(id),
        drafted_at timestamptz NOT NULL DEFAULT now(),
        released_by uuid REFERENCES app_user(id),
        released_at timestamptz,
        sent_on date,
        notified_on date,
        remedy_period_ends_on date,
        final_on date,
        accepted_at timestamptz,
        waived_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT decision_award_amount CHECK ((kind = 'award') = (amount_cents IS NOT NULL) AND (amount_cents IS NULL OR amount_cents > 0)),
        CONSTRAINT decision_rejection_reason CHECK ((kind = 'rejection') = (reason IS NOT NULL) AND (reason IS NULL OR reason IN ('voted_down', 'below_budget'))),
        CONSTRAINT decision_four_eyes CHECK (released_by IS NULL OR released_by <> drafted_by),
        CONSTRAINT decision_released_complete CHECK ((status = 'released') = (released_by IS NOT NULL AND released_at IS NOT NULL AND sent_on IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX decision_application_idx ON decision (application_id)`);
    await q.query(`CREATE INDEX decision_call_idx ON decision (call_id, status)`);

    // The letter as it was sent: its bytes and their SHA-256, never changed afterwards.
    await q.query(`
      CREATE TABLE decision_letter (
        decision_id uuid PRIMARY KEY REFERENCES decision(id),
        filename text NOT NULL,
        content bytea NOT NULL,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE FUNCTION decision_letter_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'an issued letter is kept as sent: % is not allowed', TG_OP USING ERRCODE = 'restrict_violation';
      END
      $$`);
    await q.query(`CREATE TRIGGER decision_letter_no_update_delete BEFORE UPDATE OR DELETE ON decision_letter FOR EACH ROW EXECUTE FUNCTION decision_letter_is_kept()`);

    // Every movement of a call's money: committed by a released award, freed (withdrawal, reduction, repayment), paid out.
    await q.query(`
      CREATE TABLE ledger_entry (
        id bigserial PRIMARY KEY,
        call_id uuid NOT NULL REFERENCES funding_call(id),
        kind text NOT NULL CHECK (kind IN ('committed', 'freed', 'paid')),
        amount_cents bigint NOT NULL CHECK (amount_cents > 0),
        decision_id uuid REFERENCES decision(id),
        note text,
        booked_at timestamptz NOT NULL DEFAULT now(),
        booked_by uuid REFERENCES app_user(id)
      )`);
    await q.query(`CREATE INDEX ledger_entry_call_idx ON ledger_entry (call_id, kind)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_entry`);
    await q.query(`DROP TABLE decision_letter`);
    await q.query(`DROP FUNCTION decision_letter_is_kept()`);
    await q.query(`DROP TABLE decision`);
    await q.query(`ALTER TABLE funding_call DROP CONSTRAINT funding_call_committed_within_budget, DROP COLUMN committed_cents, DROP COLUMN payment_window_months, DROP COLUMN line_deviation_percent`);
  }
}
