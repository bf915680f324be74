import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { browserJourney, browserSkipReason, click, download, type CheckedPage } from '../support/browser.js';
import { threeSixtyGivingErrors } from '../support/three-sixty-giving.js';
import { decidedCallWithAwards } from '../support/transparency.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

/** The links in the page's main content that lead to a page (downloads are fetched on their own). */
async function pageLinks(tab: CheckedPage): Promise<string[]> {
  return tab.page.locator('main a[href]:not([download])').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
}

suite('public Förderbericht, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, newTab } = journey;

  it('an anonymous visitor opens the list of funded projects, a call’s page and both downloads, and every link works', async () => {
    const t = journey.app;
    const fixture = await decidedCallWithAwards(t);
    await fixture.decide();
    const [call] = await t.dataSource.query(`SELECT year, title FROM funding_call WHERE id = $1`, [fixture.callId]);
    const name = `Förderbericht ${call.year}: ${call.title}`;

    // No login: from the home page to the list, then to the call.
    const { tab } = await newTab();
    await tab.goto('/');
    await click(tab, 'link', 'Welche Projekte die Stadt fördert: zum Förderbericht');
    expect(new URL(tab.page.url()).pathname).toBe('/foerderbericht');
    const row = tab.page.getByRole('row', { name: new RegExp(name) });
    await expect(row.getByRole('cell').nth(1).textContent()).resolves.toBe('2');
    await click(tab, 'link', name);
    expect(new URL(tab.page.url()).pathname).toBe(`/foerderbericht/${fixture.callId}`);
    await expect(tab.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(name);

    const table = tab.page.getByRole('table', { name: `Geförderte Projekte ${call.year}` });
    for (const project of fixture.funded) await expect(table.getByRole('rowheader', { name: project.title }).count()).resolves.toBe(1);
    await expect(table.getByRole('row').count()).resolves.toBe(3);
    await expect(tab.page.locator('main').textContent()).resolves.not.toContain(fixture.rejected.title);

    // The downloads: the CSV read back, the 360Giving JSON parsed and checked against the official schema.
    const csv = (await download(tab.page, () => tab.page.getByRole('link', { name: `Förderbericht ${call.year} als Tabelle herunterladen (CSV)` }).click())).toString('utf8');
    const rows = parse(csv.replace(/^\uFEFF/, ''), { delimiter: ';', columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.Projekt).sort()).toEqual(fixture.funded.map((p) => p.title).sort());
    const json = JSON.parse((await download(tab.page, () => tab.page.getByRole('link', { name: `Förderbericht ${call.year} im Format 360Giving herunterladen (JSON)` }).click())).toString('utf8'));
    expect(json.grants).toHaveLength(2);
    expect(threeSixtyGivingErrors(json)).toEqual([]);

    // The page says why the CSV has decimal points, so that nobody reads 2800.00 as a typo in German Excel.
    await expect(tab.page.getByText('Beträge stehen in Euro mit Dezimalpunkt').count()).resolves.toBe(1);

    // The list offers each call's files itself: the open-data paragraph there is not a promise without a link.
    await tab.goto('/foerderbericht');
    const listCsv = (await download(tab.page, () => tab.page.getByRole('link', { name: `Förderbericht ${call.year} als Tabelle herunterladen (CSV)` }).click())).toString('utf8');
    expect(listCsv).toBe(csv);
    await expect(tab.page.getByRole('link', { name: `Förderbericht ${call.year} im Format 360Giving herunterladen (JSON)` }).getAttribute('href')).resolves.toBe(`/foerderbericht/${fixture.callId}/360giving.json`);
    const listJson = JSON.parse((await download(tab.page, () => tab.page.getByRole('link', { name: `Förderbericht ${call.year} im Format 360Giving herunterladen (JSON)` }).click())).toString('utf8'));
    expect(listJson).toEqual(json);

    // At 320 px (400 % zoom) the long German headings wrap: the page never scrolls sideways (WCAG 1.4.10).
    await tab.page.setViewportSize({ width: 320, height: 640 });
    const reports = await tab.page.locator('main table a').evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
    expect(reports).toContain(`/foerderbericht/${fixture.callId}`);
    for (const path of ['/foerderbericht', ...reports]) {
      await tab.goto(path);
      const widths = await tab.page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth }));
      expect({ path, ...widths }).toEqual({ path, page: widths.window, window: widths.window });
    }
    await tab.page.setViewportSize({ width: 1280, height: 720 });

    // Every link of the list and of the call's page leads to a page that answers and passes axe.
    const links = new Set([...(await pageLinks(tab))]);
    await tab.goto('/foerderbericht');
    for (const link of await pageLinks(tab)) links.add(link);
    await tab.goto('/');
    const footer = await tab.page.locator('footer a[href="/foerderbericht"]').count();
    expect(footer).toBe(1);
    for (const link of links) {
      const response = await tab.page.goto(link);
      expect({ link, status: response?.status() }).toEqual({ link, status: 200 });
      await tab.check();
    }
    expect(links.size).toBeGreaterThanOrEqual(2);

    expect(tabs.flatMap((each) => each.unchecked())).toEqual([]);
    expect(tabs.flatMap((each) => each.violations)).toEqual([]);
  });
});
