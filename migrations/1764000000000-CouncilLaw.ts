import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Council law per item: arrivals and departures with their time, who was present when an item was
 * decided, conflicts that withdrew a vote or came to light after the decision, votes counted by the office.
 */
export class CouncilLaw1764000000000 implements MigrationInterface {
  name = 'CouncilLaw1764000000000';

  async up(q: QueryRunner): Promise<void> {
    // recorded_at was the time of the last change; the arrival is now kept apart from a departure.
    await q.query(`ALTER TABLE attendance RENAME COLUMN recorded_at TO arrived_at`);
    await q.query(`ALTER TABLE attendance ADD COLUMN left_at timestamptz, ADD CHECK (left_at IS NULL OR left_at >= arrived_at)`);
    // Who was present (and for whom a deputy stood in) when the item was decided: [{ memberId, standsInFor }].
    await q.query(`ALTER TABLE agenda_item ADD COLUMN presence jsonb`);
    await q.query(`
      ALTER TABLE conflict_declaration
        ADD COLUMN vote_withdrawn text CHECK (vote_withdrawn IN ('vote', 'secret_ballot_repeated')),
        ADD COLUMN after_decision boolean NOT NULL DEFAULT false`);
    // Totals of a secret ballot counted by the office: stored like any secret vote, without the member.
    await q.query(`ALTER TABLE vote ADD COLUMN counted_by_office boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE vote ADD CHECK (NOT counted_by_office OR member_id IS NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE vote DROP COLUMN counted_by_office`);
    await q.query(`ALTER TABLE conflict_declaration DROP COLUMN vote_withdrawn, DROP COLUMN after_decision`);
    await q.query(`ALTER TABLE agenda_item DROP COLUMN presence`);
    await q.query(`ALTER TABLE attendance DROP COLUMN left_at`);
    await q.query(`ALTER TABLE attendance RENAME COLUMN arrived_at TO recorded_at`);
  }
}
