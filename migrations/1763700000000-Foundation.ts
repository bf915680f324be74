import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, sessions, organisations, round-table membership and the append-only audit trail. */
export class Foundation1763700000000 implements MigrationInterface {
  name = 'Foundation1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        full_name text NOT NULL,
        password_hash text,
        roles text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'disabled')),
        preferred_language text NOT NULL DEFAULT 'de' CHECK (preferred_language IN ('de', 'en')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (roles <@ ARRAY['applicant', 'voting_member', 'advisory_member', 'chair', 'office', 'admin']::text[]),
        CHECK (NOT (roles @> ARRAY['voting_member', 'advisory_member']::text[]))
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email))`);

    await q.query(`
      CREATE TABLE user_session (
        id text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ip text,
        user_agent text
      )`);
    await q.query(`CREATE INDEX user_session_user_idx ON user_session (user_id)`);
    await q.query(`CREATE INDEX user_session_expires_idx ON user_session (expires_at)`);

    await q.query(`
      CREATE TABLE login_attempt (
        id bigserial PRIMARY KEY,
        email text NOT NULL,
        ip text NOT NULL,
        succeeded boolean NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_attempt_email_idx ON login_attempt (lower(email), attempted_at)`);
    await q.query(`CREATE INDEX login_attempt_ip_idx ON login_attempt (ip, attempted_at)`);

    await q.query(`
      CREATE TABLE one_time_token (
        id text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX one_time_token_user_idx ON one_time_token (user_id)`);

    await q.query(`
      CREATE TABLE organisation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        legal_form text NOT NULL,
        register_court text,
        register_number text,
        non_profit boolean NOT NULL DEFAULT false,
        non_profit_certificate_expires_on date,
        street text NOT NULL,
        postal_code text NOT NULL,
        city text NOT NULL,
        district text NOT NULL,
        email text,
        phone text,
        website text,
        iban text NOT NULL,
        bic text,
        account_holder text NOT NULL,
        bank_name text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed')),
        confirmed_at timestamptz,
        confirmed_by uuid REFERENCES app_user(id),
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (status <> 'confirmed' OR confirmed_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX organisation_status_idx ON organisation (status)`);
    await q.query(`CREATE INDEX organisation_name_idx ON organisation (lower(name))`);

    await q.query(`
      CREATE TABLE organisation_contact (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        full_name text NOT NULL,
        function text,
        email text,
        phone text,
        is_primary boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX organisation_contact_org_idx ON organisation_contact (organisation_id)`);

    await q.query(`
      CREATE TABLE organisation_user (
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, user_id)
      )`);
    await q.query(`CREATE INDEX organisation_user_user_idx ON organisation_user (user_id)`);

    await q.query(`
      CREATE TABLE round_table_member (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid UNIQUE REFERENCES app_user(id) ON DELETE SET NULL,
        full_name text NOT NULL,
        email text,
        voting_right text NOT NULL CHECK (voting_right IN ('voting', 'advisory')),
        member_group text NOT NULL CHECK (member_group IN
          ('elected_migrant_representative', 'council_faction', 'welfare_association', 'department', 'provider')),
        represents text,
        kind text NOT NULL DEFAULT 'member' CHECK (kind IN ('member', 'deputy')),
        is_chair boolean NOT NULL DEFAULT false,
        term_start date NOT NULL,
        term_end date,
        deputy_id uuid REFERENCES round_table_member(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (term_end IS NULL OR term_end >= term_start),
        CHECK (deputy_id IS NULL OR deputy_id <> id)
      )`);

    await q.query(`
      CREATE TABLE member_affiliation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id uuid NOT NULL REFERENCES round_table_member(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('board', 'employment', 'membership', 'family')),
        note text,
        since date,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (member_id, organisation_id, kind)
      )`);
    await q.query(`CREATE INDEX member_affiliation_org_idx ON member_affiliation (organisation_id)`);

    await q.query(`
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_label text,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text,
        before jsonb,
        after jsonb,
        correlation_id text
      )`);
    await q.query(`CREATE INDEX audit_event_entity_idx ON audit_event (entity_type, entity_id, occurred_at)`);
    await q.query(`CREATE INDEX audit_event_time_idx ON audit_event (occurred_at DESC)`);
    await q.query(`
      CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'restrict_violation';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_event', 'member_affiliation', 'round_table_member', 'organisation_user', 'organisation_contact',
      'organisation', 'one_time_token', 'login_attempt', 'user_session', 'app_user',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS audit_event_is_append_only()`);
  }
}
