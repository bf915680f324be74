import { afterAll, describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { checkedPdf } from '../../test/support/pdf.js';
import { loadConfig } from '../config/app-config.js';
import type { MinutesDocument, RankingDocument } from '../documents/document-types.js';
import { DocumentRenderer } from './document-renderer.js';

/** The minutes of a long session: 200 decided items, about 100 pages. */
function longMinutes(): MinutesDocument {
  const names = Array.from({ length: 14 }, (_, i) => `Mitglied ${i + 1} Ünal`);
  return {
    callTitle: 'Teilhabe und Begegnung in Neuss',
    callYear: 2027,
    scheduledAt: '2027-01-20T16:00:00.000Z',
    openedAt: '2027-01-20T16:04:00.000Z',
    closedAt: '2027-01-20T21:12:00.000Z',
    place: 'Rathaus Neuss',
    chairName: 'Dr. Katharina Voss',
    minuteTakerName: 'Jonas Becker',
    statutoryVotingMembers: 18,
    attendance: names.map((name) => ({ name, group: 'Ratsfraktion', votingRight: 'voting' as const, standsInForName: null })),
    absentVotingMembers: ['Mehmet Yılmaz'],
    items: Array.from({ length: 200 }, (_, i) => ({
      position: i + 1,
      referenceNumber: `NE-2027-${String(i + 1).padStart(4, '0')}`,
      title: `Vorhaben ${i + 1}: Sprachcafé und Begegnung im Stadtteil`,
      organisationName: 'Raum der Kulturen Neuss e.V.',
      requestedCents: 250_000,
      status: 'closed' as const,
      secretBallot: false,
      eligibleVoters: 12,
      quorate: true,
      present: { voting: names, advisory: [] },
      conflicts: [{ name: names[i % 14], source: 'declared' as const, reason: 'Vorstandsmitglied des Trägers' }],
      counts: { yes: 8, no: 3, abstain: 1 },
      decision: 'approved' as const,
      recommendedCents: 200_000,
      importance: 4.2,
      urgency: 3.8,
    })),
  };
}

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
});
