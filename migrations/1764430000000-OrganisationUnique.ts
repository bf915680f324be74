import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One organisation per register entry (court and number, compared without spaces, case or the
 * spelling "Amtsgericht"/"AG"), and, for those without a register entry, one per name (without case
 * or repeated spaces). The expressions match `OrganisationsRepository.findDuplicate`.
 */
export class OrganisationUnique1764430000000 implements MigrationInterface {
  name = 'OrganisationUnique1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX organisation_register_unique ON organisation (
      replace(lower(regexp_replace(coalesce(register_court, ''), '\\s+', '', 'g')), 'amtsgericht', 'ag'),
      upper(regexp_replace(register_number, '[\\s.-]+', '', 'g'))
    ) WHERE register_number IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX organisation_name_unique ON organisation (lower(regexp_replace(btrim(name), '\\s+', ' ', 'g'))) WHERE register_number IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX organisation_name_unique`);
    await q.query(`DROP INDEX organisation_register_unique`);
  }
}
