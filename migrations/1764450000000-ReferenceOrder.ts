import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reference numbers sort by their number, not as text (NE-2027-10000 after NE-2027-2): the number
 * is kept as an integer column computed from the reference, so existing references stay as they
 * are. The indexes serve the office's worklist, a page at a time in reference order.
 *
 * Numbers are drawn from one sequence per year (`reference_number_<year>`) instead of a counter
 * row: a sequence hands out numbers without a lock held until the commit, which made concurrent
 * submissions wait for each other. Each sequence continues after the highest number of its year.
 */
export class ReferenceOrder1764450000000 implements MigrationInterface {
  name = 'ReferenceOrder1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE application ADD COLUMN reference_seq integer GENERATED ALWAYS AS (
        CASE WHEN reference_number ~ '^NE-[0-9]{4}-[0-9]{1,9}$' THEN split_part(reference_number, '-', 3)::integer END
      ) STORED`);
    await q.query(`CREATE INDEX application_call_reference_idx ON application (call_id, reference_seq, id)`);
    await q.query(`CREATE INDEX application_call_status_reference_idx ON application (call_id, status, reference_seq, id)`);
    const years: { year: number; last: number }[] = await q.query(`
      SELECT year, max(last) AS last FROM (
        SELECT year, last_number AS last FROM reference_counter
        UNION ALL
        SELECT split_part(reference_number, '-', 2)::int, reference_seq FROM application WHERE reference_seq IS NOT NULL
      ) numbers GROUP BY year`);
    for (const { year, last } of years) {
      await q.query(`CREATE SEQUENCE reference_number_${Number(year)} START ${Number(last) + 1}`);
    }
    await q.query(`DROP TABLE reference_counter`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reference_counter (year integer PRIMARY KEY, last_number integer NOT NULL)`);
    const sequences: { name: string; last: string | null }[] = await q.query(
      `SELECT sequencename AS name, last_value AS last FROM pg_sequences WHERE schemaname = current_schema() AND sequencename ~ '^reference_number_[0-9]{4}$'`,
    );
    for (const { name, last } of sequences) {
      const year = Number(name.slice('reference_number_'.length));
      if (last !== null) await q.query(`INSERT INTO reference_counter (year, last_number) VALUES ($1, $2)`, [year, Number(last)]);
      await q.query(`DROP SEQUENCE ${name}`);
    }
    await q.query(`DROP INDEX application_call_status_reference_idx`);
    await q.query(`DROP INDEX application_call_reference_idx`);
    await q.query(`ALTER TABLE application DROP COLUMN reference_seq`);
  }
}
