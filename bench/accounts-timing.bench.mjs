// Times password-reset and registration requests for emails with and without an account: the
// answers must not tell them apart. Starts the built service on its own embedded PostgreSQL with the
// demo data, sends ROUNDS requests of each kind (alternating, each from its own network address so
// that no throttle answers) and prints the mean and median of each side and the median difference within a round.
// Run with `npm run build && node bench/accounts-timing.bench.mjs`.
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import { createApp, openDatabase, startDatabase } from '../dist/src/bootstrap.js';
import { loadConfig } from '../dist/src/config/app-config.js';
import { DEMO_LOGINS, seedDemo } from '../dist/src/database/seed-demo.js';

const ROUNDS = 100;
/** Differences below this are taken as noise (the issue measured 4.1 and 4.6 ms). */
const TOLERANCE_MS = 1;

const dataDir = await mkdtemp(join(tmpdir(), 'foerdertisch-bench-'));
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-12' });
const database = await startDatabase(config);
const dataSource = await openDatabase(database.url);
await seedDemo(dataSource);
const app = await createApp(config, dataSource, config.sessionSecret);
await app.listen(0, '127.0.0.1');
const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;

const csrf = await fetch(`${base}/api/v1/auth/csrf`);
const cookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const { csrfToken } = await csrf.json();

let address = 0;
async function timed(path, fields) {
  address++;
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}` },
    body: new URLSearchParams({ _csrf: csrfToken, ...fields }),
  });
  await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return ms;
}

const known = DEMO_LOGINS.map((login) => login.email);
if (known.length === 0) throw new Error('no demo logins');
const stats = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, median: sorted[Math.floor(sorted.length / 2)] };
};

let failed = false;
for (const [path, body] of [
  ['/password-reset', (email) => ({ email })],
  ['/register', (email) => ({ fullName: 'Bench', email })],
]) {
  const existing = [];
  const unknown = [];
  for (let i = 0; i < ROUNDS; i++) {
    // both sides cycle through as many emails, so their throttle counters move alike
    // alternating which goes first, so that neither side always follows the other's background job
    const pair = [() => timed(path, body(known[i % known.length])), () => timed(path, body(`niemand-${i % known.length}@bench.example`))];
    if (i % 2) {
      existing.push(await pair[0]());
      unknown.push(await pair[1]());
    } else {
      unknown.push(await pair[1]());
      existing.push(await pair[0]());
    }
  }
  const a = stats(existing);
  const b = stats(unknown);
  // the median of the differences within each round, which cancels drift in the machine's load
  const diff = stats(existing.map((ms, i) => ms - unknown[i])).median;
  console.log(`${path}: with account mean ${a.mean.toFixed(2)} ms (median ${a.median.toFixed(2)}), without mean ${b.mean.toFixed(2)} ms (median ${b.median.toFixed(2)}), median difference per round ${diff.toFixed(2)} ms (target < ${TOLERANCE_MS} ms)`);
  if (Math.abs(diff) >= TOLERANCE_MS) failed = true;
}

await app.close();
await dataSource.destroy().catch(() => undefined);
await database.stop?.();
await rm(dataDir, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
