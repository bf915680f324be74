import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The applicant's answer to a change request, kept with the submission it came with. */
export class ApplicationReplies1764300000000 implements MigrationInterface {
  name = 'ApplicationReplies1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE application_version ADD COLUMN reply_message text CHECK (char_length(reply_message) <= 5000)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE application_version DROP COLUMN reply_message`);
  }
}
