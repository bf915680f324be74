import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reference numbers sort by their number, not as text (NE-2027-10000 after NE-2027-2): the number
 * is kept as an integer column computed from the reference, so existing references stay as they
 * are. The index serves the office's worklist, a page at a time in reference order.
 */
export class ReferenceOrder1764450000000 implements MigrationInterface {
  name = 'ReferenceOrder1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE application ADD COLUMN reference_seq integer GENERATED ALWAYS AS (
        CASE WHEN reference_number ~ '^NE-[0-9]{4}-[0-9]{1,9}$' THEN split_part(reference_number, '-', 3)::integer END
      ) STORED`);
    await q.query(`CREATE INDEX application_call_reference_idx ON application (call_id, reference_seq, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX application_call_reference_idx`);
    await q.query(`ALTER TABLE application DROP COLUMN reference_seq`);
  }
}
