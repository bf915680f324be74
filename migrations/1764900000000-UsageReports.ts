import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Controlling after the award: the usage report (Verwendungsnachweis) with its financial statement,
 * receipt list and participant figures; the office's check of single receipts; the reminders sent;
 * the repayment claim (Rückforderung) as a decision with its own four-eyes release and letter; and the
 * site visits. The database keeps what must hold whatever the code does: one report per award, a
 * reduced or refused receipt has a reason and never admits more than it shows, a claim is released by
 * another person than the one who drafted it, a reminder of each kind is sent once.
 */
export class UsageReports1764900000000 implements MigrationInterface {
  name = 'UsageReports1764900000000';

  async up(q: QueryRunner): Promise<void> {
    // Call settings for the report: the participant breakdown fields (none: counts only), whether
    // signed participant lists are asked for, and the day count for interest.
    await q.query(`
      ALTER TABLE funding_call
        ADD COLUMN participant_breakdown text[] NOT NULL DEFAULT '{}',
        ADD COLUMN participant_lists_required boolean NOT NULL DEFAULT false,
        ADD COLUMN interest_day_count text NOT NULL DEFAULT 'act/365' CHECK (interest_day_count IN ('act/365', 'act/360', 'act/act'))`);

    await q.query(`
      CREATE TABLE usage_report (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        decision_id uuid NOT NULL REFERENCES decision(id),
        call_id uuid NOT NULL REFERENCES funding_call(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        due_on date NOT NULL,
        status text NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'submitted', 'in_check', 'clarification_requested', 'accepted', 'settled_with_claim')),
        narrative jsonb NOT NULL DEFAULT '{}',
        actual_lines jsonb NOT NULL DEFAULT '[]',
        own_funds_cents bigint CHECK (own_funds_cents >= 0),
        third_party_cents bigint CHECK (third_party_cents >= 0),
        other_income_cents bigint CHECK (other_income_cents >= 0),
        participants_total integer CHECK (participants_total >= 0),
        participant_groups jsonb NOT NULL DEFAULT '[]',
        submission_count integer NOT NULL DEFAULT 0,
        first_submitted_at timestamptz,
        submitted_at timestamptz,
        clarification_request text,
        clarification_requested_at timestamptz,
        content_checked_by uuid REFERENCES app_user(id),
        content_checked_at timestamptz,
        figures_checked_by uuid REFERENCES app_user(id),
        figures_checked_at timestamptz,
        accepted_by uuid REFERENCES app_user(id),
        accepted_at timestamptz,
        settlement jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT usage_report_submitted CHECK (status = 'due' OR submitted_at IS NOT NULL),
        CONSTRAINT usage_report_closed CHECK ((status IN ('accepted', 'settled_with_claim')) = (accepted_at IS NOT NULL AND settlement IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX usage_report_decision_idx ON usage_report (decision_id)`);
    await q.query(`CREATE INDEX usage_report_call_idx ON usage_report (call_id, status, due_on)`);
    await q.query(`CREATE INDEX usage_report_organisation_idx ON usage_report (organisation_id)`);
    // Every released award has its report from the release on; awards released before this migration get theirs here.
    await q.query(`
      INSERT INTO usage_report (decision_id, call_id, organisation_id, due_on)
      SELECT d.id, d.call_id, a.organisation_id, d.report_due_on
        FROM decision d JOIN application a ON a.id = d.application_id
       WHERE d.kind = 'award' AND d.status = 'released' AND d.report_due_on IS NOT NULL`);

    // The receipt list (Belegliste) and the office's finding on each line.
    await q.query(`
      CREATE TABLE report_receipt (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report_id uuid NOT NULL REFERENCES usage_report(id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 1),
        receipt_date date NOT NULL,
        payee text NOT NULL,
        purpose text NOT NULL,
        amount_cents bigint NOT NULL CHECK (amount_cents > 0),
        cost_line integer NOT NULL CHECK (cost_line >= 1),
        paid_on date NOT NULL,
        finding text CHECK (finding IN ('admitted', 'reduced', 'refused')),
        admitted_cents bigint,
        finding_reason text,
        found_by uuid REFERENCES app_user(id),
        found_at timestamptz,
        CONSTRAINT report_receipt_position UNIQUE (report_id, position),
        CONSTRAINT report_receipt_admitted CHECK (
          (finding IS NULL AND admitted_cents IS NULL) OR
          (finding = 'admitted' AND admitted_cents = amount_cents) OR
          (finding = 'reduced' AND admitted_cents > 0 AND admitted_cents < amount_cents) OR
          (finding = 'refused' AND admitted_cents = 0)),
        CONSTRAINT report_receipt_reason CHECK (finding IS NULL OR finding = 'admitted' OR length(btrim(finding_reason)) > 0)
      )`);

    // Signed participant lists: personal data, for the office only, deleted on schedule.
    await q.query(`
      CREATE TABLE report_file (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report_id uuid NOT NULL REFERENCES usage_report(id) ON DELETE CASCADE,
        filename text NOT NULL,
        content_type text NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        content bytea NOT NULL,
        uploaded_by uuid NOT NULL REFERENCES app_user(id),
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX report_file_report_idx ON report_file (report_id)`);

    // One row per reminder sent: the primary key makes a second one of the same kind impossible.
    await q.query(`
      CREATE TABLE report_reminder (
        report_id uuid NOT NULL REFERENCES usage_report(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('four_weeks_before', 'due_today', 'two_weeks_overdue')),
        sent_on date NOT NULL,
        PRIMARY KEY (report_id, kind)
      )`);

    // The repayment claim (Rückforderungsbescheid, § 49a VwVfG): drafted from the settlement,
    // released by another office user, its letter kept as sent.
    await q.query(`
      CREATE TABLE repayment_claim (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report_id uuid NOT NULL REFERENCES usage_report(id),
        decision_id uuid NOT NULL REFERENCES decision(id),
        call_id uuid NOT NULL REFERENCES funding_call(id),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'released', 'repaid')),
        repayment_cents bigint NOT NULL CHECK (repayment_cents > 0),
        revoked_from date NOT NULL,
        payment_due_on date NOT NULL,
        interest jsonb,
        interest_cents bigint NOT NULL DEFAULT 0 CHECK (interest_cents >= 0),
        interest_waiver text,
        late_use jsonb,
        late_use_interest_cents bigint NOT NULL DEFAULT 0 CHECK (late_use_interest_cents >= 0),
        drafted_by uuid NOT NULL REFERENCES app_user(id),
        drafted_at timestamptz NOT NULL DEFAULT now(),
        released_by uuid REFERENCES app_user(id),
        released_at timestamptz,
        sent_on date,
        repaid_on date,
        repaid_booked_by uuid REFERENCES app_user(id),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT repayment_claim_four_eyes CHECK (released_by IS NULL OR released_by <> drafted_by),
        CONSTRAINT repayment_claim_released_complete CHECK ((status = 'draft') = (released_by IS NULL AND released_at IS NULL AND sent_on IS NULL)),
        CONSTRAINT repayment_claim_repaid_complete CHECK ((status = 'repaid') = (repaid_on IS NOT NULL)),
        CONSTRAINT repayment_claim_waiver CHECK (interest_waiver IS NULL OR (length(btrim(interest_waiver)) > 0 AND interest_cents = 0))
      )`);
    await q.query(`CREATE UNIQUE INDEX repayment_claim_report_idx ON repayment_claim (report_id)`);
    await q.query(`CREATE INDEX repayment_claim_call_idx ON repayment_claim (call_id, status)`);
    await q.query(`
      CREATE TABLE repayment_claim_letter (
        claim_id uuid PRIMARY KEY REFERENCES repayment_claim(id),
        filename text NOT NULL,
        content bytea NOT NULL,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE TRIGGER repayment_claim_letter_no_update_delete BEFORE UPDATE OR DELETE ON repayment_claim_letter FOR EACH ROW EXECUTE FUNCTION decision_letter_is_kept()`);
    await q.query(`ALTER TABLE ledger_entry ADD COLUMN claim_id uuid REFERENCES repayment_claim(id)`);

    // Site visits (Vor-Ort-Besuche): planned, then done with the protocol.
    await q.query(`
      CREATE TABLE site_visit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        decision_id uuid NOT NULL REFERENCES decision(id),
        call_id uuid NOT NULL REFERENCES funding_call(id),
        status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'done')),
        visit_on date NOT NULL,
        staff text NOT NULL CHECK (length(btrim(staff)) > 0),
        checklist jsonb NOT NULL DEFAULT '{}',
        notes text,
        planned_by uuid NOT NULL REFERENCES app_user(id),
        recorded_by uuid REFERENCES app_user(id),
        recorded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT site_visit_recorded CHECK ((status = 'done') = (recorded_by IS NOT NULL AND recorded_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX site_visit_call_idx ON site_visit (call_id, decision_id)`);
    await q.query(`
      CREATE TABLE site_visit_photo (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        visit_id uuid NOT NULL REFERENCES site_visit(id) ON DELETE CASCADE,
        filename text NOT NULL,
        content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        content bytea NOT NULL,
        uploaded_by uuid NOT NULL REFERENCES app_user(id),
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX site_visit_photo_visit_idx ON site_visit_photo (visit_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE site_visit_photo`);
    await q.query(`DROP TABLE site_visit`);
    await q.query(`ALTER TABLE ledger_entry DROP COLUMN claim_id`);
    await q.query(`DROP TABLE repayment_claim_letter`);
    await q.query(`DROP TABLE repayment_claim`);
    await q.query(`DROP TABLE report_reminder`);
    await q.query(`DROP TABLE report_file`);
    await q.query(`DROP TABLE report_receipt`);
    await q.query(`DROP TABLE usage_report`);
    await q.query(`ALTER TABLE funding_call DROP COLUMN participant_breakdown, DROP COLUMN participant_lists_required, DROP COLUMN interest_day_count`);
  }
}
