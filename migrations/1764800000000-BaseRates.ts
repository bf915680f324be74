import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The base rate (Basiszinssatz, § 247 BGB) by the day it takes effect, kept by the office: the
 * interest on repayment claims is computed from it (src/reports/interest.rules.ts). It changes on
 * 1 January and 1 July only. Seeded with the Deutsche Bundesbank's published rates since 2023
 * (src/reports/base-rates.ts names the notices).
 */
export class BaseRates1764800000000 implements MigrationInterface {
  name = 'BaseRates1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE base_rate (
        valid_from date PRIMARY KEY CHECK (extract(day FROM valid_from) = 1 AND extract(month FROM valid_from) IN (1, 7)),
        basis_points integer NOT NULL CHECK (basis_points BETWEEN -1000 AND 2000),
        source text,
        updated_by uuid REFERENCES app_user(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO base_rate (valid_from, basis_points, source) VALUES
        ('2023-01-01', 162, 'Deutsche Bundesbank'), ('2023-07-01', 312, 'Deutsche Bundesbank'),
        ('2024-01-01', 362, 'Deutsche Bundesbank'), ('2024-07-01', 337, 'Deutsche Bundesbank'),
        ('2025-01-01', 227, 'Deutsche Bundesbank'), ('2025-07-01', 127, 'Deutsche Bundesbank'),
        ('2026-01-01', 127, 'Deutsche Bundesbank')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE base_rate`);
  }
}
