import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Round-table sessions: agenda, attendance, conflicts of interest, votes, ratings, recommendations. */
export class RoundTableSessions1763900000000 implements MigrationInterface {
  name = 'RoundTableSessions1763900000000';

  async up(q: QueryRunner): Promise<void> {
    // Ranking settings belong to the call.
    await q.query(`
      ALTER TABLE funding_call
        ADD COLUMN importance_weight integer NOT NULL DEFAULT 1 CHECK (importance_weight BETWEEN 0 AND 10),
        ADD COLUMN urgency_weight integer NOT NULL DEFAULT 1 CHECK (urgency_weight BETWEEN 0 AND 10),
        ADD COLUMN partial_funding boolean NOT NULL DEFAULT false,
        ADD COLUMN field_caps jsonb NOT NULL DEFAULT '{}'`);

    await q.query(`
      CREATE TABLE council_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        call_id uuid NOT NULL REFERENCES funding_call(id),
        scheduled_at timestamptz NOT NULL,
        place text NOT NULL,
        chair_member_id uuid REFERENCES round_table_member(id),
        status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'open', 'closed')),
        statutory_voting_members integer CHECK (statutory_voting_members >= 0),
        opened_at timestamptz,
        closed_at timestamptz,
        minute_taker_id uuid REFERENCES app_user(id),
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX council_session_call_idx ON council_session (call_id)`);

    await q.query(`
      CREATE TABLE agenda_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES council_session(id),
        application_id uuid NOT NULL REFERENCES application(id),
        position integer NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'open', 'closed', 'deferred')),
        secret_ballot boolean NOT NULL DEFAULT false,
        recommended_cents bigint CHECK (recommended_cents >= 0),
        decision text CHECK (decision IN ('approved', 'rejected')),
        yes_count integer, no_count integer, abstain_count integer,
        eligible_voters integer,
        opened_at timestamptz,
        closed_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        UNIQUE (session_id, application_id),
        UNIQUE (session_id, position),
        CHECK (status <> 'closed' OR decision IS NOT NULL)
      )`);

    await q.query(`
      CREATE TABLE attendance (
        session_id uuid NOT NULL REFERENCES council_session(id),
        member_id uuid NOT NULL REFERENCES round_table_member(id),
        stands_in_for uuid REFERENCES round_table_member(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, member_id),
        UNIQUE (session_id, stands_in_for),
        CHECK (stands_in_for IS NULL OR stands_in_for <> member_id)
      )`);

    await q.query(`
      CREATE TABLE conflict_declaration (
        item_id uuid NOT NULL REFERENCES agenda_item(id),
        member_id uuid NOT NULL REFERENCES round_table_member(id),
        source text NOT NULL CHECK (source IN ('affiliation', 'declared')),
        reason text NOT NULL,
        declared_at timestamptz NOT NULL DEFAULT now(),
        declared_by uuid REFERENCES app_user(id),
        PRIMARY KEY (item_id, member_id)
      )`);

    // Who has voted on an item: one row per member, so the database refuses a second vote.
    await q.query(`
      CREATE TABLE ballot (
        item_id uuid NOT NULL REFERENCES agenda_item(id),
        member_id uuid NOT NULL REFERENCES round_table_member(id),
        recorded_by_office boolean NOT NULL DEFAULT false,
        PRIMARY KEY (item_id, member_id)
      )`);
    // How they voted. In a secret ballot the vote is stored without the member and without a time.
    await q.query(`
      CREATE TABLE vote (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES agenda_item(id),
        member_id uuid REFERENCES round_table_member(id),
        choice text NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),
        UNIQUE (item_id, member_id)
      )`);
    await q.query(`CREATE INDEX vote_item_idx ON vote (item_id)`);

    await q.query(`
      CREATE TABLE secret_ballot_request (
        item_id uuid NOT NULL REFERENCES agenda_item(id),
        member_id uuid NOT NULL REFERENCES round_table_member(id),
        PRIMARY KEY (item_id, member_id)
      )`);

    await q.query(`
      CREATE TABLE rating (
        item_id uuid NOT NULL REFERENCES agenda_item(id),
        member_id uuid NOT NULL REFERENCES round_table_member(id),
        importance integer NOT NULL CHECK (importance BETWEEN 1 AND 5),
        urgency integer NOT NULL CHECK (urgency BETWEEN 1 AND 5),
        rated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (item_id, member_id)
      )`);

    // The allocation the office last confirmed: when money is freed later, what now moves up is offered.
    await q.query(`
      CREATE TABLE allocation_snapshot (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        call_id uuid NOT NULL REFERENCES funding_call(id),
        funded jsonb NOT NULL,
        confirmed_at timestamptz NOT NULL DEFAULT now(),
        confirmed_by uuid REFERENCES app_user(id)
      )`);
    await q.query(`CREATE INDEX allocation_snapshot_call_idx ON allocation_snapshot (call_id, confirmed_at DESC)`);

    await q.query(`
      CREATE TABLE recommendation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES agenda_item(id),
        member_id uuid NOT NULL REFERENCES round_table_member(id),
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (item_id, member_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['allocation_snapshot', 'recommendation', 'rating', 'secret_ballot_request', 'vote', 'ballot', 'conflict_declaration', 'attendance', 'agenda_item', 'council_session']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`ALTER TABLE funding_call DROP COLUMN importance_weight, DROP COLUMN urgency_weight, DROP COLUMN partial_funding, DROP COLUMN field_caps`);
  }
}
