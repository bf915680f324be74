// Submission rush: 1,000 complete drafts (20-line finance plan, a 1 MB attachment) are submitted,
// 50 at a time, to the real service running as a child process. Floor: a bare NestJS endpoint
// inserting the same JSON into the same PostgreSQL. Goals (issue 8): throughput ≥ 0.25× the floor,
// p95 < 500 ms, no errors, nothing lost, peak RSS of the service < 300 MB.
// BENCH_SCALE=0.1 submits 100.
import { randomBytes } from 'node:crypto';
import { DEMO_PASSWORD } from '../dist/src/database/seed-demo.js';
import { Client, fmt, load, report, scaled, startFloor, startPostgres, startService, withClient, finish } from './support/harness.mjs';

const COUNT = scaled(1000, 10);
const CONCURRENCY = 50;
const APPLICANT = 'verein@neuss.example';

// A 1 MB file that the service recognises as a PDF by its first bytes.
const BIG_PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%'), randomBytes(1024 * 1024 - 16), Buffer.from('\n%%EOF\n')]);
const SMALL_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

function content(call, i) {
  // 20 cost lines of 175 € = 3.500 €; own funds 500 €, third party 200 €, requested 2.800 €.
  const costLines = Array.from({ length: 20 }, (_, line) => ({ category: line % 2 ? 'Sachkosten' : 'Honorare', description: `Position ${line + 1} des Vorhabens ${i}`, amountCents: 17_500 }));
  return {
    title: `Sprachcafé im Quartier ${i}`,
    fieldOfAction: call.fieldsOfAction[i % call.fieldsOfAction.length],
    targetGroup: 'Neu zugewanderte Familien',
    district: 'Erfttal',
    description: 'Wöchentliches Sprachcafé mit Kinderbetreuung. '.repeat(10),
    goals: 'Alltagsdeutsch üben, Nachbarschaft stärken.',
    methods: 'Gesprächsrunden, Spiele, gemeinsame Ausflüge.',
    expectedParticipants: 40,
    openness: 'Offen für alle, kostenfrei, barrierearmer Raum.',
    startDate: call.fundingPeriodStart,
    endDate: call.fundingPeriodEnd,
    declarations: call.declarations,
    costLines,
    ownFundsCents: 50_000,
    thirdParty: [{ source: 'Bürgerstiftung Neuss', amountCents: 20_000, status: 'applied' }],
    requestedCents: 280_000,
  };
}

function multipart(kind, file, filename) {
  const boundary = `bench${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Copies of a draft with its attachments, each with its own title; returns their ids. */
function copyDraft(url, id, copies) {
  return withClient(url, async (client) => {
    const columns = (await client.query(
      `SELECT column_name FROM information_schema.columns
       WHERE table_name = 'application' AND is_generated = 'NEVER' AND column_default IS DISTINCT FROM 'gen_random_uuid()' AND column_name NOT IN ('id', 'title')`,
    )).rows.map((row) => `"${row.column_name}"`);
    await client.query('BEGIN');
    const { rows } = await client.query(
      `INSERT INTO application (title, ${columns.join(', ')})
       SELECT t.title || ' ' || n, ${columns.map((c) => `t.${c}`).join(', ')} FROM application t, generate_series(1, $2::int) n WHERE t.id = $1
       RETURNING id`,
      [id, copies],
    );
    const ids = rows.map((row) => row.id);
    await client.query(
      `INSERT INTO attachment (application_id, kind, filename, content_type, size_bytes, sha256, content, uploaded_by)
       SELECT a, t.kind, t.filename, t.content_type, t.size_bytes, t.sha256, t.content, t.uploaded_by
       FROM unnest($2::uuid[]) a, attachment t WHERE t.application_id = $1`,
      [id, ids],
    );
    await client.query('COMMIT');
    // The copies wrote about a gigabyte: flush it now, so that the rush is not measured against the checkpoint it causes.
    await client.query('CHECKPOINT');
    return ids;
  });
}

const postgres = await startPostgres();
let met;
try {
  const url = await postgres.createDatabase('bench_submissions');
  const service = await startService(url);
  let rush;
  let peakRss;
  let counts;
  let receipts;
  try {
    const applicant = await new Client(service.baseUrl).login(APPLICANT, DEMO_PASSWORD);
    const [call] = await applicant.json('GET', '/api/v1/calls?open=true');
    const [organisation] = await applicant.json('GET', '/api/v1/organisations');

    // One draft goes through the API (create, uploads); the others are copies made in SQL, which
    // is quicker than 1,000 uploads of 1 MB and leaves the same rows behind.
    process.stdout.write(`preparing ${COUNT} drafts with attachments… `);
    const started = Date.now();
    const draft = await applicant.json('POST', '/api/v1/applications', { ...content(call, 0), callId: call.id, organisationId: organisation.id });
    for (const [index, kind] of call.requiredAttachments.entries()) {
      const { body, headers } = multipart(kind, index === 0 ? BIG_PDF : SMALL_PDF, `${kind}.pdf`);
      const res = await applicant.request('POST', `/api/v1/applications/${draft.id}/attachments`, { body, headers });
      if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
    }
    const ids = [draft.id, ...(await copyDraft(url, draft.id, COUNT - 1))];
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);

    await service.resetPeak();
    rush = await load(COUNT, CONCURRENCY, async (i) => {
      const res = await applicant.request('POST', `/api/v1/applications/${ids[i]}/submit`, { json: {} });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`submit: ${res.status} ${text.slice(0, 200)}`);
    });
    peakRss = await service.peakRssMb();
    counts = await withClient(url, async (client) => (await client.query(
      `SELECT count(*)::int AS submitted, count(DISTINCT a.reference_number)::int AS numbers,
              (SELECT count(*)::int FROM application_version v WHERE v.application_id = ANY($1::uuid[])) AS versions
       FROM application a WHERE a.id = ANY($1::uuid[]) AND a.status = 'submitted'`,
      [ids],
    )).rows[0]);
    if (rush.errors.length) console.log(`first error: ${rush.errors[0].message}`);

    // The receipts (a PDF each) go out once the rush is answered: how long that takes, and the
    // service's peak memory including it.
    const sending = performance.now();
    const until = Date.now() + 300_000;
    let open;
    do {
      open = await withClient(url, async (client) => Number((await client.query(`SELECT count(*) FROM pgboss.job WHERE name = 'mail.send' AND state <> 'completed'`)).rows[0].count));
      if (open > 0) await new Promise((resolve) => setTimeout(resolve, 250));
    } while (open > 0 && Date.now() < until);
    receipts = { seconds: (performance.now() - sending) / 1000, open, peakRss: await service.peakRssMb() };
  } finally {
    await service.stop();
  }

  // The floor runs alone, after the service stopped, on the same server.
  const floorServer = await startFloor(url);
  let floor;
  try {
    const body = content({ fieldsOfAction: ['Sprachförderung'], fundingPeriodStart: '2027-01-01', fundingPeriodEnd: '2027-12-31', declarations: [] }, 0);
    floor = await load(COUNT, CONCURRENCY, async () => {
      const res = await fetch(`${floorServer.baseUrl}/insert`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.text();
      if (res.status !== 201) throw new Error(`floor: ${res.status}`);
    });
  } finally {
    await floorServer.stop();
  }

  const ratio = rush.perSecond / floor.perSecond;
  met = report(`Submission rush: ${COUNT} submissions, ${CONCURRENCY} concurrent (20-line plan, 1 MB attachment)`, [
    { name: 'throughput', figure: fmt.rate(rush.perSecond), floor: fmt.rate(floor.perSecond), ratio: fmt.ratio(ratio), goal: '≥ 0.25× floor', ok: ratio >= 0.25 },
    { name: 'p95', figure: fmt.ms(rush.p95), floor: fmt.ms(floor.p95), ratio: fmt.ratio(rush.p95 / floor.p95), goal: '< 500 ms', ok: rush.p95 < 500 },
    { name: 'p50', figure: fmt.ms(rush.p50), floor: fmt.ms(floor.p50), ratio: fmt.ratio(rush.p50 / floor.p50), goal: 'reported', ok: true },
    { name: 'errors', figure: String(rush.errors.length), floor: String(floor.errors.length), goal: '0', ok: rush.errors.length === 0 },
    { name: 'lost (submitted rows, versions, distinct numbers)', figure: `${COUNT - counts.submitted}, ${COUNT - counts.versions}, ${COUNT - counts.numbers}`, goal: '0', ok: counts.submitted === COUNT && counts.versions === COUNT && counts.numbers === COUNT },
    { name: 'peak RSS of the service during the rush', figure: `${peakRss.toFixed(0)} MB`, goal: '< 300 MB', ok: peakRss < 300 },
    { name: `receipt mails sent after the rush (${COUNT}, with PDF)`, figure: `${receipts.seconds.toFixed(1)} s, ${receipts.open} left`, goal: 'reported', ok: receipts.open === 0 },
    { name: 'peak RSS of the service, receipts included', figure: `${receipts.peakRss.toFixed(0)} MB`, goal: 'reported', ok: true },
  ]);
} finally {
  await postgres.stop();
}
await finish(met);
