import { afterAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { longMinutes } from '../../test/support/documents.js';
import { checkedPdf } from '../../test/support/pdf.js';
import { loadConfig } from '../config/app-config.js';
import type { RankingDocument } from '../documents/document-types.js';
import { RENDER_NICENESS } from '../documents/render-jobs.js';
import { DocumentRenderer } from './document-renderer.js';

const renderer = new DocumentRenderer(loadConfig({ PDF_WORKERS: '1' }));
afterAll(() => renderer.onModuleDestroy());

describe('DocumentRenderer', () => {
  it('renders in a worker thread while this thread stays free for other requests', async () => {
    // Warm up: the first PDF starts the worker thread.
    const ranking: RankingDocument = { callTitle: 'T', callYear: 2027, budgetCents: 0, weights: { importance: 1, urgency: 1 }, date: '2027-01-22', funded: [], waitingList: [], spentCents: 0, remainingCents: 0 };
    expect((await renderer.render('ranking', ranking, 'de')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(renderer.threadIds).toHaveLength(1);
    expect(renderer.threadIds).not.toContain(threadId);

    // Rendered on this thread, each of the long minutes would block it for half a second or more.
    // A timer every 5 ms records the longest gap between its ticks meanwhile.
    let last = performance.now();
    let maxStallMs = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      maxStallMs = Math.max(maxStallMs, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const pdfs = await Promise.all([renderer.render('minutes', longMinutes(), 'de'), renderer.render('minutes', longMinutes(), 'en')]);
    const renderMs = performance.now() - started;
    // The next tick records a stall that lasted until the PDFs were done.
    await new Promise((resolve) => setTimeout(resolve, 20));
    clearInterval(ticker);

    const text = await checkedPdf(pdfs[0], 'long-minutes');
    expect(text).toContain('TOP 200: NE-2027-0200');
    expect(text).toMatch(/Seite 1 von (9\d|1\d\d)/);
    expect(await checkedPdf(pdfs[1], 'long-minutes-en')).toContain('Page 1 of');
    // A liveness bound, far below what one of the PDFs takes: the longest stall of this thread's event loop.
    expect(renderMs).toBeGreaterThan(500);
    expect(maxStallMs).toBeLessThan(250);
  });

  it('renders at a lower priority than the requests, so that a rush of receipts does not slow them down', async () => {
    const ranking: RankingDocument = { callTitle: 'T', callYear: 2027, budgetCents: 0, weights: { importance: 1, urgency: 1 }, date: '2027-01-22', funded: [], waitingList: [], spentCents: 0, remainingCents: 0 };
    await renderer.render('ranking', ranking, 'de');
    // The nice value of each thread of this process (field 19 of /proc/<pid>/task/<tid>/stat).
    const nice = async (tid: string) => Number((await readFile(`/proc/self/task/${tid}/stat`, 'utf8')).split(') ')[1].split(' ')[16]);
    const values = await Promise.all((await readdir('/proc/self/task')).map(nice));
    expect(values.filter((value) => value === RENDER_NICENESS)).toHaveLength(renderer.threadIds.length);
    expect(values).toContain(0);
  });
});
