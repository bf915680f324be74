// Documents: how long the 26-page minutes and the 20-page ranking take to render (goal: the minutes
// in < 1 s), and how long a trivial request (GET /health) waits while PDFs render without pause
// (goal: < 100 ms at most), beside its floor: the same request while nothing renders. For comparison
// a third run renders on the request thread, as the service did before the worker pool. Also prints
// how many receipts the pool renders per second when the mail worker asks for many at once.
// Starts the built service (dist/) in this process on its own embedded PostgreSQL (or DATABASE_URL)
// and renders through the service's own DocumentRenderer, the pool every PDF route and mail uses;
// the requests come from a separate process, so that their waiting is measured from outside.
// Run alone with `npm run bench:documents` (builds first); BENCH_SECONDS sets each phase's length (6).
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { freePort } from './support/harness.mjs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { largeMinutes, largeRanking, receipt } from './documents-data.mjs';

const RENDER_GOAL_MS = 1000;
const WAIT_GOAL_MS = 100;

if (process.argv[2] === '--client') await client(process.argv[3], Number(process.argv[4]));
else await main();

/** Sends GET requests one after another (10 ms apart) for `ms` and prints their latencies as JSON. */
async function client(url, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const started = performance.now();
    await new Promise((resolve, reject) => {
      http.get(url, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      }).on('error', reject);
    });
    latencies.push(performance.now() - started);
    await sleep(10);
  }
  agent.destroy();
  process.stdout.write(JSON.stringify(latencies));
}

async function main() {
  const { createApp, openDatabase, startDatabase } = await import('../dist/src/bootstrap.js');
  const { loadConfig } = await import('../dist/src/config/app-config.js');
  const { DocumentRenderer } = await import('../dist/src/renderer/document-renderer.js');
  const { default: renderOnThisThread } = await import('../dist/src/documents/render-jobs.js');

  const seconds = Number(process.env.BENCH_SECONDS ?? 6);
  const dataDir = await mkdtemp(join(tmpdir(), 'foerdertisch-bench-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-12',
    EMBEDDED_DB_PORT: String(await freePort()),
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...(process.env.PDF_WORKERS ? { PDF_WORKERS: process.env.PDF_WORKERS } : {}),
  });
  const database = await startDatabase(config);
  const dataSource = await openDatabase(database.url);
  const app = await createApp(config, dataSource, config.sessionSecret);
  await app.listen(0, '127.0.0.1');
  const health = `http://127.0.0.1:${app.getHttpServer().address().port}/health`;
  const renderer = app.get(DocumentRenderer);
  const minutes = largeMinutes(50);
  const ranking = largeRanking(300);

  try {
    const pages = (pdf) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    const time = async (render) => {
      const started = performance.now();
      const pdf = await render();
      return { ms: performance.now() - started, pages: pages(pdf) };
    };
    const median = async (render, runs = 5) => {
      const results = [];
      for (let run = 0; run < runs; run++) results.push(await time(render));
      results.sort((a, b) => a.ms - b.ms);
      return results[Math.floor(runs / 2)];
    };
    await renderer.render('minutes', minutes, 'de'); // starts the worker thread
    const minutesTime = await median(() => renderer.render('minutes', minutes, 'de'));
    const rankingTime = await median(() => renderer.render('ranking', ranking, 'de'));
    // Receipts as the mail worker asks for them: many at once, queued in the pool.
    const receiptCount = 100;
    const receiptsStarted = performance.now();
    await Promise.all(Array.from({ length: receiptCount }, (_, i) => renderer.render('receipt', receipt(i), 'de')));
    const receiptsPerSecond = receiptCount / ((performance.now() - receiptsStarted) / 1000);

    const floor = await waits(health, seconds, null);
    const pooled = await waits(health, seconds, () => Promise.all([renderer.render('minutes', minutes, 'de'), renderer.render('ranking', ranking, 'de')]));
    const rss = process.memoryUsage.rss();
    const inline = await waits(health, seconds, async () => {
      await renderOnThisThread({ kind: 'minutes', args: [minutes, 'de'] });
      await renderOnThisThread({ kind: 'ranking', args: [ranking, 'de'] });
    });

    const ms = (value) => `${value.toFixed(0)} ms`;
    const line = (name, result) => `${name}: max ${ms(result.max)}, p99 ${ms(result.p99)}, median ${ms(result.median)} (${result.count} requests, ${result.pdfs} PDFs)`;
    console.log(`documents (${config.pdfWorkers} PDF worker thread(s), load average ${loadavg()[0].toFixed(1)}):`);
    console.log(`  minutes, ${minutesTime.pages} pages: ${ms(minutesTime.ms)} (goal < ${RENDER_GOAL_MS} ms)`);
    console.log(`  ranking, ${rankingTime.pages} pages: ${ms(rankingTime.ms)}`);
    console.log(`  receipts (2 pages), ${receiptCount} at once: ${receiptsPerSecond.toFixed(0)} per second`);
    console.log(`  GET /health ${line('while PDFs render in the workers', pooled)} (goal: max < ${WAIT_GOAL_MS} ms)`);
    console.log(`  GET /health ${line('floor, no PDF rendering', floor)}; ratio of the maxima ${(pooled.max / floor.max).toFixed(1)}`);
    console.log(`  GET /health ${line('for comparison, PDFs on the request thread', inline)}`);
    console.log(`  resident memory of the service with its worker thread(s), after rendering there: ${(rss / 2 ** 20).toFixed(0)} MB`);
    process.exitCode = minutesTime.ms < RENDER_GOAL_MS && pooled.max < WAIT_GOAL_MS ? 0 : 1;
  } finally {
    await app.close();
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.stop?.();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Latencies of GET /health from another process for `seconds`, while `render` runs in a loop (if given). */
async function waits(url, seconds, render) {
  let rendering = render !== null;
  let pdfs = 0;
  // On the request thread the requests hardly get through, so the clock ends the rendering too.
  const until = performance.now() + seconds * 1000;
  const loop = (async () => {
    while (rendering && performance.now() < until) {
      await render();
      pdfs += 2;
      // Lets the event loop in between, as the service's request handling would.
      await nextTurn();
    }
  })();
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--client', url, String(seconds * 1000)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  await new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`client exited with ${code}`)))));
  rendering = false;
  await loop;
  const latencies = JSON.parse(output).sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { count: latencies.length, max: latencies.at(-1), p99: at(0.99), median: at(0.5), pdfs };
}

