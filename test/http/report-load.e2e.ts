import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addMonths } from '../../src/awards/calendar-days.js';
import { berlinDay } from '../../src/common/dates.js';
import { ReportRemindersService } from '../../src/reports/report-reminders.service.js';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { decidedTable, decisions } from '../support/awards.js';
import { closeReportWithRepayment } from '../support/claims.js';
import { COMPLETE_REPORT, PLAN_RECEIPTS, submitReport } from '../support/reports.js';

// The controlling routes on a pool far smaller than the requests arriving at once. A request that
// held its transaction's connection and asked the pool for a second one would either fail at once
// (the guard in Transactions) or, with the pool's connections all held that way, wait until the
// acquire timeout answers 503: so every answer arriving in time with its expected status shows
// that no request needs more than one connection.
const POOL_SIZE = 2;
/** Longer than any fair wait for a connection here, far shorter than the test's own timeout. */
const ACQUIRE_TIMEOUT_MS = 10_000;
/** Each request must be answered within this; a hang fails the test instead of stalling it. */
const REQUEST_TIMEOUT_MS = 20_000;

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { DB_POOL_SIZE: String(POOL_SIZE), DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS) } });
});
afterAll(async () => {
  await t.close();
});

type Agent = ReturnType<TestApp['agent']>;
/** One request of the burst; the answers of a group, sorted, must be `expected` (several requests racing for one thing: one wins). */
type Call = { group: string; run: () => Promise<{ status: number | string }> };

const today = () => berlinDay(new Date());

/** The material receipt (position 3) refused: the part of the award never to be paid is freed at the close. */
const REFUSE_MATERIAL = { finding: 'refused', reason: 'Nicht belegt.' };

async function readyToClose(office: Agent, officeToken: string, second: Agent, secondToken: string, reportId: string) {
  const url = `/api/v1/usage-reports/${reportId}`;
  const started = (await office.post(`${url}/start-check`).set('X-CSRF-Token', officeToken).expect(200)).body;
  for (const receipt of started.receipts as { id: string; position: number }[]) {
    await office.put(`${url}/receipts/${receipt.id}/finding`).set('X-CSRF-Token', officeToken).send(receipt.position === 3 ? REFUSE_MATERIAL : { finding: 'admitted' }).expect(200);
  }
  await office.post(`${url}/checks`).set('X-CSRF-Token', officeToken).send({ part: 'content' }).expect(200);
  await second.post(`${url}/checks`).set('X-CSRF-Token', secondToken).send({ part: 'figures' }).expect(200);
}

describe(`the controlling routes on a pool of ${POOL_SIZE} connections`, () => {
  it('grantees saving and submitting, the office closing, worklists, claims, visits and /health all at once: every request answered as expected, nothing booked twice', async () => {
    // Six released awards of one call, each with its usage report (not accepted, nothing paid out).
    const table = await decidedTable(t, 6);
    const { office, officeToken, second, secondToken, callId } = table;
    await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200);
    const drafts = (await decisions(office, callId)).decisions.filter((d) => d.status === 'draft' && d.kind === 'award');
    expect(drafts.length).toBe(6);
    for (const award of drafts) await second.post(`/api/v1/decisions/${award.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
    const reports: { id: string; decisionId: string; awardedCents: number }[] = await t.dataSource.query(
      `SELECT r.id, r.decision_id AS "decisionId", d.amount_cents::float8 AS "awardedCents" FROM usage_report r JOIN decision d ON d.id = r.decision_id
        WHERE r.decision_id = ANY($1::uuid[]) ORDER BY r.id`,
      [drafts.map((d) => d.id)],
    );
    expect(reports.length).toBe(6);
    const applicant = t.agent();
    const applicantToken = await loginAs(applicant, DEMO.applicant);
    const fixture = (reportId: string) => ({ reportId, applicant, applicantToken, office, officeToken, second, secondToken });

    // Reports 0-1: the grantee saves and submits them during the burst. Report 2: two saves on one
    // version during the burst. Reports 3-5: submitted and checked, closed during the burst.
    const [toSubmit, toSubmitToo, savedTwice, ...toClose] = reports;
    for (const report of toClose) {
      await submitReport(fixture(report.id));
      await readyToClose(office, officeToken, second, secondToken, report.id);
    }

    // Two repayment claims: one drafted before (released during the burst), one drafted during it.
    const drafted = await closeReportWithRepayment(t);
    const draftedUrl = `/api/v1/reports/${drafted.reportId}/claim`;
    await drafted.office.put(draftedUrl).set('X-CSRF-Token', drafted.officeToken).send({}).expect(200);
    const undrafted = await closeReportWithRepayment(t);
    const undraftedUrl = `/api/v1/reports/${undrafted.reportId}/claim`;
    const ledgerBefore: { n: number }[] = await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger_entry`);

    /** The grantee's whole way through one report, one step after the other: read, save, receipts, submit; the statuses. */
    const granteeSubmits = async (reportId: string) => {
      const url = `/api/v1/usage-reports/${reportId}`;
      const read = await applicant.get(url).timeout(REQUEST_TIMEOUT_MS);
      const saved = await applicant.put(url).set('X-CSRF-Token', applicantToken).send({ ...COMPLETE_REPORT, version: read.body.version }).timeout(REQUEST_TIMEOUT_MS);
      const listed = await applicant.put(`${url}/receipts`).set('X-CSRF-Token', applicantToken).send({ version: saved.body.version, receipts: PLAN_RECEIPTS }).timeout(REQUEST_TIMEOUT_MS);
      const submitted = await applicant.post(`${url}/submit`).set('X-CSRF-Token', applicantToken).timeout(REQUEST_TIMEOUT_MS);
      return { status: [read, saved, listed, submitted].map((res) => res.status).join('/') };
    };
    const version = (await applicant.get(`/api/v1/usage-reports/${savedTwice.id}`).expect(200)).body.version;
    const planned = addMonths(today(), 1);
    const timed = (req: ReturnType<Agent['get']>) => req.timeout(REQUEST_TIMEOUT_MS);

    const calls: Call[] = [
      ...[toSubmit, toSubmitToo].map((report) => ({ group: `grantee submits ${report.id}`, run: () => granteeSubmits(report.id) })),
      ...[1, 2].map((n) => ({ group: 'two saves on one version', run: () => timed(applicant.put(`/api/v1/usage-reports/${savedTwice.id}`).set('X-CSRF-Token', applicantToken).send({ version, participantsTotal: 10 * n })) })),
      ...toClose.map((report) => ({ group: `close ${report.id}`, run: () => timed(office.post(`/api/v1/usage-reports/${report.id}/close`).set('X-CSRF-Token', officeToken)) })),
      // The other office person closes the first one at the same moment: one of the two wins.
      { group: `close ${toClose[0].id}`, run: () => timed(second.post(`/api/v1/usage-reports/${toClose[0].id}/close`).set('X-CSRF-Token', secondToken)) },
      ...[1, 2, 3].map(() => ({ group: 'worklist', run: () => timed(office.get(`/api/v1/usage-reports?callId=${callId}`)) })),
      ...[1, 2].map(() => ({ group: 'worklist csv', run: () => timed(office.get('/api/v1/usage-reports.csv')) })),
      { group: 'worklist page', run: () => timed(office.get('/office/reports')) },
      { group: 'grantee report page', run: () => timed(applicant.get(`/reports/${savedTwice.id}`)) },
      { group: 'draft claim', run: () => timed(undrafted.office.put(undraftedUrl).set('X-CSRF-Token', undrafted.officeToken).send({})) },
      ...[1, 2].map(() => ({ group: 'release claim', run: () => timed(drafted.second.post(`${draftedUrl}/release`).set('X-CSRF-Token', drafted.secondToken)) })),
      ...reports.map((report) => ({
        group: 'plan visit',
        run: () => timed(office.post(`/api/v1/decisions/${report.decisionId}/visits`).set('X-CSRF-Token', officeToken).send({ visitOn: planned, staff: 'Jonas Becker' })),
      })),
      { group: 'visit coverage', run: () => timed(office.get(`/api/v1/calls/${callId}/visits`)) },
      ...[1, 2, 3].map(() => ({ group: 'health', run: () => timed(t.agent().get('/health')) })),
    ];
    const expected: Record<string, (number | string)[]> = {
      ...Object.fromEntries([toSubmit, toSubmitToo].map((report) => [`grantee submits ${report.id}`, ['200/200/200/200']])),
      'two saves on one version': [200, 409],
      ...Object.fromEntries(toClose.map((report, i) => [`close ${report.id}`, i === 0 ? [200, 409] : [200]])),
      worklist: [200, 200, 200],
      'worklist csv': [200, 200],
      'worklist page': [200],
      'grantee report page': [200],
      'draft claim': [200],
      'release claim': [200, 409],
      'plan visit': reports.map(() => 201),
      'visit coverage': [200],
      health: [200, 200, 200],
    };
    expect(calls.length).toBeGreaterThan(POOL_SIZE * 10);

    // The reminder run (a job, not a request) on the reports' deadline, twice at once, during the burst:
    // it locks each report still due as the grantees submit theirs.
    const [{ dueOn }] = await t.dataSource.query(`SELECT max(due_on)::text AS "dueOn" FROM usage_report WHERE id = ANY($1::uuid[])`, [reports.map((r) => r.id)]);
    const reminders = t.app.get(ReportRemindersService);
    let reminderTimer: NodeJS.Timeout | undefined;
    const reminderRuns = Promise.race([
      Promise.all([reminders.sendDue(dueOn), reminders.sendDue(dueOn)]),
      new Promise<never>((_, reject) => {
        reminderTimer = setTimeout(() => reject(new Error('the reminder runs did not finish')), 2 * REQUEST_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(reminderTimer));

    const started = Date.now();
    // A request that gets no answer in time fails with its timeout message in place of a status.
    const answers = await Promise.all(calls.map((call) => call.run().then((res) => ({ group: call.group, status: res.status }), (error: Error) => ({ group: call.group, status: error.message }))));
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS);
    const got: Record<string, (number | string)[]> = {};
    for (const answer of answers) (got[answer.group] ??= []).push(answer.status);
    for (const statuses of Object.values(got)) statuses.sort((a, b) => String(a).localeCompare(String(b)));
    expect(got).toEqual(expected);

    // Each reminder recorded once: the runs' counts add up to the rows, the report still due has both of its
    // reminders, a submitted one both or none (whichever took the report's lock first), a third run sends nothing.
    const sent = (await reminderRuns).reduce((sum, n) => sum + n, 0);
    const rows: { reportId: string; kinds: string[] }[] = await t.dataSource.query(
      `SELECT report_id AS "reportId", array_agg(kind::text ORDER BY kind) AS kinds FROM report_reminder WHERE report_id = ANY($1::uuid[]) GROUP BY report_id`,
      [reports.map((report) => report.id)],
    );
    expect(rows.reduce((sum, row) => sum + row.kinds.length, 0)).toBe(sent);
    const kinds = new Map(rows.map((row) => [row.reportId, row.kinds]));
    expect(kinds.get(savedTwice.id)).toEqual(['due_today', 'four_weeks_before']);
    for (const report of [toSubmit, toSubmitToo]) expect([undefined, ['due_today', 'four_weeks_before']]).toContainEqual(kinds.get(report.id));
    for (const report of toClose) expect(kinds.get(report.id)).toBeUndefined();
    expect(await reminders.sendDue(dueOn)).toBe(0);

    // Every report as expected: two submitted, one saved once and still due, three closed.
    const states: { id: string; status: string; participants: number | null }[] = await t.dataSource.query(
      `SELECT id, status, participants_total AS participants FROM usage_report WHERE id = ANY($1::uuid[])`,
      [reports.map((r) => r.id)],
    );
    const state = new Map(states.map((s) => [s.id, s]));
    expect(state.get(toSubmit.id)!.status).toBe('submitted');
    expect(state.get(toSubmitToo.id)!.status).toBe('submitted');
    expect(state.get(savedTwice.id)).toMatchObject({ status: 'due' });
    expect([10, 20]).toContain(state.get(savedTwice.id)!.participants);
    for (const report of toClose) expect(state.get(report.id)!.status).toBe('accepted');

    // The ledger: each closed report's freed part booked once, nothing else during the burst.
    const freed: { decisionId: string; cents: number }[] = await t.dataSource.query(
      `SELECT decision_id AS "decisionId", amount_cents::float8 AS cents FROM ledger_entry WHERE kind = 'freed' AND decision_id = ANY($1::uuid[]) ORDER BY decision_id`,
      [reports.map((r) => r.decisionId)],
    );
    // Admitted 3.000 € (material refused) less own funds 500 € and third-party 200 €: 2.300 € due, nothing paid.
    const expectedFreed = toClose.map((r) => ({ decisionId: r.decisionId, cents: r.awardedCents - Math.min(230_000, r.awardedCents) })).filter((e) => e.cents > 0);
    expect(expectedFreed.length).toBeGreaterThan(0);
    expect(freed).toEqual(expectedFreed.sort((a, b) => a.decisionId.localeCompare(b.decisionId)));
    const [{ n: ledgerAfter }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger_entry`);
    expect(ledgerAfter).toBe(ledgerBefore[0].n + expectedFreed.length);
    const closedAudit = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'usage_report.closed' AND entity_id = ANY($1::text[])`, [toClose.map((r) => r.id)]);
    expect(closedAudit).toEqual([{ n: toClose.length }]);

    // The claims: one released once, one drafted.
    expect((await drafted.office.get(draftedUrl).expect(200)).body.status).toBe('released');
    expect((await undrafted.office.get(undraftedUrl).expect(200)).body.status).toBe('draft');
    const releasedAudit = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'repayment_claim.released' AND entity_id = $1`, [(await drafted.office.get(draftedUrl)).body.id]);
    expect(releasedAudit).toEqual([{ n: 1 }]);
    // One planned visit per project.
    const visits = await t.dataSource.query(`SELECT count(*)::int AS n, count(DISTINCT decision_id)::int AS projects FROM site_visit WHERE decision_id = ANY($1::uuid[])`, [reports.map((r) => r.decisionId)]);
    expect(visits).toEqual([{ n: reports.length, projects: reports.length }]);

    // The pool never grew beyond its size, and the service answers normally afterwards.
    const health = (await t.agent().get('/health').expect(200)).body;
    expect(health.database.pool.size).toBeLessThanOrEqual(POOL_SIZE);
    await office.get(`/api/v1/usage-reports?callId=${callId}`).expect(200);
  }, 120_000);
});
