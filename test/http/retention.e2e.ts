import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type request from 'supertest';
import { berlinDay } from '../../src/common/dates.js';
import { RetentionService } from '../../src/privacy/retention.service.js';
import { addMonths, nextDay } from '../../src/privacy/retention.rules.js';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { closeReportWithRepayment } from '../support/claims.js';
import { settledReport } from '../support/reports.js';

/**
 * The retention job (issue 11, "Done when"): grants settled through the real API, with participant
 * lists and a site visit with photo and notes; only dates are moved into the past by SQL. The job
 * deletes lists, photos and notes a year after acceptance and receipts and figures five years after
 * the last submission, keeps counts, letters and the audit trail, audits each deletion and deletes
 * nothing twice.
 */

type Agent = ReturnType<typeof request.agent>;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-beispiel')]);
const ALL_YES = { activity_as_described: 'yes', target_group_reached: 'yes', open_to_everyone: 'yes', participants_present: 'partly', publicity_names_city: 'not_assessed' };

let t: TestApp;
let retention: RetentionService;
const agents = {} as Record<'office' | 'admin' | 'applicant' | 'voting', { agent: Agent; token: string }>;
/** Settled with a repayment claim (released, with its letter), a visit with photo and notes; aged by the tests. */
let claimed: { reportId: string; decisionId: string; visitId: string };
/** Settled without a claim and left recent: nothing of it is due. */
let recent: { reportId: string; decisionId: string };

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  const [row] = await t.dataSource.query(sql, params);
  return row as T;
}

const count = async (sql: string, params: unknown[]) => (await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).n;

/** Waits until no retention run is queued or running. */
async function retentionIdle(): Promise<void> {
  await eventually(async () => (await count(`pgboss.job WHERE name = 'privacy.retention' AND state IN ('created', 'retry', 'active')`, [])) === 0, 20_000, 'retention queue idle');
}

beforeAll(async () => {
  t = await startTestApp();
  retention = t.app.get(RetentionService);
  for (const [name, email] of [['office', DEMO.office], ['admin', DEMO.admin], ['applicant', DEMO.applicant], ['voting', DEMO.voting]] as const) {
    const agent = t.agent();
    agents[name] = { agent, token: await loginAs(agent, email) };
  }
  // Signed participant lists asked for, so that the reports carry list files (a published call's rules are fixed: set here).
  await t.dataSource.query(`UPDATE funding_call SET participant_lists_required = true`);

  const closed = await closeReportWithRepayment(t);
  await closed.second.put(`/api/v1/reports/${closed.reportId}/claim`).set('X-CSRF-Token', closed.secondToken).send({}).expect(200);
  await closed.office.post(`/api/v1/reports/${closed.reportId}/claim/release`).set('X-CSRF-Token', closed.officeToken).expect(200);
  // The claim's letter is made after the release, off the request.
  await eventually(async () => (await t.dataSource.query(`SELECT 1 FROM repayment_claim_letter l JOIN repayment_claim c ON c.id = l.claim_id WHERE c.report_id = $1`, [closed.reportId])).length === 1, 20_000, 'claim letter stored');
  const { office, officeToken } = closed;
  const visit = (await office.post(`/api/v1/decisions/${closed.award.id}/visits`).set('X-CSRF-Token', officeToken)
    .send({ visitOn: berlinDay(new Date()), staff: 'Jonas Becker' }).expect(201)).body;
  await office.post(`/api/v1/visits/${visit.id}/photos`).set('X-CSRF-Token', officeToken).attach('file', PNG, 'Besuch.png').expect(201);
  await office.post(`/api/v1/visits/${visit.id}/protocol`).set('X-CSRF-Token', officeToken)
    .send({ visitOn: berlinDay(new Date()), checklist: ALL_YES, notes: 'Frau Demir leitete die Gruppe.' }).expect(200);
  claimed = { reportId: closed.reportId, decisionId: closed.award.id, visitId: visit.id };

  const settled = await settledReport(t);
  const [{ decision_id: decisionId }] = await t.dataSource.query(`SELECT decision_id FROM usage_report WHERE id = $1`, [settled.reportId]);
  recent = { reportId: settled.reportId, decisionId };

  // An archived call's rows refuse changes except to a transaction that declares itself the retention
  // job (the contract with the archive's triggers): the same guard here, on the rows the job deletes.
  await t.dataSource.query(`
    CREATE FUNCTION test_archive_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF current_setting('foerdertisch.retention', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'archived: % refused', TG_OP USING ERRCODE = 'restrict_violation';
      END IF;
      RETURN OLD;
    END $$`);
  for (const table of ['report_file', 'site_visit_photo', 'report_receipt']) {
    await t.dataSource.query(`CREATE TRIGGER ${table}_archive_guard BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION test_archive_guard()`);
  }
  await retentionIdle();
}, 300_000);

afterAll(async () => {
  await t?.close();
});

describe('retention', () => {
  it('lists every closed grant with what it holds and when it goes, soonest first; office and admin only', async () => {
    const { agent, token } = agents.office;
    const overview = (await agent.get('/api/v1/privacy/retention').expect(200)).body;
    expect(overview.settings).toEqual({ personalDataMonths: 12, receiptsYears: 5 });
    expect(overview.schedule).toEqual({ cron: '30 2 * * *', timeZone: 'Europe/Berlin' });
    const row = overview.due.find((d: { reportId: string }) => d.reportId === claimed.reportId);
    const { accepted_on: acceptedOn, submitted_on: submittedOn } = await one<{ accepted_on: string; submitted_on: string }>(
      `SELECT (accepted_at AT TIME ZONE 'Europe/Berlin')::date::text AS accepted_on, (submitted_at AT TIME ZONE 'Europe/Berlin')::date::text AS submitted_on FROM usage_report WHERE id = $1`,
      [claimed.reportId],
    );
    expect(row).toMatchObject({
      listFiles: 1, photos: 1, visitNotes: 1, receipts: 2,
      personalDataDueOn: nextDay(addMonths(acceptedOn, 12)), personalDataDeletedAt: null,
      receiptsDueOn: nextDay(addMonths(submittedOn, 60)), receiptsDeletedAt: null,
    });
    const order = overview.due.map((d: { nextDueOn: string }) => d.nextDueOn);
    expect(order).toEqual([...order].sort());
    expect(overview.due.map((d: { reportId: string }) => d.reportId)).toEqual(expect.arrayContaining([claimed.reportId, recent.reportId]));

    const page = await agent.get('/admin/retention').expect(200);
    expect(page.text).toContain(row.referenceNumber);
    expect(page.text).not.toContain('action="/admin/retention/run"');
    expect((await agents.admin.agent.get('/admin/retention').expect(200)).text).toContain('action="/admin/retention/run"');

    for (const caller of ['applicant', 'voting'] as const) {
      await agents[caller].agent.get('/api/v1/privacy/retention').expect(403);
      await agents[caller].agent.get('/admin/retention').expect(403);
      await agents[caller].agent.post('/api/v1/privacy/retention/run').set('X-CSRF-Token', agents[caller].token).expect(403);
    }
    await agent.post('/api/v1/privacy/retention/run').set('X-CSRF-Token', token).expect(403);
    await t.agent().get('/api/v1/privacy/retention').expect(401);
  });

  it('deletes lists, photos and visit notes a year after acceptance and keeps counts, letters, receipts and the audit trail', async () => {
    // The guard is live: outside the retention job a list file cannot be deleted.
    await expect(t.dataSource.query(`DELETE FROM report_file WHERE report_id = $1`, [claimed.reportId])).rejects.toThrow(/archived/);
    const before = await one<{ participants_total: number; participant_groups: unknown; settlement: unknown }>(
      `SELECT participants_total, participant_groups, settlement FROM usage_report WHERE id = $1`, [claimed.reportId]);
    const auditBefore = await count(`audit_event`, []);
    const lettersBefore = await count(`decision_letter WHERE decision_id = $1`, [claimed.decisionId]);
    expect(lettersBefore).toBe(1);
    expect(await count(`repayment_claim_letter l JOIN repayment_claim c ON c.id = l.claim_id WHERE c.report_id = $1`, [claimed.reportId])).toBe(1);

    // Accepted (and handed in) 13 months ago.
    await t.dataSource.query(`UPDATE usage_report SET accepted_at = accepted_at - interval '13 months', submitted_at = submitted_at - interval '13 months',
                                     first_submitted_at = first_submitted_at - interval '13 months' WHERE id = $1`, [claimed.reportId]);
    const { agent, token } = agents.admin;
    expect((await agent.post('/api/v1/privacy/retention/run').set('X-CSRF-Token', token).expect(202)).body).toEqual({ queued: true });
    await eventually(async () => (await one<{ at: Date | null }>(`SELECT personal_data_deleted_at AS at FROM usage_report WHERE id = $1`, [claimed.reportId])).at, 20_000, 'personal data deleted');
    await retentionIdle();

    expect(await count(`report_file WHERE report_id = $1`, [claimed.reportId])).toBe(0);
    expect(await count(`site_visit_photo WHERE visit_id = $1`, [claimed.visitId])).toBe(0);
    expect((await one<{ notes: string | null }>(`SELECT notes FROM site_visit WHERE id = $1`, [claimed.visitId])).notes).toBeNull();
    // The recent grant is untouched; the claimed one keeps its counts, settlement, receipts, letters and every earlier audit row.
    expect(await count(`report_file WHERE report_id = $1`, [recent.reportId])).toBe(1);
    expect(await one(`SELECT participants_total, participant_groups, settlement FROM usage_report WHERE id = $1`, [claimed.reportId])).toEqual(before);
    expect(await count(`report_receipt WHERE report_id = $1`, [claimed.reportId])).toBe(2);
    expect(await count(`decision_letter WHERE decision_id = $1`, [claimed.decisionId])).toBe(1);
    expect(await count(`repayment_claim_letter l JOIN repayment_claim c ON c.id = l.claim_id WHERE c.report_id = $1`, [claimed.reportId])).toBe(1);
    expect(await count(`audit_event`, [])).toBeGreaterThan(auditBefore);

    const deletions = await t.dataSource.query(`SELECT actor_id, after FROM audit_event WHERE action = 'retention.deleted' AND entity_id = $1`, [claimed.reportId]);
    expect(deletions).toHaveLength(1);
    expect(deletions[0].actor_id).toBeNull();
    expect(deletions[0].after).toMatchObject({ part: 'personal_data', listFiles: 1, photos: 1, visitNotes: 1 });
    expect(JSON.stringify(deletions[0].after)).not.toMatch(/Demir|Besuch\.png|Teilnehmendenliste/);
    expect(await count(`audit_event WHERE action = 'retention.run_requested'`, [])).toBe(1);

    // The pages say what was deleted and when, instead of showing nothing.
    const day = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
    const report = (await agents.office.agent.get(`/api/v1/usage-reports/${claimed.reportId}`).expect(200)).body;
    expect(report.retention.personalDataDeletedAt).not.toBeNull();
    expect(report.participantsTotal).toBe(before.participants_total);
    expect((await agents.office.agent.get(`/office/reports/${claimed.reportId}`).expect(200)).text).toContain('Die Teilnehmendenlisten wurden am');
    expect((await agents.office.agent.get(`/office/visits/${claimed.visitId}`).expect(200)).text).toContain(`Fotos und Notizen dieses Besuchs wurden am ${day} gelöscht`);
    const page = (await agents.office.agent.get('/admin/retention').expect(200)).text;
    expect(page).toContain(`gelöscht am ${day}`);
    expect(page).toContain('Listen: 1, Fotos: 1, Besuchsnotizen: 1');
  });

  it('keeps receipts and figures through the day five years after the last submission, then deletes them once', async () => {
    // Last handed in five years ago today (Berlin): kept through today, deleted from tomorrow.
    await t.dataSource.query(`UPDATE usage_report SET submitted_at = now() - interval '5 years' WHERE id = $1`, [claimed.reportId]);
    const today = berlinDay(new Date());
    expect(await retention.deleteDue(today)).toBe(0);
    expect(await count(`report_receipt WHERE report_id = $1`, [claimed.reportId])).toBe(2);

    const settlement = (await one<{ settlement: unknown }>(`SELECT settlement FROM usage_report WHERE id = $1`, [claimed.reportId])).settlement;
    expect(await retention.deleteDue(nextDay(today))).toBe(1);
    expect(await count(`report_receipt WHERE report_id = $1`, [claimed.reportId])).toBe(0);
    const after = await one<Record<string, unknown>>(
      `SELECT actual_lines, own_funds_cents, third_party_cents, other_income_cents, participants_total, settlement, receipts_deleted_at FROM usage_report WHERE id = $1`, [claimed.reportId]);
    expect(after).toMatchObject({ actual_lines: [], own_funds_cents: null, third_party_cents: null, other_income_cents: null, participants_total: 42, settlement });
    expect(after.receipts_deleted_at).not.toBeNull();
    expect(await count(`decision_letter WHERE decision_id = $1`, [claimed.decisionId])).toBe(1);
    const [receiptsDeletion] = await t.dataSource.query(`SELECT after FROM audit_event WHERE action = 'retention.deleted' AND entity_id = $1 AND after->>'part' = 'receipts'`, [claimed.reportId]);
    expect(receiptsDeletion.after).toMatchObject({ part: 'receipts', receipts: 2 });
    expect((await agents.office.agent.get(`/office/reports/${claimed.reportId}`).expect(200)).text).toContain('Die Belegliste und die Zahlen des Nachweises wurden am');

    // Running again deletes nothing more; the grant has left the list of what is held.
    expect(await retention.deleteDue(nextDay(today))).toBe(0);
    expect(await count(`audit_event WHERE action = 'retention.deleted' AND entity_id = $1`, [claimed.reportId])).toBe(2);
    const overview = (await agents.office.agent.get('/api/v1/privacy/retention').expect(200)).body;
    expect(overview.due.map((d: { reportId: string }) => d.reportId)).not.toContain(claimed.reportId);
    expect(overview.recentlyDeleted.filter((e: { reportId: string }) => e.reportId === claimed.reportId).map((e: { after: { part: string } }) => e.after.part)).toEqual(['receipts', 'personal_data']);
  });

  it('two runs at once delete each part once', async () => {
    await t.dataSource.query(`UPDATE usage_report SET accepted_at = accepted_at - interval '13 months' WHERE id = $1`, [recent.reportId]);
    const [first, second] = await Promise.all([retention.deleteDue(), retention.deleteDue()]);
    expect(first + second).toBe(1);
    expect(await count(`audit_event WHERE action = 'retention.deleted' AND entity_id = $1`, [recent.reportId])).toBe(1);
    expect(await count(`report_file WHERE report_id = $1`, [recent.reportId])).toBe(0);
    expect(await count(`report_receipt WHERE report_id = $1`, [recent.reportId])).toBeGreaterThan(0);
  });
});
