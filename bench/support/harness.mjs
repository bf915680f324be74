// Shared parts of the benchmarks: a PostgreSQL server, the real service as a child process, a bare
// floor server, an HTTP client with cookies, a load generator and the report lines.
// Benchmarks use the build in dist/ (`npm run bench` builds first).
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startEmbeddedPostgres } from '../../dist/src/database/embedded-postgres.js';
import { freePort, withClient } from '../../test/support/connections.mjs';

export { freePort, withClient };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** BENCH_SCALE=0.1 runs a tenth of the figures (a quick look); the default is the full size. */
export function scaled(count, minimum = 1) {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  return Math.max(minimum, Math.round(count * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** The server in DATABASE_URL, or an embedded PostgreSQL in a temporary folder; each bench gets its own database. */
export async function startPostgres() {
  let adminUrl;
  let stop = async () => {};
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'foerdertisch-bench-'));
    await chmod(dir, 0o755);
    const embedded = await startEmbeddedPostgres({ databaseDir: join(dir, 'pg'), port: await freePort(), database: 'postgres' });
    adminUrl = embedded.url;
    stop = async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const databases = [];
  return {
    async createDatabase(prefix) {
      const name = `${prefix}_${process.pid}_${databases.length}`;
      await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
      databases.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      await withClient(adminUrl, async (client) => {
        for (const name of databases) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }).catch(() => {});
      await stop();
    },
  };
}

/** Starts `node <script>` and waits until GET <path> answers 200; measures the time to that answer. */
async function startChild(script, env, readyPath) {
  const port = await freePort();
  const started = performance.now();
  // BENCH_PROFILE_DIR=/tmp/prof writes a CPU profile of each child when it stops (node --cpu-prof).
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, script], { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(baseUrl + readyPath).then((res) => res.ok, () => false);
    if (ok) break;
    if (performance.now() - started > 60_000) throw new Error(`${script} did not start within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const startMs = performance.now() - started;
  return {
    baseUrl,
    pid: child.pid,
    startMs,
    output: () => output,
    /** Peak resident memory (VmHWM) in MB since start or the last resetPeak(). */
    async peakRssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;
    },
    /** Resets VmHWM to the current size, so that the peak of one phase can be read. */
    async resetPeak() {
      await writeFile(`/proc/${child.pid}/clear_refs`, '5').catch(() => {});
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The real service (`dist/src/main.js`) on the given database, demo data loaded when empty. */
export async function startService(databaseUrl, env = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'foerdertisch-bench-data-'));
  const service = await startChild(join(ROOT, 'dist/src/main.js'), {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-12',
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    ...env,
  }, '/health');
  const stop = service.stop;
  return { ...service, dataDir, stop: async () => { await stop(); await rm(dataDir, { recursive: true, force: true }); } };
}

/** The floor: a bare NestJS application (bench/support/floor-server.mjs) on the same database. */
export function startFloor(databaseUrl) {
  return startChild(join(ROOT, 'bench/support/floor-server.mjs'), { DATABASE_URL: databaseUrl }, '/ready');
}

/** fetch with a cookie jar and the CSRF token, like one browser. */
export class Client {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookies = new Map();
    this.token = undefined;
  }

  async request(method, path, { json, body, headers = {} } = {}) {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { 'x-csrf-token': this.token } : {}),
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...headers,
      },
      body: json !== undefined ? JSON.stringify(json) : body,
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  }

  async json(method, path, json, expected = [200, 201]) {
    const res = await this.request(method, path, { json });
    const text = await res.text();
    if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  }

  async login(email, password) {
    this.token = (await this.json('GET', '/api/v1/auth/csrf')).csrfToken;
    await this.json('POST', '/api/v1/auth/login', { email, password });
    return this;
  }
}

/** Runs `count` calls of `task(i)` with at most `concurrency` at once; latencies in ms. */
export async function load(count, concurrency, task) {
  const latencies = [];
  const errors = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      try {
        await task(i);
      } catch (error) {
        errors.push(error);
      }
      latencies.push(performance.now() - t0);
    }
  }));
  const durationMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { count, durationMs, perSecond: (count * 1000) / durationMs, p50: at(0.5), p95: at(0.95), max: latencies.at(-1), errors };
}

/**
 * One report line per goal: the figure, the floor measured in the same run, their ratio, and
 * whether the goal is met. Returns true when every goal is met.
 */
export function report(title, goals) {
  console.log(`\n${title}`);
  let met = true;
  for (const goal of goals) {
    const ok = goal.ok;
    met &&= ok;
    const floor = goal.floor === undefined ? '' : `  floor ${goal.floor}`;
    const ratio = goal.ratio === undefined ? '' : `  ratio ${goal.ratio}`;
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${goal.name}: ${goal.figure}${floor}${ratio}  (goal ${goal.goal})`);
  }
  return met;
}

export const fmt = {
  ms: (value) => `${value.toFixed(1)} ms`,
  rate: (value) => `${value.toFixed(1)}/s`,
  ratio: (value) => `${value.toFixed(2)}×`,
};

/**
 * Ends the bench with exit code 0 when every goal was met, else 1. Explicit, because the embedded
 * PostgreSQL's exit hook would otherwise end the process with 0.
 */
export async function finish(met) {
  await new Promise((resolve) => process.stdout.write('', resolve));
  process.exit(met ? 0 : 1);
}
