// Office worklist of a call with 20,000 submitted applications: the page and the API, a page at a
// time with filters, against the real service as a child process. Floor: a bare NestJS endpoint
// selecting one page of the same rows. Goal (issue 8): p95 < 100 ms for page and API.
// BENCH_SCALE=0.1 uses 2,000 applications.
import { DEMO_PASSWORD } from '../dist/src/database/seed-demo.js';
import { Client, fmt, load, report, scaled, startFloor, startPostgres, startService, withClient, finish } from './support/harness.mjs';

const COUNT = scaled(20_000, 100);
const REQUESTS = 200;
const CONCURRENCY = 4;

const postgres = await startPostgres();
let met;
try {
  const url = await postgres.createDatabase('bench_worklist');
  const service = await startService(url);
  let page;
  let api;
  let csv;
  let callId;
  try {
    const applicant = await new Client(service.baseUrl).login('verein@neuss.example', DEMO_PASSWORD);
    const [call] = await applicant.json('GET', '/api/v1/calls?open=true');
    const [organisation] = await applicant.json('GET', '/api/v1/organisations');
    callId = call.id;
    const draft = await applicant.json('POST', '/api/v1/applications', {
      title: 'Sprachcafé', callId: call.id, organisationId: organisation.id, fieldOfAction: call.fieldsOfAction[0],
      costLines: [{ category: 'Honorare', description: 'Kursleitung', amountCents: 300_000 }], ownFundsCents: 30_000, thirdParty: [], requestedCents: 270_000, declarations: [],
    });
    process.stdout.write(`preparing ${COUNT} submitted applications… `);
    const started = Date.now();
    await withClient(url, async (client) => {
      const columns = (await client.query(
        `SELECT column_name FROM information_schema.columns
         WHERE table_name = 'application' AND is_generated = 'NEVER' AND column_default IS DISTINCT FROM 'gen_random_uuid()'
           AND column_name NOT IN ('id', 'title', 'reference_number', 'status', 'field_of_action', 'requested_cents', 'submitted_at')`,
      )).rows.map((row) => `"${row.column_name}"`);
      const statuses = ['submitted', 'submitted', 'submitted', 'in_formal_check', 'eligible', 'changes_requested', 'withdrawn', 'ineligible'];
      await client.query(
        `INSERT INTO application (title, reference_number, status, field_of_action, requested_cents, submitted_at, ${columns.join(', ')})
         SELECT 'Vorhaben ' || n, 'NE-' || $3::int || '-' || lpad(n::text, greatest(4, length(n::text)), '0'),
                ($4::text[])[1 + n % cardinality($4::text[])], ($5::text[])[1 + n % cardinality($5::text[])],
                100000 + n % 400000, now() - n * interval '1 minute', ${columns.map((c) => `t.${c}`).join(', ')}
         FROM application t, generate_series(1, $2::int) n WHERE t.id = $1`,
        [draft.id, COUNT, call.year, statuses, call.fieldsOfAction],
      );
      await client.query('ANALYZE application');
    });
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);

    const office = await new Client(service.baseUrl).login('geschaeftsstelle@neuss.example', DEMO_PASSWORD);
    const pages = Math.ceil(COUNT / 50);
    // A mix like an office at work: first pages, any page, filtered by state and field of action.
    const query = (i) => {
      const params = new URLSearchParams();
      if (i % 3 === 1) params.set('status', 'submitted');
      if (i % 4 === 2) params.set('fieldOfAction', call.fieldsOfAction[i % call.fieldsOfAction.length]);
      params.set('page', String(i % 5 === 0 ? 1 + ((i * 7919) % pages) : 1 + (i % 3)));
      return params.toString();
    };
    const get = (path) => async () => {
      const res = await office.request('GET', path);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    };
    page = await load(REQUESTS, CONCURRENCY, (i) => get(`/office/calls/${call.id}/applications?${query(i)}`)());
    api = await load(REQUESTS, CONCURRENCY, (i) => get(`/api/v1/calls/${call.id}/applications?${query(i)}`)());
    csv = await load(1, 1, get(`/api/v1/calls/${call.id}/applications.csv`));
    for (const result of [page, api, csv]) if (result.errors.length) console.log(`first error: ${result.errors[0].message}`);
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

  met = report(`Worklist: a call with ${COUNT} applications, ${REQUESTS} requests each, ${CONCURRENCY} at a time (pages of 50, filters)`, [
    { name: 'page p95', figure: fmt.ms(page.p95), floor: fmt.ms(floor.p95), ratio: fmt.ratio(page.p95 / floor.p95), goal: '< 100 ms', ok: page.p95 < 100 && page.errors.length === 0 },
    { name: 'API p95', figure: fmt.ms(api.p95), floor: fmt.ms(floor.p95), ratio: fmt.ratio(api.p95 / floor.p95), goal: '< 100 ms', ok: api.p95 < 100 && api.errors.length === 0 },
    { name: 'page p50 / API p50', figure: `${fmt.ms(page.p50)} / ${fmt.ms(api.p50)}`, floor: fmt.ms(floor.p50), goal: 'reported', ok: true },
    { name: `CSV export of all ${COUNT}`, figure: fmt.ms(csv.max), goal: 'reported', ok: csv.errors.length === 0 },
  ]);
} finally {
  await postgres.stop();
}
await finish(met);
