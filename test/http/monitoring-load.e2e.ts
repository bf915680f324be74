import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { AwardsService } from '../../src/awards/awards.service.js';
import { berlinDay } from '../../src/common/dates.js';
import { RetentionService } from '../../src/privacy/retention.service.js';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { binary, PDF_FILE, preparedDraft } from '../support/applications.js';
import { decisions } from '../support/awards.js';
import { settledReport } from '../support/reports.js';
import { threeSixtyGivingErrors } from '../support/three-sixty-giving.js';

// The issue-11 features (monitoring, Förderbericht and open data, retention, access report, archive)
// on a pool far smaller than the requests arriving at once, while the office archives a call and
// changes on that call race it. Every answer in time with its expected status shows that no request
// needs a second connection and that no lock order deadlocks.
const POOL_SIZE = 2;
const ACQUIRE_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Ten monitoring PDFs of the demo year queue for the one render thread of a two-core machine: up to 1.5 s each when other work shares the cores. */
const FLOOD_TIMEOUT_MS = 60_000;

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await startTestApp({ listen: true, env: { DB_POOL_SIZE: String(POOL_SIZE), DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS) } });
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t.close();
});

type Agent = ReturnType<TestApp['agent']>;
type Answer = { status: number | string; body?: { status?: string; message?: string }; ms: number };

const today = () => berlinDay(new Date());

/** Asks /health one request after the other until stopped: each answer's status, pool size and time. */
function pollHealth(): { stop: () => Promise<{ status: number; ms: number; poolSize: number }[]> } {
  const answers: { status: number; ms: number; poolSize: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const { status, poolSize } = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) })
        .then(async (res) => ({ status: res.status, poolSize: res.status === 200 ? ((await res.json()) as { database: { pool: { size: number } } }).database.pool.size : -1 }), () => ({ status: 0, poolSize: -1 }));
      answers.push({ status, ms: performance.now() - started, poolSize });
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return answers;
    },
  };
}

/**
 * The demo call with one grant settled through the real API (report accepted with a participant list,
 * a visit recorded, the payout exported, the award final), decided: ready to be archived. Two of the
 * applicant's drafts stay in it (a draft does not keep a call from the archive).
 */
async function archivableCall() {
  const [{ id: demoCallId }] = await t.dataSource.query(`SELECT id FROM funding_call WHERE status = 'published'`);
  await t.dataSource.query(`UPDATE funding_call SET participant_lists_required = true WHERE id = $1`, [demoCallId]);
  const fixture = await settledReport(t);
  const { office, officeToken, second, secondToken, award, callId } = fixture;
  const drafts = [await preparedDraft(t, { title: 'Entwurf A' }), await preparedDraft(t, { title: 'Entwurf B' })];
  await t.dataSource.query(`UPDATE funding_call SET status = 'in_review' WHERE id = $1`, [callId]);
  for (const other of (await decisions(office, callId)).decisions.filter((d) => d.status === 'draft')) {
    await second.post(`/api/v1/decisions/${other.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
  }
  await office.post(`/api/v1/calls/${callId}/decide`).set('X-CSRF-Token', officeToken).expect(200);
  await eventually(async () => (await t.dataSource.query(
    `SELECT 1 FROM decision d WHERE d.call_id = $1 AND NOT EXISTS (SELECT 1 FROM decision_letter l WHERE l.decision_id = d.id)`, [callId])).length === 0, 20_000, 'every letter issued');
  const visit = (await office.post(`/api/v1/decisions/${award.id}/visits`).set('X-CSRF-Token', officeToken).send({ visitOn: today(), staff: 'Jonas Becker' }).expect(201)).body;
  await office.post(`/api/v1/visits/${visit.id}/protocol`).set('X-CSRF-Token', officeToken)
    .send({ visitOn: today(), checklist: { activity_as_described: 'yes', target_group_reached: 'yes', open_to_everyone: 'yes', participants_present: 'yes', publicity_names_city: 'yes' }, notes: 'Gut besucht.' }).expect(200);
  await office.post('/api/v1/payment-exports').set('X-CSRF-Token', officeToken).expect(201);
  await t.dataSource.query(`UPDATE decision SET final_on = current_date WHERE id = $1`, [award.id]);
  await t.app.get(AwardsService).becomeFinalIfDue(award.id);
  const check = (await office.get(`/office/calls/${callId}/archive`).expect(200)).text;
  expect(check).toContain('Alle Förderungen dieses Aufrufs sind abgeschlossen.');
  return { ...fixture, drafts, visitId: visit.id as string };
}

describe(`the issue-11 features on a pool of ${POOL_SIZE} connections`, () => {
  it('monitoring, Förderbericht, open data, access report, retention and an archive racing changes on its call, all at once: every answer as expected, nothing twice', async () => {
    const fixture = await archivableCall();
    const { office, officeToken, second, secondToken, applicant, applicantToken, award, callId, reportId, drafts } = fixture;
    const admin = t.agent();
    const adminToken = await loginAs(admin, DEMO.admin);
    const chair = t.agent();
    await loginAs(chair, DEMO.chair);
    const [{ id: demoYearCallId }] = await t.dataSource.query(`SELECT id FROM funding_call WHERE title = 'Integrationsförderung 2026'`);
    const [{ organisationId }] = await t.dataSource.query(`SELECT organisation_id AS "organisationId" FROM usage_report WHERE id = $1`, [reportId]);
    // The settled report's personal data is due (accepted 13 months ago): the retention deletes it during the burst.
    await t.dataSource.query(`UPDATE usage_report SET accepted_at = accepted_at - interval '13 months' WHERE id = $1`, [reportId]);
    const filesBefore: { n: number }[] = await t.dataSource.query(`SELECT count(*)::int AS n FROM report_file WHERE report_id = $1`, [reportId]);
    expect(filesBefore).toEqual([{ n: 1 }]);
    const draftVersions = await Promise.all(drafts.map(async (d) => (await d.agent.get(`/api/v1/applications/${d.applicationId}`).expect(200)).body.application.version as number));
    const reportVersion = (await applicant.get(`/api/v1/usage-reports/${reportId}`).expect(200)).body.version;
    const [{ auditBefore }] = await t.dataSource.query(`SELECT coalesce(max(id), 0)::text AS "auditBefore" FROM audit_event`);

    const anonymous = t.agent();
    const timed = async (req: ReturnType<Agent['get']>): Promise<Answer> => {
      const started = performance.now();
      try {
        const res = await req.timeout(REQUEST_TIMEOUT_MS);
        return { status: res.status, body: typeof res.body === 'object' && !Buffer.isBuffer(res.body) ? res.body : undefined, ms: performance.now() - started };
      } catch (error) {
        return { status: (error as Error).message, ms: performance.now() - started };
      }
    };
    const editDraft = (i: number) => ({ group: `draft edit ${i}`, run: () => timed(drafts[i].agent.put(`/api/v1/applications/${drafts[i].applicationId}`).set('X-CSRF-Token', drafts[i].token).send({ title: `Geändert ${i}`, version: draftVersions[i] })) });
    const pdf = (agent: Agent, url: string) => timed(agent.get(url).buffer(true).parse(binary));
    const calls: { group: string; run: () => Promise<Answer> }[] = [
      // The race: the office and its second person archive while the applicant edits and uploads to
      // drafts of the call, the office plans a visit on its award and the grantee saves the report.
      // One edit is sent before the archives, one after: either may come first at the database.
      editDraft(0),
      { group: 'archive', run: () => timed(office.post(`/api/v1/calls/${callId}/archive`).set('X-CSRF-Token', officeToken)) },
      { group: 'archive', run: () => timed(second.post(`/api/v1/calls/${callId}/archive`).set('X-CSRF-Token', secondToken)) },
      editDraft(1),
      { group: 'attachment upload', run: () => timed(drafts[1].agent.post(`/api/v1/applications/${drafts[1].applicationId}/attachments`).set('X-CSRF-Token', drafts[1].token).field('kind', 'Satzung').attach('file', PDF_FILE, 'Satzung.pdf')) },
      { group: 'plan visit', run: () => timed(office.post(`/api/v1/decisions/${award.id}/visits`).set('X-CSRF-Token', officeToken).send({ visitOn: today(), staff: 'Aylin Şahin' })) },
      { group: 'report save', run: () => timed(applicant.put(`/api/v1/usage-reports/${reportId}`).set('X-CSRF-Token', applicantToken).send({ narrative: {}, version: reportVersion })) },
      // Monitoring of the call being archived and of the demo year, for the office and the chair.
      ...[callId, demoYearCallId].flatMap((id) => [
        { group: 'monitoring call page', run: () => timed(office.get(`/monitoring/calls/${id}`)) },
        { group: 'monitoring call page', run: () => timed(chair.get(`/monitoring/calls/${id}`)) },
        { group: 'monitoring call api', run: () => timed(office.get(`/api/v1/monitoring/calls/${id}`)) },
        { group: 'monitoring call csv', run: () => timed(office.get(`/monitoring/calls/${id}/indicators.csv`)) },
        { group: 'monitoring call pdf', run: () => pdf(office, `/monitoring/calls/${id}/report.pdf`) },
        { group: 'monitoring call pdf', run: () => pdf(chair, `/monitoring/calls/${id}/report.pdf?lang=en`) },
      ]),
      ...[office, chair].map((agent) => ({ group: 'monitoring years page', run: () => timed(agent.get('/monitoring')) })),
      { group: 'monitoring years api', run: () => timed(office.get('/api/v1/monitoring/years')) },
      { group: 'monitoring years csv', run: () => timed(office.get('/monitoring/indicators.csv')) },
      { group: 'monitoring years pdf', run: () => pdf(chair, '/monitoring/report.pdf') },
      // The public Förderbericht and open data of the demo year, without a login.
      ...[1, 2].map(() => ({ group: 'foerderbericht list', run: () => timed(t.agent().get('/foerderbericht')) })),
      ...[1, 2].map(() => ({ group: 'foerderbericht call', run: () => timed(t.agent().get(`/foerderbericht/${demoYearCallId}`)) })),
      { group: 'foerderbericht csv', run: () => timed(anonymous.get(`/foerderbericht/${demoYearCallId}/grants.csv`)) },
      ...[1, 2].map(() => ({ group: '360giving', run: () => timed(t.agent().get(`/api/v1/open-data/calls/${demoYearCallId}/360giving.json`)) })),
      { group: '360giving page route', run: () => timed(anonymous.get(`/foerderbericht/${demoYearCallId}/360giving.json`)) },
      { group: 'open data calls', run: () => timed(anonymous.get('/api/v1/open-data/calls')) },
      // The grantee's access report and the retention: two runs requested, its overview read.
      { group: 'access report', run: () => pdf(office, `/api/v1/organisations/${organisationId}/access-report`) },
      ...[1, 2].map(() => ({ group: 'retention run', run: () => timed(admin.post('/api/v1/privacy/retention/run').set('X-CSRF-Token', adminToken)) })),
      { group: 'retention overview', run: () => timed(office.get('/api/v1/privacy/retention')) },
    ];
    expect(calls.length).toBeGreaterThanOrEqual(30);
    const fixed: Record<string, (number | string)[]> = {
      'report save': [409],
      'monitoring call page': [200, 200, 200, 200],
      'monitoring call api': [200, 200],
      'monitoring call csv': [200, 200],
      'monitoring call pdf': [200, 200, 200, 200],
      'monitoring years page': [200, 200],
      'monitoring years api': [200],
      'monitoring years csv': [200],
      'monitoring years pdf': [200],
      'foerderbericht list': [200, 200],
      'foerderbericht call': [200, 200],
      'foerderbericht csv': [200],
      '360giving': [200, 200],
      '360giving page route': [200],
      'open data calls': [200],
      'access report': [200],
      'retention run': [202, 202],
      'retention overview': [200],
    };

    // Two retention runs of the job itself at once, beside the burst (they yield to it, then race each other).
    const retention = t.app.get(RetentionService);
    const runs = Promise.all([retention.deleteDue(), retention.deleteDue()]);
    const health = pollHealth();
    const started = performance.now();
    const answers = await Promise.all(calls.map(async (call) => ({ group: call.group, ...(await call.run()) })));
    const burstMs = performance.now() - started;
    const deletedByRuns = (await runs).reduce((sum, n) => sum + n, 0);
    const healthAnswers = await health.stop();

    const got: Record<string, (number | string)[]> = {};
    for (const answer of answers) (got[answer.group] ??= []).push(answer.status);
    for (const statuses of Object.values(got)) statuses.sort((a, b) => String(a).localeCompare(String(b)));
    const slowest = Object.fromEntries(Object.keys(got).map((group) => [group, Math.round(Math.max(...answers.filter((a) => a.group === group).map((a) => a.ms)))]));
    process.stdout.write(`monitoring-load: ${answers.length} requests in ${Math.round(burstMs)} ms; slowest per group ${JSON.stringify(slowest)}; `
      + `health ${healthAnswers.length} answers, max ${Math.round(Math.max(...healthAnswers.map((h) => h.ms)))} ms, max pool ${Math.max(...healthAnswers.map((h) => h.poolSize))}; statuses ${JSON.stringify(got)}\n`);

    expect(Object.fromEntries(Object.keys(fixed).map((group) => [group, got[group]]))).toEqual(fixed);
    expect(burstMs).toBeLessThan(REQUEST_TIMEOUT_MS);
    expect(healthAnswers.length).toBeGreaterThanOrEqual(3);
    expect(healthAnswers.filter((h) => h.status !== 200 || h.ms >= 1000)).toEqual([]);
    expect(healthAnswers.filter((h) => h.poolSize > POOL_SIZE)).toEqual([]);

    // The race, consistent whichever came first: a visit planned before the archive keeps the call open
    // (both archives refused as not settled); otherwise one archive wins, the other finds it archived,
    // and every change that came later is refused with calls.archived.
    const byGroup = (group: string) => answers.filter((a) => a.group === group);
    const archives = byGroup('archive');
    const visitPlanned = byGroup('plan visit')[0];
    const [{ status: callStatus }] = await t.dataSource.query(`SELECT status FROM funding_call WHERE id = $1`, [callId]);
    if (visitPlanned.status === 201) {
      expect(archives.map((a) => `${a.status} ${a.body?.status}`)).toEqual(['409 decided', '409 decided']);
      expect(callStatus).toBe('decided');
    } else {
      expect(`${visitPlanned.status} ${visitPlanned.body?.status}`).toBe('409 archived');
      expect(archives.map((a) => `${a.status} ${a.body?.status}`).sort()).toEqual(['200 archived', '409 archived']);
      expect(callStatus).toBe('archived');
    }
    const changes = answers.filter((a) => a.group.startsWith('draft edit') || a.group === 'attachment upload');
    for (const change of changes) expect([200, 201, '409 archived']).toContain(change.status === 409 ? `409 ${change.body?.status}` : change.status);

    // One audit row per action that succeeded, none for a refused one; an archive's row after every
    // change it let through (it waited for them), a refused change after the archive.
    const audit: { id: string; action: string; entityId: string }[] = await t.dataSource.query(
      `SELECT id::text, action, entity_id AS "entityId" FROM audit_event WHERE id > $1 ORDER BY id`, [auditBefore]);
    const rows = (action: string, entityId?: string) => audit.filter((a) => a.action === action && (entityId === undefined || a.entityId === entityId));
    expect(rows('call.archive', callId)).toHaveLength(archives.filter((a) => a.status === 200).length);
    for (const [i, d] of drafts.entries()) expect(rows('application.updated', d.applicationId)).toHaveLength(byGroup(`draft edit ${i}`)[0].status === 200 ? 1 : 0);
    expect(rows('application.attachment_added', drafts[1].applicationId)).toHaveLength(byGroup('attachment upload')[0].status === 201 ? 1 : 0);
    expect(rows('visit.planned')).toHaveLength(visitPlanned.status === 201 ? 1 : 0);
    const archivedRow = rows('call.archive', callId)[0];
    if (archivedRow) {
      for (const change of [...rows('application.updated'), ...rows('application.attachment_added')]) expect(BigInt(change.id)).toBeLessThan(BigInt(archivedRow.id));
    }
    const [{ titles }] = await t.dataSource.query(`SELECT array_agg(title ORDER BY title) AS titles FROM application WHERE id = ANY($1::uuid[])`, [drafts.map((d) => d.applicationId)]);
    expect(titles).toEqual(['A', 'B'].map((name, i) => (byGroup(`draft edit ${i}`)[0].status === 200 ? `Geändert ${i}` : `Entwurf ${name}`)).sort());
    expect(rows('organisation.access_report_exported', organisationId)).toHaveLength(1);
    expect(rows('retention.run_requested')).toHaveLength(2);

    // The retention: the runs of the burst and the queued ones delete the list once.
    await eventually(async () => (await t.dataSource.query(`SELECT 1 FROM pgboss.job WHERE name = 'privacy.retention' AND state IN ('created', 'retry', 'active')`)).length === 0, 60_000, 'retention queue idle');
    const deletions: { after: { part: string; listFiles: number } }[] = await t.dataSource.query(
      `SELECT after FROM audit_event WHERE action = 'retention.deleted' AND entity_id = $1`, [reportId]);
    expect(deletions.map((d) => [d.after.part, d.after.listFiles])).toEqual([['personal_data', 1]]);
    expect(deletedByRuns).toBeLessThanOrEqual(1);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM report_file WHERE report_id = $1`, [reportId])).toEqual([{ n: 0 }]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM site_visit WHERE decision_id = $1 AND notes IS NOT NULL`, [award.id])).toEqual([{ n: 0 }]);
    // The open data of the burst is valid 360Giving.
    const [openData] = answers.filter((a) => a.group === '360giving');
    expect(threeSixtyGivingErrors(openData.body)).toEqual([]);

    const after = (await t.agent().get('/health').expect(200)).body;
    expect(after.database.pool.size).toBeLessThanOrEqual(POOL_SIZE);
    await office.get(`/monitoring/calls/${callId}`).expect(200);
  }, 240_000);
});

describe(`reads of the issue-11 features far beyond a pool of ${POOL_SIZE}`, () => {
  it('120 monitoring, Förderbericht and open-data reads at once: all 200 in time, /health within a second, the pool at its size', async () => {
    const office = t.agent();
    await loginAs(office, DEMO.office);
    const [{ id: callId }] = await t.dataSource.query(`SELECT id FROM funding_call WHERE title = 'Integrationsförderung 2026'`);
    const urls = [
      `/monitoring/calls/${callId}`, `/api/v1/monitoring/calls/${callId}`, `/monitoring/calls/${callId}/indicators.csv`, '/monitoring', '/api/v1/monitoring/years',
      `/monitoring/calls/${callId}/report.pdf`,
    ];
    const publicUrls = ['/foerderbericht', `/foerderbericht/${callId}`, `/foerderbericht/${callId}/grants.csv`, `/api/v1/open-data/calls/${callId}/360giving.json`];
    const requests = Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? { agent: office, url: urls[(i / 2) % urls.length] } : { agent: t.agent(), url: publicUrls[((i - 1) / 2) % publicUrls.length] }));
    const health = pollHealth();
    const started = performance.now();
    const answers = await Promise.all(requests.map(async ({ agent, url }) => {
      const begun = performance.now();
      const status = await agent.get(url).buffer(true).parse(binary).timeout(FLOOD_TIMEOUT_MS).then((res) => res.status, (error: Error) => error.message);
      return { url, status, ms: performance.now() - begun };
    }));
    const burstMs = performance.now() - started;
    const healthAnswers = await health.stop();
    const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
    process.stdout.write(`monitoring-load beyond: ${answers.length} reads in ${Math.round(burstMs)} ms, median ${Math.round(sorted[60])} ms, slowest ${Math.round(sorted[119])} ms; `
      + `health ${healthAnswers.length} answers, max ${Math.round(Math.max(...healthAnswers.map((h) => h.ms)))} ms, max pool ${Math.max(...healthAnswers.map((h) => h.poolSize))}; `
      + `not 200: ${JSON.stringify(answers.filter((a) => a.status !== 200))}; slowest per address ${JSON.stringify(Object.fromEntries([...urls, ...publicUrls].map((u) => [u.replace(callId, ':id'), Math.round(Math.max(...answers.filter((a) => a.url === u).map((a) => a.ms)))])))}\n`);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(healthAnswers.filter((h) => h.status !== 200 || h.ms >= 1000 || h.poolSize > POOL_SIZE)).toEqual([]);
  }, 150_000);
});

describe('the archive triggers\' FOR KEY SHARE against the archive\'s FOR UPDATE on the call', () => {
  const url = () => (t.dataSource.options as { url: string }).url;
  async function client(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: url() });
    await c.connect();
    // A deadlock would be found after this; the test must see it as an error, not as a hang.
    await c.query(`SET deadlock_timeout = '200ms'`);
    return c;
  }
  const settle = <T>(promise: Promise<T>) => promise.then((value) => ({ ok: true as const, value }), (error: { code?: string; message: string }) => ({ ok: false as const, code: error.code, message: error.message }));
  /** Whether the promise is still pending after `ms`. */
  const stillWaiting = async (promise: Promise<unknown>, ms: number) => Promise.race([promise.then(() => false, () => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms))]);

  /** A decided call (a copy of the demo year's) with two draft applications, its children, made in the database. */
  async function callWithTwoDrafts(): Promise<{ callId: string; a: string; b: string }> {
    const columns = async (table: string, except: string[]) => ((await t.dataSource.query(
      `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS list FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' AND NOT (column_name = ANY($2))`,
      [table, except],
    ))[0] as { list: string }).list;
    const callColumns = await columns('funding_call', ['id', 'status', 'committed_cents', 'title', 'archived_at']);
    const [{ id: demoYearCallId }] = await t.dataSource.query(`SELECT id FROM funding_call WHERE title = 'Integrationsförderung 2026'`);
    const [{ id: callId }] = await t.dataSource.query(
      `INSERT INTO funding_call (${callColumns}, status, title) SELECT ${callColumns}, 'decided', title || ' (Sperrtest)' FROM funding_call WHERE id = $1 RETURNING id`, [demoYearCallId]);
    const applicationColumns = await columns('application', ['id', 'call_id', 'status', 'reference_number', 'title', 'expected_participants']);
    const copy = async (title: string): Promise<string> => (await t.dataSource.query(
      `INSERT INTO application (${applicationColumns}, call_id, status, title, expected_participants)
       SELECT ${applicationColumns}, $1, 'draft', $2, 40 FROM application WHERE call_id = $3 LIMIT 1 RETURNING id`,
      [callId, title, demoYearCallId],
    ))[0].id;
    return { callId, a: await copy('Kind A'), b: await copy('Kind B') };
  }
  const archive = (c: pg.Client, callId: string) => c.query(`UPDATE funding_call SET status = 'archived', archived_at = now() WHERE id = $1`, [callId]);

  it('a change that locked one child and touches another waits for the archive and is refused (FT409), no deadlock', async () => {
    const { callId, a, b } = await callWithTwoDrafts();
    const [change, archiver] = [await client(), await client()];
    try {
      await change.query('BEGIN');
      await change.query(`SELECT id FROM application WHERE id = $1 FOR UPDATE`, [a]);
      await archiver.query('BEGIN');
      await archiver.query(`SELECT id FROM funding_call WHERE id = $1 FOR UPDATE`, [callId]);
      const touch = settle(change.query(`UPDATE application SET title = 'Kind B geändert' WHERE id = $1`, [b]));
      expect(await stillWaiting(touch, 500)).toBe(true);
      // The archive reads its facts (a plain read of the children) and commits.
      await archiver.query(`SELECT count(*) FROM application WHERE call_id = $1`, [callId]);
      await archive(archiver, callId);
      await archiver.query('COMMIT');
      const result = await touch;
      expect(result.ok ? 'ok' : result.code).toBe('FT409');
      await change.query('ROLLBACK');
    } finally {
      await Promise.all([change.end(), archiver.end()]);
    }
  });

  it('a change holding the call\'s KEY SHARE goes on past a waiting archive (another child, a third transaction, the call\'s own row), then the archive runs', async () => {
    const { callId, a, b } = await callWithTwoDrafts();
    const [change, other, archiver] = [await client(), await client(), await client()];
    try {
      await change.query('BEGIN');
      await change.query(`SELECT id FROM application WHERE id = $1 FOR UPDATE`, [a]);
      await change.query(`UPDATE application SET title = 'Kind A geändert' WHERE id = $1`, [a]);
      await archiver.query('BEGIN');
      const locked = settle(archiver.query(`SELECT id FROM funding_call WHERE id = $1 FOR UPDATE`, [callId]));
      expect(await stillWaiting(locked, 300)).toBe(true);
      // A third transaction's KEY SHARE does not queue behind the waiting archive.
      await other.query('BEGIN');
      await other.query(`UPDATE application SET title = 'Kind B geändert' WHERE id = $1`, [b]);
      // The first touches the other child too, and then the call's row itself (as the decision's commitment does).
      await change.query(`UPDATE application SET expected_participants = 41 WHERE id = $1`, [a]);
      await change.query(`SELECT id FROM application WHERE id = $1 FOR KEY SHARE`, [b]);
      await change.query(`UPDATE funding_call SET committed_cents = committed_cents WHERE id = $1`, [callId]);
      await change.query('COMMIT');
      await other.query('COMMIT');
      const result = await locked;
      expect(result.ok).toBe(true);
      await archive(archiver, callId);
      await archiver.query('COMMIT');
      const rows = await t.dataSource.query(`SELECT title, expected_participants AS n FROM application WHERE id = ANY($1::uuid[]) ORDER BY title`, [[a, b]]);
      expect(rows).toEqual([{ title: 'Kind A geändert', n: 41 }, { title: 'Kind B geändert', n: 40 }]);
      expect((await t.dataSource.query(`SELECT status FROM funding_call WHERE id = $1`, [callId]))[0].status).toBe('archived');
    } finally {
      await Promise.all([change.end(), other.end(), archiver.end()]);
    }
  });
});
