import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { unzipSync } from 'fflate';
import { AwardsService } from '../../src/awards/awards.service.js';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary } from '../support/applications.js';
import { decisions } from '../support/awards.js';
import { settledReport } from '../support/reports.js';
import { threeSixtyGivingErrors } from '../support/three-sixty-giving.js';

/**
 * Archive, monitoring, Förderbericht, access report and retention together: a call settled and
 * archived through the real API keeps its figures in the monitoring and on the public page, its
 * grantee's access report still answers, and the retention job, started over HTTP, deletes its
 * personal data through the archive's real triggers. On a pool of one connection, so that archiving,
 * the run request, the access report's audit row and the job's deletions each stay on the
 * connection of their transaction (a second one would time out).
 */

let t: TestApp;
let callId: string;
let reportId: string;
let decisionId: string;
let visitId: string;
let fundedTitle: string;
let office: ReturnType<TestApp['agent']>;
let admin: ReturnType<TestApp['agent']>;
let adminToken: string;
/** The call's monitoring figures before it was archived. */
let before: { total: Record<string, number> };
const today = () => berlinDay(new Date());
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-beispiel')]);

async function count(sql: string, params: unknown[]): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return row.n;
}

beforeAll(async () => {
  t = await startTestApp({ env: { DB_POOL_SIZE: '1', DB_ACQUIRE_TIMEOUT_MS: '2000' } });
  // The start-up's retention run is done before the dates are moved, so only the run started below deletes.
  await eventually(async () => (await count(`pgboss.job WHERE name = 'privacy.retention' AND state IN ('created', 'retry', 'active')`, [])) === 0, 20_000, 'retention queue idle');
  const [{ id: openCallId }] = await t.dataSource.query(`SELECT id FROM funding_call WHERE status = 'published'`);
  await t.dataSource.query(`UPDATE funding_call SET participant_lists_required = true WHERE id = $1`, [openCallId]);

  const fixture = await settledReport(t);
  ({ callId, reportId, office } = fixture);
  const { officeToken, second, secondToken, award } = fixture;
  decisionId = award.id;
  [{ title: fundedTitle }] = await t.dataSource.query(`SELECT title FROM application WHERE id = $1`, [award.applicationId]);

  // A visit with a photo and notes, recorded.
  const visit = (await office.post(`/api/v1/decisions/${award.id}/visits`).set('X-CSRF-Token', officeToken).send({ visitOn: today(), staff: 'Jonas Becker' }).expect(201)).body;
  visitId = visit.id;
  await office.post(`/api/v1/visits/${visitId}/photos`).set('X-CSRF-Token', officeToken).attach('file', PNG, 'Besuch.png').expect(201);
  await office.post(`/api/v1/visits/${visitId}/protocol`).set('X-CSRF-Token', officeToken)
    .send({ visitOn: today(), checklist: { activity_as_described: 'yes', target_group_reached: 'yes', open_to_everyone: 'yes', participants_present: 'yes', publicity_names_city: 'yes' }, notes: 'Frau Demir leitete die Gruppe.' }).expect(200);

  // Deadline passed and reviewed (moved with SQL), every decision released, the call decided.
  await t.dataSource.query(`UPDATE funding_call SET status = 'in_review' WHERE id = $1`, [callId]);
  for (const other of (await decisions(office, callId)).decisions.filter((d) => d.status === 'draft')) {
    await second.post(`/api/v1/decisions/${other.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
  }
  await office.post(`/api/v1/calls/${callId}/decide`).set('X-CSRF-Token', officeToken).expect(200);
  await eventually(async () => (await t.dataSource.query(
    `SELECT 1 FROM decision d WHERE d.call_id = $1 AND NOT EXISTS (SELECT 1 FROM decision_letter l WHERE l.decision_id = d.id)`, [callId])).length === 0, 15_000, 'every letter issued');
  await office.post('/api/v1/payment-exports').set('X-CSRF-Token', officeToken).expect(201);
  await t.dataSource.query(`UPDATE decision SET final_on = current_date WHERE id = $1`, [award.id]);
  await t.app.get(AwardsService).becomeFinalIfDue(award.id);

  // Time travel, before the archive freezes the rows: accepted 13 months ago, handed in five years and two days ago.
  await t.dataSource.query(`UPDATE usage_report SET accepted_at = accepted_at - interval '13 months', first_submitted_at = now() - interval '5 years 2 days',
                                   submitted_at = now() - interval '5 years 2 days' WHERE id = $1`, [reportId]);
  before = (await office.get(`/api/v1/monitoring/calls/${callId}`).expect(200)).body;
  await office.post(`/api/v1/calls/${callId}/archive`).set('X-CSRF-Token', officeToken).expect(200);
  admin = t.agent();
  adminToken = await loginAs(admin, DEMO.admin);
}, 300_000);

afterAll(async () => {
  await t?.close();
});

describe('an archived call', () => {
  it('keeps its figures in the monitoring, per call and in the comparison of the years', async () => {
    const after = (await office.get(`/api/v1/monitoring/calls/${callId}`).expect(200)).body;
    expect(after.call.status).toBe('archived');
    expect(after.total).toEqual(before.total);
    expect(after.total).toMatchObject({ funded: 1, awardedCents: 280_000, paidCents: 100_000, participantsReached: 42, reportsAccepted: 1, visitsMade: 1 });
    const years = (await office.get('/api/v1/monitoring/years').expect(200)).body;
    expect(years.calls.map((c: { id: string }) => c.id)).toContain(callId);
    expect((await office.get('/monitoring').expect(200)).text).toContain(`/monitoring/calls/${callId}`);
    await office.get(`/monitoring/calls/${callId}`).expect(200);
    const pdf = await office.get(`/monitoring/calls/${callId}/report.pdf`).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
  });

  it('stays in the public Förderbericht and its 360Giving export, valid against the official schema', async () => {
    const anonymous = t.agent();
    expect((await anonymous.get('/foerderbericht').expect(200)).text).toContain(`href="/foerderbericht/${callId}"`);
    expect((await anonymous.get(`/foerderbericht/${callId}`).expect(200)).text).toContain(fundedTitle);
    const calls = (await anonymous.get('/api/v1/open-data/calls').expect(200)).body as { id: string; status: string }[];
    expect(calls.find((c) => c.id === callId)).toMatchObject({ status: 'archived', fundedCount: 1, awardedCents: 280_000 });
    const res = await anonymous.get(`/api/v1/open-data/calls/${callId}/360giving.json`).buffer(true).parse(binary).expect(200);
    const data = JSON.parse((res.body as Buffer).toString('utf8'));
    expect(threeSixtyGivingErrors(data)).toEqual([]);
    expect(data.grants).toHaveLength(1);
    expect(data.grants[0]).toMatchObject({ title: fundedTitle, amountAwarded: 2800, amountDisbursed: 1000 });
  });

  it('answers its grantee\'s access report with the letters, the report and the visit', async () => {
    const [{ organisation_id: organisationId }] = await t.dataSource.query(`SELECT organisation_id FROM usage_report WHERE id = $1`, [reportId]);
    const res = await office.get(`/api/v1/organisations/${organisationId}/access-report`).buffer(true).parse(binary).expect(200);
    const files = unzipSync(new Uint8Array(res.body as Buffer));
    const document = JSON.parse(Buffer.from(files['organisation.json']).toString('utf8'));
    expect(document.usageReports.map((r: { id: string }) => r.id)).toContain(reportId);
    expect(document.visits.map((v: { id: string }) => v.id)).toContain(visitId);
    expect(Object.keys(files).filter((name) => name.startsWith('participant-lists/'))).toHaveLength(1);
    expect(Object.keys(files).some((name) => name.startsWith('letters/decisions/'))).toBe(true);
  });

  it('has its personal data deleted by the retention job started over HTTP, through the archive triggers; counts, letters and audit stay', async () => {
    // Outside the retention job the archive refuses the deletion.
    await expect(t.dataSource.query(`DELETE FROM report_file WHERE report_id = $1`, [reportId])).rejects.toMatchObject({ driverError: { code: 'FT409' } });
    expect(await count(`report_file WHERE report_id = $1`, [reportId])).toBe(1);
    const due = (await office.get('/api/v1/privacy/retention').expect(200)).body.due.find((d: { reportId: string }) => d.reportId === reportId);
    expect(due).toMatchObject({ listFiles: 1, photos: 1, visitNotes: 1, receipts: 3, personalDataDeletedAt: null, receiptsDeletedAt: null });
    expect(due.personalDataDueOn <= today() && due.receiptsDueOn <= today()).toBe(true);
    const auditBefore = await count(`audit_event`, []);

    expect((await admin.post('/api/v1/privacy/retention/run').set('X-CSRF-Token', adminToken).expect(202)).body).toEqual({ queued: true });
    await eventually(async () => {
      const [row] = await t.dataSource.query(`SELECT personal_data_deleted_at IS NOT NULL AND receipts_deleted_at IS NOT NULL AS done FROM usage_report WHERE id = $1`, [reportId]);
      return row.done;
    }, 20_000, 'both parts deleted');

    expect(await count(`report_file WHERE report_id = $1`, [reportId])).toBe(0);
    expect(await count(`site_visit_photo WHERE visit_id = $1`, [visitId])).toBe(0);
    expect(await count(`report_receipt WHERE report_id = $1`, [reportId])).toBe(0);
    const [visit] = await t.dataSource.query(`SELECT notes FROM site_visit WHERE id = $1`, [visitId]);
    expect(visit.notes).toBeNull();
    const [report] = await t.dataSource.query(`SELECT participants_total, status, actual_lines FROM usage_report WHERE id = $1`, [reportId]);
    expect(report).toEqual({ participants_total: 42, status: 'accepted', actual_lines: [] });
    expect(await count(`decision_letter WHERE decision_id = $1`, [decisionId])).toBe(1);
    const deletions = await t.dataSource.query(`SELECT after->>'part' AS part FROM audit_event WHERE action = 'retention.deleted' AND entity_id = $1 ORDER BY after->>'part'`, [reportId]);
    expect(deletions).toEqual([{ part: 'personal_data' }, { part: 'receipts' }]);
    expect(await count(`audit_event`, [])).toBeGreaterThan(auditBefore);

    // Still archived and still refusing everyone else; the monitoring's counts are unchanged.
    const [call] = await t.dataSource.query(`SELECT status FROM funding_call WHERE id = $1`, [callId]);
    expect(call.status).toBe('archived');
    await expect(t.dataSource.query(`UPDATE usage_report SET participants_total = 1 WHERE id = $1`, [reportId])).rejects.toMatchObject({ driverError: { code: 'FT409' } });
    const after = (await office.get(`/api/v1/monitoring/calls/${callId}`).expect(200)).body;
    expect(after.total).toEqual(before.total);
  });
});
