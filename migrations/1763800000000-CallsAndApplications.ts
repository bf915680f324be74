import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Calls for proposals, applications with their submitted versions and attachments, reference numbers. */
export class CallsAndApplications1763800000000 implements MigrationInterface {
  name = 'CallsAndApplications1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE funding_call (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        title text NOT NULL,
        description text,
        budget_cents bigint NOT NULL CHECK (budget_cents > 0),
        fields_of_action text[] NOT NULL CHECK (cardinality(fields_of_action) > 0),
        submission_deadline timestamptz NOT NULL,
        funding_period_start date NOT NULL,
        funding_period_end date NOT NULL,
        finance_type text NOT NULL CHECK (finance_type IN ('deficit', 'share', 'fixed')),
        share_percent integer CHECK (share_percent BETWEEN 1 AND 100),
        max_amount_cents bigint NOT NULL CHECK (max_amount_cents > 0),
        min_own_contribution_percent integer NOT NULL DEFAULT 0 CHECK (min_own_contribution_percent BETWEEN 0 AND 100),
        cost_categories text[] NOT NULL CHECK (cardinality(cost_categories) > 0),
        required_attachments text[] NOT NULL DEFAULT '{}',
        declarations text[] NOT NULL DEFAULT '{}',
        report_due_months integer NOT NULL DEFAULT 6 CHECK (report_due_months BETWEEN 1 AND 24),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed', 'in_review', 'decided', 'archived')),
        machine_snapshot jsonb NOT NULL,
        machine_version integer NOT NULL,
        published_at timestamptz,
        closed_at timestamptz,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (funding_period_end >= funding_period_start),
        CHECK (finance_type <> 'share' OR share_percent IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX funding_call_status_idx ON funding_call (status, submission_deadline)`);

    await q.query(`
      CREATE TABLE application (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        call_id uuid NOT NULL REFERENCES funding_call(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        created_by uuid REFERENCES app_user(id),
        reference_number text UNIQUE,
        title text NOT NULL,
        field_of_action text,
        target_group text,
        district text,
        start_date date,
        end_date date,
        description text,
        goals text,
        methods text,
        expected_participants integer CHECK (expected_participants >= 0),
        openness text,
        cost_lines jsonb NOT NULL DEFAULT '[]',
        own_funds_cents bigint NOT NULL DEFAULT 0 CHECK (own_funds_cents >= 0),
        third_party jsonb NOT NULL DEFAULT '[]',
        requested_cents bigint CHECK (requested_cents >= 0),
        declarations text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'draft',
        machine_snapshot jsonb NOT NULL,
        machine_version integer NOT NULL,
        submission_count integer NOT NULL DEFAULT 0,
        first_submitted_at timestamptz,
        submitted_at timestamptz,
        change_request jsonb,
        ineligible_reason text,
        check_list jsonb NOT NULL DEFAULT '{}',
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz,
        withdrawn_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
        CHECK (status = 'draft' OR reference_number IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX application_call_idx ON application (call_id, status)`);
    await q.query(`CREATE INDEX application_organisation_idx ON application (organisation_id)`);

    await q.query(`
      CREATE TABLE application_version (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES application(id),
        number integer NOT NULL,
        submitted_at timestamptz NOT NULL,
        submitted_by uuid REFERENCES app_user(id),
        snapshot jsonb NOT NULL,
        UNIQUE (application_id, number)
      )`);

    await q.query(`
      CREATE TABLE attachment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES application(id),
        kind text NOT NULL,
        filename text NOT NULL,
        content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        content bytea NOT NULL,
        uploaded_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        removed_at timestamptz
      )`);
    await q.query(`CREATE INDEX attachment_application_idx ON attachment (application_id) WHERE removed_at IS NULL`);

    await q.query(`
      CREATE TABLE reference_counter (
        year integer PRIMARY KEY,
        last_number integer NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['reference_counter', 'attachment', 'application_version', 'application', 'funding_call']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
