// Live vote: every voting member of the round table (18 in the demo data) votes on 100 open agenda
// items at once, each from their own login, against the real service as a child process. Floor: a
// bare NestJS endpoint doing one INSERT, at the same concurrency. Goals (issue 8): p95 < 50 ms,
// tallies exact, no errors. BENCH_SCALE=0.1 uses 10 items.
import { performance } from 'node:perf_hooks';
import { DEMO_PASSWORD } from '../dist/src/database/seed-demo.js';
import { Client, fmt, load, report, scaled, startFloor, startPostgres, startService, withClient, finish } from './support/harness.mjs';

const ITEMS = scaled(100, 5);
const CHOICES = ['yes', 'no', 'abstain'];
const choiceOf = (member, item) => CHOICES[(member + item) % 3];

const postgres = await startPostgres();
let met;
try {
  const url = await postgres.createDatabase('bench_vote');
  const service = await startService(url);
  let votes;
  let tallies;
  let voters;
  let drained;
  try {
    const applicant = await new Client(service.baseUrl).login('verein@neuss.example', DEMO_PASSWORD);
    const [call] = await applicant.json('GET', '/api/v1/calls?open=true');
    const [organisation] = await applicant.json('GET', '/api/v1/organisations');
    const draft = await applicant.json('POST', '/api/v1/applications', {
      title: 'Sprachcafé', callId: call.id, organisationId: organisation.id, fieldOfAction: call.fieldsOfAction[0],
      costLines: [{ category: 'Honorare', description: 'Kursleitung', amountCents: 300_000 }], ownFundsCents: 30_000, thirdParty: [], requestedCents: 270_000, declarations: [],
    });

    // Eligible applications for the agenda and a login for every voting member (the demo has three),
    // made in SQL: the bench times the votes, not the way there.
    const applicationIds = await withClient(url, async (client) => {
      const columns = (await client.query(
        `SELECT column_name FROM information_schema.columns
         WHERE table_name = 'application' AND is_generated = 'NEVER' AND column_default IS DISTINCT FROM 'gen_random_uuid()'
           AND column_name NOT IN ('id', 'title', 'reference_number', 'status', 'submitted_at')`,
      )).rows.map((row) => `"${row.column_name}"`);
      const { rows } = await client.query(
        `INSERT INTO application (title, reference_number, status, submitted_at, ${columns.join(', ')})
         SELECT 'Vorhaben ' || n, 'NE-' || $3::int || '-' || lpad(n::text, 4, '0'), 'eligible', now(), ${columns.map((c) => `t.${c}`).join(', ')}
         FROM application t, generate_series(1, $2::int) n WHERE t.id = $1 RETURNING id`,
        [draft.id, ITEMS, call.year],
      );
      await client.query(
        `WITH missing AS (
           SELECT m.id, row_number() OVER (ORDER BY m.full_name) AS n FROM round_table_member m
           WHERE m.voting_right = 'voting' AND m.kind = 'member' AND m.user_id IS NULL
         ), created AS (
           INSERT INTO app_user (email, full_name, password_hash, roles, status)
           SELECT 'bench-mitglied-' || missing.n || '@neuss.example', 'Mitglied ' || missing.n, u.password_hash, '{voting_member}', 'active'
           FROM missing, app_user u WHERE u.email = 'stimmberechtigt@neuss.example'
           RETURNING id, email
         )
         UPDATE round_table_member m SET user_id = created.id, email = created.email
         FROM missing JOIN created ON created.email = 'bench-mitglied-' || missing.n || '@neuss.example'
         WHERE m.id = missing.id`,
      );
      return rows.map((row) => row.id);
    });

    const office = await new Client(service.baseUrl).login('geschaeftsstelle@neuss.example', DEMO_PASSWORD);
    const session = await office.json('POST', '/api/v1/sessions', { callId: call.id, scheduledAt: new Date(Date.now() + 60_000).toISOString(), place: 'Rathaus Neuss', applicationIds });
    const members = (await office.json('GET', '/api/v1/round-table/members')).filter((m) => m.votingRight === 'voting' && m.kind === 'member');
    for (const member of members) await office.json('PUT', `/api/v1/sessions/${session.id}/attendance`, { memberId: member.id, present: true }, [204]);
    await office.json('POST', `/api/v1/sessions/${session.id}/open`, undefined, [200]);
    const items = (await office.json('GET', `/api/v1/sessions/${session.id}`)).items.map((item) => item.id);
    for (const item of items) await office.json('POST', `/api/v1/agenda-items/${item}/open`, undefined, [200, 201]);

    // The invitations (with the agenda as PDF) go out first, so that the votes are timed alone.
    const until = Date.now() + 60_000;
    do {
      drained = await withClient(url, async (client) => Number((await client.query(
        `SELECT count(*) FROM pgboss.job WHERE state = 'active' OR (state IN ('created', 'retry') AND start_after <= now())`,
      )).rows[0].count) === 0);
      if (!drained) await new Promise((resolve) => setTimeout(resolve, 500));
    } while (!drained && Date.now() < until);

    const clients = await Promise.all(members.map((member) => new Client(service.baseUrl).login(member.email, DEMO_PASSWORD)));
    voters = clients.length;
    // Every member at once, each going through the items from a different starting point.
    const latencies = [];
    const errors = [];
    const started = performance.now();
    await Promise.all(clients.map(async (client, m) => {
      for (let k = 0; k < items.length; k++) {
        const i = (k + m * 7) % items.length;
        const t0 = performance.now();
        try {
          const res = await client.request('POST', `/api/v1/agenda-items/${items[i]}/votes`, { json: { choice: choiceOf(m, i) } });
          const text = await res.text();
          if (res.status !== 201) throw new Error(`vote: ${res.status} ${text.slice(0, 200)}`);
        } catch (error) {
          errors.push(error);
        }
        latencies.push(performance.now() - t0);
      }
    }));
    const durationMs = performance.now() - started;
    latencies.sort((a, b) => a - b);
    votes = { count: latencies.length, perSecond: (latencies.length * 1000) / durationMs, p50: latencies[Math.floor(latencies.length * 0.5)], p95: latencies[Math.floor(latencies.length * 0.95)], errors };
    if (errors.length) console.log(`first error: ${errors[0].message}`);

    const expected = items.map((_, i) => CHOICES.map((choice) => clients.filter((__, m) => choiceOf(m, i) === choice).length));
    const counted = await withClient(url, async (client) => (await client.query(
      `SELECT item_id AS item, count(*) FILTER (WHERE choice = 'yes')::int AS yes, count(*) FILTER (WHERE choice = 'no')::int AS no,
              count(*) FILTER (WHERE choice = 'abstain')::int AS abstain
       FROM vote WHERE item_id = ANY($1::uuid[]) GROUP BY item_id`,
      [items],
    )).rows);
    const byItem = new Map(counted.map((row) => [row.item, [row.yes, row.no, row.abstain]]));
    tallies = items.filter((item, i) => JSON.stringify(byItem.get(item) ?? [0, 0, 0]) !== JSON.stringify(expected[i])).length;
  } finally {
    await service.stop();
  }

  const floorServer = await startFloor(url);
  let floor;
  try {
    floor = await load(votes.count, voters, async (i) => {
      const res = await fetch(`${floorServer.baseUrl}/insert`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ item: i % ITEMS, choice: CHOICES[i % 3] }) });
      await res.text();
      if (res.status !== 201) throw new Error(`floor: ${res.status}`);
    });
  } finally {
    await floorServer.stop();
  }

  met = report(`Live vote: ${voters} members × ${ITEMS} items at once (${votes.count} votes)${drained ? '' : ' — mail queue not drained before the votes'}`, [
    { name: 'p95', figure: fmt.ms(votes.p95), floor: fmt.ms(floor.p95), ratio: fmt.ratio(votes.p95 / floor.p95), goal: '< 50 ms', ok: votes.p95 < 50 },
    { name: 'p50', figure: fmt.ms(votes.p50), floor: fmt.ms(floor.p50), ratio: fmt.ratio(votes.p50 / floor.p50), goal: 'reported', ok: true },
    { name: 'throughput', figure: fmt.rate(votes.perSecond), floor: fmt.rate(floor.perSecond), ratio: fmt.ratio(votes.perSecond / floor.perSecond), goal: 'reported', ok: true },
    { name: 'errors', figure: String(votes.errors.length), floor: String(floor.errors.length), goal: '0', ok: votes.errors.length === 0 },
    { name: 'items whose tally differs from the votes sent', figure: String(tallies), goal: '0', ok: tallies === 0 },
  ]);
} finally {
  await postgres.stop();
}
await finish(met);
