// Monitoring with 20 years × 300 applications (awards, payouts, usage reports, repayment claims and
// site visits in realistic proportions, written with SQL): the page of one call and the page across
// years, against the real service as a child process. Floor: a bare NestJS endpoint selecting one
// page of a call's applications. Goal (issue 11): p95 < 200 ms for both pages.
// BENCH_SCALE=0.1 uses 30 applications per year.
import { DEMO_PASSWORD } from '../dist/src/database/seed-demo.js';
import { Client, fmt, load, report, scaled, startFloor, startPostgres, startService, withClient, finish } from './support/harness.mjs';

const YEARS = 20;
const PER_YEAR = scaled(300, 10);
const REQUESTS = 200;
const CONCURRENCY = 4;

const postgres = await startPostgres();
let met;
try {
  const url = await postgres.createDatabase('bench_monitoring');
  const service = await startService(url);
  let callPage;
  let yearsPage;
  let callApi;
  let callId;
  try {
    const applicant = await new Client(service.baseUrl).login('verein@neuss.example', DEMO_PASSWORD);
    const [call] = await applicant.json('GET', '/api/v1/calls?open=true');
    const [organisation] = await applicant.json('GET', '/api/v1/organisations');
    const template = await applicant.json('POST', '/api/v1/applications', {
      title: 'Sprachcafé', callId: call.id, organisationId: organisation.id, fieldOfAction: call.fieldsOfAction[0],
      costLines: [{ category: 'Honorare', description: 'Kursleitung', amountCents: 300_000 }], ownFundsCents: 30_000, thirdParty: [], requestedCents: 270_000, declarations: [],
    });
    process.stdout.write(`preparing ${YEARS} years × ${PER_YEAR} applications… `);
    const started = Date.now();
    await withClient(url, async (client) => {
      const columnsOf = async (table, skip) => (await client.query(
        `SELECT column_name FROM information_schema.columns
         WHERE table_name = $1 AND is_generated = 'NEVER' AND column_default IS DISTINCT FROM 'gen_random_uuid()' AND NOT (column_name = ANY($2::text[]))`,
        [table, skip],
      )).rows.map((row) => `"${row.column_name}"`);
      const [office, second] = (await client.query(`SELECT id FROM app_user WHERE 'office' = ANY(roles) ORDER BY email LIMIT 2`)).rows.map((r) => r.id);
      // One decided call per year, 2006 to 2025 (beside the demo data's calls of 2026 and 2027, whose
      // reference numbers they would repeat), copied from the open demo call; every fifth is archived
      // once its rows are written (the archive's triggers refuse rows under an archived call).
      const callColumns = await columnsOf('funding_call', ['id', 'year', 'status', 'title', 'archived_at']);
      await client.query(
        `INSERT INTO funding_call (year, status, title, ${callColumns.join(', ')})
         SELECT 2005 + y, 'decided', 'Messung Förderjahr ' || (2005 + y), ${callColumns.map((c) => `t.${c}`).join(', ')}
         FROM funding_call t, generate_series(1, $2::int) y WHERE t.id = $1`,
        [call.id, YEARS],
      );
      // Applications: 60 % funded, 15 % rejected, 10 % ineligible, 10 % withdrawn, 5 % eligible and waiting.
      const statuses = ['final', 'final', 'final', 'final', 'final', 'final', 'final', 'final', 'final', 'final', 'final', 'final',
        'rejection_notified', 'rejection_notified', 'rejection_notified', 'ineligible', 'ineligible', 'withdrawn', 'withdrawn', 'eligible'];
      const appColumns = await columnsOf('application', ['id', 'call_id', 'title', 'reference_number', 'status', 'field_of_action', 'district', 'requested_cents', 'expected_participants', 'first_submitted_at', 'submitted_at']);
      await client.query(
        `INSERT INTO application (call_id, title, reference_number, status, field_of_action, district, requested_cents, expected_participants, first_submitted_at, submitted_at, ${appColumns.join(', ')})
         SELECT c.id, 'Vorhaben ' || n, 'NE-' || c.year || '-' || lpad(n::text, 4, '0'),
                ($3::text[])[1 + n % cardinality($3::text[])], (c.fields_of_action)[1 + n % cardinality(c.fields_of_action)],
                ($4::text[])[1 + (n * 7) % cardinality($4::text[])], 100000 + (n * 7919) % 400000, 10 + n % 90,
                make_timestamptz(c.year - 1, 9, 1, 12, 0, 0, 'Europe/Berlin'), make_timestamptz(c.year - 1, 9, 1, 12, 0, 0, 'Europe/Berlin'),
                ${appColumns.map((c) => `t.${c}`).join(', ')}
         FROM application t, funding_call c, generate_series(1, $2::int) n WHERE t.id = $1 AND c.title LIKE 'Messung Förderjahr %'`,
        [template.id, PER_YEAR, statuses, ['Erfttal', 'Furth-Mitte', 'Innenstadt', 'Weckhoven', 'Norf', 'Hammfeld', 'Reuschenberg', 'Gnadental']],
      );
      // A released award for every funded application, and one for a tenth of the withdrawn ones (withdrawn after the award).
      await client.query(
        `INSERT INTO decision (application_id, call_id, kind, status, amount_cents, period_start, period_end, report_due_on, drafted_by, released_by, released_at, sent_on)
         SELECT a.id, a.call_id, 'award', 'released', a.requested_cents - a.requested_cents % 1000, make_date(c.year, 4, 1), make_date(c.year, 12, 31), make_date(c.year + 1, 6, 30),
                $1, $2, make_timestamptz(c.year, 3, 1, 10, 0, 0, 'Europe/Berlin'), make_date(c.year, 3, 1)
         FROM application a JOIN funding_call c ON c.id = a.call_id
         WHERE c.title LIKE 'Messung Förderjahr %' AND (a.status = 'final' OR (a.status = 'withdrawn' AND a.reference_seq % 10 = 0))`,
        [office, second],
      );
      // Usage reports: 70 % accepted, a tenth submitted, the rest still due (overdue by now); a few late.
      await client.query(
        `INSERT INTO usage_report (decision_id, call_id, organisation_id, due_on, status, participants_total, submission_count, first_submitted_at, submitted_at, accepted_by, accepted_at, settlement)
         SELECT d.id, d.call_id, a.organisation_id, d.report_due_on,
                CASE WHEN s.k < 7 THEN 'accepted' WHEN s.k = 7 THEN 'submitted' ELSE 'due' END,
                CASE WHEN s.k <= 7 THEN 5 + a.expected_participants * (80 + s.k * 5) / 100 END,
                CASE WHEN s.k <= 7 THEN 1 ELSE 0 END,
                CASE WHEN s.k <= 7 THEN (d.report_due_on + (CASE WHEN s.k = 3 THEN 10 ELSE -20 END))::timestamptz END,
                CASE WHEN s.k <= 7 THEN (d.report_due_on + (CASE WHEN s.k = 3 THEN 10 ELSE -20 END))::timestamptz END,
                CASE WHEN s.k < 7 THEN $1::uuid END, CASE WHEN s.k < 7 THEN (d.report_due_on + 40)::timestamptz END,
                CASE WHEN s.k < 7 THEN '{}'::jsonb END
         FROM decision d JOIN application a ON a.id = d.application_id, LATERAL (SELECT a.reference_seq % 10 AS k) s
         WHERE d.call_id IN (SELECT id FROM funding_call WHERE title LIKE 'Messung Förderjahr %')`,
        [office],
      );
      // Payouts: two tranches for most awards.
      await client.query(
        `INSERT INTO payment_request (decision_id, call_id, amount_cents, needed_on, purpose, status, requested_by, confirmed_by, confirmed_at, released_by, released_at, value_date)
         SELECT d.id, d.call_id, d.amount_cents / 2, d.period_start + t * 60, 'Abruf ' || t, 'released', $1, $1, d.released_at, $2, d.released_at, d.period_start + t * 60
         FROM decision d, generate_series(1, 2) t
         WHERE d.call_id IN (SELECT id FROM funding_call WHERE title LIKE 'Messung Förderjahr %') AND (t = 1 OR d.amount_cents % 3 <> 0)`,
        [office, second],
      );
      // Repayment claims booked for one report in twenty.
      await client.query(
        `INSERT INTO repayment_claim (report_id, decision_id, call_id, status, repayment_cents, revoked_from, payment_due_on, drafted_by, released_by, released_at, sent_on, repaid_on)
         SELECT r.id, r.decision_id, r.call_id, 'repaid', 25000, r.due_on, r.due_on + 60, $1, $2, r.accepted_at, r.due_on + 45, r.due_on + 55
         FROM usage_report r JOIN decision d ON d.id = r.decision_id JOIN application a ON a.id = d.application_id
         WHERE r.status = 'accepted' AND a.reference_seq % 20 = 1 AND r.call_id IN (SELECT id FROM funding_call WHERE title LIKE 'Messung Förderjahr %')`,
        [office, second],
      );
      // Site visits: done for 70 % of the projects, planned but never made for another tenth.
      await client.query(
        `INSERT INTO site_visit (decision_id, call_id, status, visit_on, staff, planned_by, recorded_by, recorded_at)
         SELECT d.id, d.call_id, CASE WHEN a.reference_seq % 10 < 7 THEN 'done' ELSE 'planned' END, d.period_start + 90, 'Jonas Becker', $1,
                CASE WHEN a.reference_seq % 10 < 7 THEN $1::uuid END, CASE WHEN a.reference_seq % 10 < 7 THEN (d.period_start + 91)::timestamptz END
         FROM decision d JOIN application a ON a.id = d.application_id
         WHERE a.reference_seq % 10 < 8 AND d.call_id IN (SELECT id FROM funding_call WHERE title LIKE 'Messung Förderjahr %')`,
        [office],
      );
      await client.query(
        `UPDATE funding_call SET status = 'archived', archived_at = make_timestamptz(year + 2, 3, 1, 12, 0, 0, 'Europe/Berlin')
         WHERE title LIKE 'Messung Förderjahr %' AND (year - 2006) % 5 = 0`,
      );
      await client.query('ANALYZE');
      callId = (await client.query(`SELECT id FROM funding_call WHERE year = 2020 AND title LIKE 'Messung Förderjahr %'`)).rows[0].id;
    });
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);

    const office = await new Client(service.baseUrl).login('geschaeftsstelle@neuss.example', DEMO_PASSWORD);
    const get = (path) => async () => {
      const res = await office.request('GET', path);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    };
    const check = await office.json('GET', `/api/v1/monitoring/calls/${callId}`);
    console.log(`call 2020: ${check.total.applied} applied, ${check.total.funded} funded, ${check.total.participantsReached} participants reached`);
    callPage = await load(REQUESTS, CONCURRENCY, get(`/monitoring/calls/${callId}`));
    yearsPage = await load(REQUESTS, CONCURRENCY, get('/monitoring'));
    callApi = await load(REQUESTS, CONCURRENCY, get(`/api/v1/monitoring/calls/${callId}`));
    for (const result of [callPage, yearsPage, callApi]) if (result.errors.length) console.log(`first error: ${result.errors[0].message}`);
  } finally {
    await service.stop();
  }

  const floorServer = await startFloor(url);
  let floor;
  try {
    floor = await load(REQUESTS, CONCURRENCY, async () => {
      const res = await fetch(`${floorServer.baseUrl}/page?callId=${callId}`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`floor: ${res.status}`);
    });
  } finally {
    await floorServer.stop();
  }

  met = report(`Monitoring: ${YEARS} years × ${PER_YEAR} applications, ${REQUESTS} requests each, ${CONCURRENCY} at a time`, [
    { name: 'call page p95', figure: fmt.ms(callPage.p95), floor: fmt.ms(floor.p95), ratio: fmt.ratio(callPage.p95 / floor.p95), goal: '< 200 ms', ok: callPage.p95 < 200 && callPage.errors.length === 0 },
    { name: 'years page p95', figure: fmt.ms(yearsPage.p95), floor: fmt.ms(floor.p95), ratio: fmt.ratio(yearsPage.p95 / floor.p95), goal: '< 200 ms', ok: yearsPage.p95 < 200 && yearsPage.errors.length === 0 },
    { name: 'call API p95', figure: fmt.ms(callApi.p95), floor: fmt.ms(floor.p95), goal: 'reported', ok: callApi.errors.length === 0 },
    { name: 'call page p50 / years page p50', figure: `${fmt.ms(callPage.p50)} / ${fmt.ms(yearsPage.p50)}`, floor: fmt.ms(floor.p50), goal: 'reported', ok: true },
  ]);
} finally {
  await postgres.stop();
}
await finish(met);
