import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data protection: the usage report records when the retention job deleted its personal data
 * (participant lists, visit photos and notes) and when its receipts and figures, so that pages can
 * say what was deleted and when instead of showing nothing, and a repeated run deletes nothing twice.
 */
export class Retention1765100000000 implements MigrationInterface {
  name = 'Retention1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE usage_report
        ADD COLUMN personal_data_deleted_at timestamptz,
        ADD COLUMN receipts_deleted_at timestamptz`);
    // The job looks only at closed reports with something still to delete.
    await q.query(`
      CREATE INDEX usage_report_retention_idx ON usage_report (accepted_at)
       WHERE status IN ('accepted', 'settled_with_claim') AND (personal_data_deleted_at IS NULL OR receipts_deleted_at IS NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX usage_report_retention_idx`);
    await q.query(`ALTER TABLE usage_report DROP COLUMN personal_data_deleted_at, DROP COLUMN receipts_deleted_at`);
  }
}
