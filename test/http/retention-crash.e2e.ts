import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { DEMO, eventually, loginAs } from '../support/app.js';
import { binary } from '../support/applications.js';
import { createTestDatabase } from '../support/database.js';
import { pdfText } from '../support/pdf.js';
import { freePort, startService, tempDir, type ServiceProcess } from '../support/service.js';

/**
 * The built service killed with SIGKILL while the retention job is in the middle of a report (one
 * part deleted in its transaction, the next waiting for a row this test holds) and while monitoring
 * PDFs render, then started plainly again: nothing is left half-deleted, the job finishes on the
 * next start, and each deletion has exactly one audit row.
 */

const LIST_FILES_PER_REPORT = 2;

interface ReportState {
  id: string;
  personalDataDeleted: boolean;
  receiptsDeleted: boolean;
  listFiles: number;
  receipts: number;
  visitNotes: number;
  personalAudits: number;
  receiptAudits: number;
}

async function states(client: pg.Client, ids: string[]): Promise<ReportState[]> {
  return (await client.query(
    `SELECT r.id, r.personal_data_deleted_at IS NOT NULL AS "personalDataDeleted", r.receipts_deleted_at IS NOT NULL AS "receiptsDeleted",
            (SELECT count(*)::int FROM report_file f WHERE f.report_id = r.id) AS "listFiles",
            (SELECT count(*)::int FROM report_receipt rc WHERE rc.report_id = r.id) AS receipts,
            (SELECT count(*)::int FROM site_visit v WHERE v.decision_id = r.decision_id AND v.notes IS NOT NULL) AS "visitNotes",
            (SELECT count(*)::int FROM audit_event e WHERE e.action = 'retention.deleted' AND e.entity_id = r.id::text AND e.after->>'part' = 'personal_data') AS "personalAudits",
            (SELECT count(*)::int FROM audit_event e WHERE e.action = 'retention.deleted' AND e.entity_id = r.id::text AND e.after->>'part' = 'receipts') AS "receiptAudits"
       FROM usage_report r WHERE r.id = ANY($1::uuid[]) ORDER BY r.accepted_at, r.id`,
    [ids],
  )).rows;
}

/** Each part either deleted, with no rows left and one audit row, or not, with every row and no audit row. */
function expectWholeParts(rows: ReportState[], held: Map<string, { receipts: number; visitNotes: number }>): void {
  for (const row of rows) {
    const before = held.get(row.id)!;
    expect({ id: row.id, listFiles: row.listFiles, visitNotes: row.visitNotes, audits: row.personalAudits }).toEqual(
      row.personalDataDeleted ? { id: row.id, listFiles: 0, visitNotes: 0, audits: 1 } : { id: row.id, listFiles: LIST_FILES_PER_REPORT, visitNotes: before.visitNotes, audits: 0 });
    expect({ id: row.id, receipts: row.receipts, audits: row.receiptAudits }).toEqual(
      row.receiptsDeleted ? { id: row.id, receipts: 0, audits: 1 } : { id: row.id, receipts: before.receipts, audits: 0 });
  }
}

describe('the retention job and the monitoring PDF after kill -9', () => {
  it('leaves no report half-deleted and finishes on the next start, one audit row per deletion', async () => {
    const database = await createTestDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    let first: ServiceProcess | undefined;
    let second: ServiceProcess | undefined;
    const blocker = new pg.Client({ connectionString: database.url });
    try {
      // The demo year's closed reports, each with two participant lists, accepted 13 months and
      // handed in more than five years ago: both parts of each are due.
      const reports: { id: string; receipts: number; visitNotes: number }[] = (await client.query(
        `SELECT r.id, (SELECT count(*)::int FROM report_receipt rc WHERE rc.report_id = r.id) AS receipts,
                (SELECT count(*)::int FROM site_visit v WHERE v.decision_id = r.decision_id AND v.notes IS NOT NULL) AS "visitNotes"
           FROM usage_report r WHERE r.status IN ('accepted', 'settled_with_claim') ORDER BY r.accepted_at, r.id`,
      )).rows;
      expect(reports.length).toBeGreaterThanOrEqual(4);
      const ids = reports.map((r) => r.id);
      await client.query(
        `INSERT INTO report_file (report_id, filename, content_type, size_bytes, content, uploaded_by)
         SELECT r.id, 'Teilnehmendenliste-' || n || '.pdf', 'application/pdf', 8, '\\x255044462d312e34'::bytea, (SELECT id FROM app_user WHERE email = $2)
           FROM usage_report r, generate_series(1, $3::int) n WHERE r.id = ANY($1::uuid[])`,
        [ids, DEMO.office, LIST_FILES_PER_REPORT],
      );
      await client.query(`UPDATE usage_report SET accepted_at = now() - interval '13 months', submitted_at = now() - interval '61 months' WHERE id = ANY($1::uuid[])`, [ids]);
      const held = new Map(reports.map((r) => [r.id, r]));
      // The third report in the job's order: the job stops inside its transaction, after the
      // personal data (deleted, not committed), on a receipt row this test has locked.
      const ordered = (await states(client, ids)).map((s) => s.id);
      const stuck = ordered[2];
      expect(held.get(stuck)!.receipts).toBeGreaterThan(0);
      await blocker.connect();
      await blocker.query('BEGIN');
      await blocker.query(`SELECT id FROM report_receipt WHERE report_id = $1 FOR UPDATE`, [stuck]);

      const env = { DATABASE_URL: database.url, DATA_DIR: await tempDir('foerdertisch-crash-'), PORT: String(await freePort()), SESSION_SECRET: 'crash-test-secret-crash-test-secret-12345' };
      first = await startService(env);
      await first.healthy();
      await eventually(async () => (await client.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%report_receipt%'`)).rows.length === 1,
      30_000, 'the retention job waits inside the third report');

      // Monitoring PDFs rendering in the worker threads at the moment of the kill.
      const office = request.agent(first.base);
      await loginAs(office, DEMO.office);
      const [{ id: callId }] = (await client.query(`SELECT id FROM funding_call WHERE title = 'Integrationsförderung 2026'`)).rows;
      const rendering = [1, 2, 3].map(() => office.get(`/monitoring/calls/${callId}/report.pdf`).then((res) => res.status, (error: Error) => error.message));
      await new Promise((resolve) => setTimeout(resolve, 150));
      await first.stop('SIGKILL');
      const answered = await Promise.all(rendering);
      expect(answered.every((a) => a === 200 || /socket hang up|ECONNRESET|ECONNREFUSED/.test(String(a)))).toBe(true);

      // The stuck transaction ends without its client once the lock is free: it is rolled back.
      await blocker.query('ROLLBACK');
      await eventually(async () => (await client.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'foerdertisch%'`)).rows.length === 0, 20_000, 'the killed service\'s connections gone');
      const afterCrash = await states(client, ids);
      expectWholeParts(afterCrash, held);
      expect(afterCrash.filter((s) => s.personalDataDeleted && s.receiptsDeleted).map((s) => s.id)).toEqual(ordered.slice(0, 2));
      expect(afterCrash.find((s) => s.id === stuck)).toMatchObject({ personalDataDeleted: false, receiptsDeleted: false, listFiles: LIST_FILES_PER_REPORT, receipts: held.get(stuck)!.receipts });

      // A plain start: the job runs again and finishes; nothing is deleted twice.
      const restarted = performance.now();
      second = await startService(env);
      await second.healthy();
      const healthyMs = performance.now() - restarted;
      await eventually(async () => (await states(client, ids)).every((s) => s.personalDataDeleted && s.receiptsDeleted), 60_000, 'every report deleted after the restart');
      process.stdout.write(`retention-crash: ${ids.length} reports due, PDFs at the kill ${JSON.stringify(answered)}, healthy ${Math.round(healthyMs)} ms after the restart, `
        + `job finished ${Math.round(performance.now() - restarted)} ms after it\n`);
      const finished = await states(client, ids);
      expectWholeParts(finished, held);
      const [{ n: deletions }] = (await client.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'retention.deleted'`)).rows;
      expect(deletions).toBe(2 * ids.length);

      // The monitoring PDF renders again after the restart.
      const again = request.agent(second.base);
      await loginAs(again, DEMO.office);
      const pdf = await again.get(`/monitoring/calls/${callId}/report.pdf`).buffer(true).parse(binary).expect(200);
      expect(await pdfText(pdf.body as Buffer)).toContain('2026');
      await second.stop('SIGTERM');
      expect(await second.exited()).toBe(0);
    } finally {
      for (const service of [first, second]) await service?.stop('SIGKILL');
      await blocker.end().catch(() => undefined);
      await client.end();
      await database.drop();
    }
  }, 180_000);
});
