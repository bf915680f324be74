import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { DEMO, loginAs } from '../support/app.js';
import { browserJourney, browserSkipReason, click, download } from '../support/browser.js';
import { pdfText } from '../support/pdf.js';
import { settledReport } from '../support/reports.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

suite('monitoring, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('the office opens the monitoring of a call with a settled grant: charts with their tables, the PDF report and the CSV; the chair finds it from the member area', async () => {
    const t = journey.app;
    // One funded project (2.800 € awarded, 1.000 € paid, 40 participants planned) whose usage report is accepted with 42 participants.
    const { callId } = await settledReport(t, { paidCents: 100_000 });
    const [{ year, title }] = await t.dataSource.query(`SELECT year, title FROM funding_call WHERE id = $1`, [callId]);

    const office = await loggedIn(DEMO.office);
    await office.goto('/office');
    await click(office, 'link', `Monitoring ${year}`);
    expect(office.page.url()).toContain(`/monitoring/calls/${callId}`);
    expect(await office.page.getByRole('heading', { level: 1 }).textContent()).toBe(`Monitoring ${year}`);

    // Every chart is an image with its accessible name, its summary and its table below it.
    const charts = office.page.locator('svg[role="img"]');
    expect(await charts.count()).toBe(7);
    for (const name of ['Teilnehmende nach Handlungsfeld', 'Teilnehmende nach Stadtteil', 'Fördergeld nach Handlungsfeld', 'Verwendungsnachweise', 'Vor-Ort-Besuche']) {
      await expect(office.page.getByRole('img', { name }).count()).resolves.toBe(1);
      await expect(office.page.getByRole('table', { name: `Zahlen zur Grafik: ${name}` }).count()).resolves.toBe(1);
    }
    // Drawn in DejaVu Sans as in the PDF: no label runs past the chart's edges, and the legend stays above the bars.
    const layout = await charts.evaluateAll((svgs) =>
      svgs.map((svg) => {
        const frame = svg.getBoundingClientRect();
        const legend = new Set([...svg.closest('section')!.querySelectorAll('thead th:not(:first-child)')].map((th) => th.textContent!.trim()));
        const texts = [...svg.querySelectorAll('text')].map((text) => ({ text: text.textContent!, box: text.getBoundingClientRect() }));
        const barsTop = Math.min(...[...svg.querySelectorAll('path[ecmeta_ssr_type="chart"]')].map((bar) => bar.getBoundingClientRect().top));
        return {
          cut: texts.filter(({ box }) => box.left < frame.left - 0.5 || box.right > frame.right + 0.5).map(({ text }) => text),
          legendOverBars: texts.filter(({ text, box }) => legend.has(text) && box.bottom > barsTop).map(({ text }) => text),
        };
      }),
    );
    expect(layout.flatMap((chart) => chart.cut)).toEqual([]);
    expect(layout.flatMap((chart) => chart.legendOverBars)).toEqual([]);
    // Each chart's table shows all its columns without scrolling (beside the chart, the last ones were hidden).
    await expect(office.page.locator('.chart-body .table-scroll').evaluateAll((regions) => regions.filter((region) => region.scrollWidth > region.clientWidth + 1).map((region) => region.getAttribute('aria-labelledby')))).resolves.toEqual([]);
    const participants = office.page.getByRole('table', { name: 'Zahlen zur Grafik: Teilnehmende nach Stadtteil' });
    await expect(participants.getByRole('row', { name: /Erfttal/ }).locator('td').allTextContents()).resolves.toEqual(['40', '40', '42']);
    const money = office.page.getByRole('table', { name: 'Zahlen zur Grafik: Fördergeld nach Handlungsfeld' });
    // Amounts carry a no-break space before the euro sign.
    await expect(money.getByRole('row', { name: /Sprachförderung/ }).locator('td').allTextContents().then((cells) => cells.map((cell) => cell.replace(/\s/g, ' ')))).resolves.toEqual(['2.800,00 €', '2.800,00 €', '1.000,00 €', '0,00 €']);
    await expect(office.page.getByText('Geprüfte Verwendungsnachweise: 1, mit zusammen 42 erreichten Teilnehmenden.').count()).resolves.toBe(1);
    await expect(office.page.getByText(/^Gestellte Anträge: \d+, davon förderfähig: \d+, gefördert: 1\.$/).count()).resolves.toBe(1);
    await expect(office.page.getByRole('row', { name: /Teilnehmende erreicht/ }).locator('td').textContent()).resolves.toBe('42');

    // The PDF report and the CSV, read back.
    const report = await pdfText(await download(office.page, () => office.page.getByRole('link', { name: `Bericht ${year} für den Integrationsausschuss als PDF` }).click()));
    expect(report).toContain(`Förderaufruf ${year}: ${title}`);
    expect(report).toContain('Teilnehmende erreicht 42');
    expect(report).toContain('Bewilligt 2.800,00 €');
    // A report for the public committee with totals only: not marked as the round table's non-public papers.
    expect(report).toContain('Stadt Neuss · Integrationsamt · Runder Tisch Integrationsförderung');
    expect(report).not.toContain('nicht öffentlich');
    const csv = (await download(office.page, () => office.page.getByRole('link', { name: `Kennzahlen ${year} als CSV` }).click())).toString('utf8');
    const rows: string[][] = parse(csv, { delimiter: ';', bom: true });
    expect(rows[1][rows[0].indexOf('Teilnehmende erreicht')]).toBe('42');
    expect(rows[1][rows[0].indexOf('Ausgezahlt (EUR)')]).toBe('1000,00');

    // Back to the years: the comparison, its downloads and the way back to the call.
    await click(office, 'link', 'Zurück zum Vergleich der Jahre');
    expect(await office.page.getByRole('heading', { level: 1 }).textContent()).toBe('Monitoring der Integrationsförderung');
    await expect(office.page.getByRole('img', { name: 'Teilnehmende nach Jahr' }).count()).resolves.toBe(1);
    const byYear = office.page.getByRole('table', { name: 'Zahlen zur Grafik: Teilnehmende nach Jahr' });
    await expect(byYear.getByRole('row', { name: new RegExp(`^${year}`) }).locator('td').allTextContents()).resolves.toEqual(['40', '42']);
    const yearsPdf = await pdfText(await download(office.page, () => office.page.getByRole('link', { name: 'Bericht aller Jahre als PDF' }).click()));
    expect(yearsPdf).toContain('Integrationsmonitoring: Vergleich der Jahre');
    // No column is narrower than its longest word: „abgeschlossen“ once broke into „a“ and „bgeschlossen“.
    expect(yearsPdf.replace(/\s+/g, ' ')).toContain('Nachweise geprüft und abgeschlossen');
    const yearsCsv: string[][] = parse((await download(office.page, () => office.page.getByRole('link', { name: 'Kennzahlen aller Jahre als CSV' }).click())).toString('utf8'), { delimiter: ';', bom: true });
    expect(yearsCsv.find((row) => row[0] === String(year))![yearsCsv[0].indexOf('Teilnehmende erreicht')]).toBe('42');
    await click(office, 'link', `Monitoring ${year}: ${title}`);
    expect(office.page.url()).toContain(`/monitoring/calls/${callId}`);

    // A call nobody has applied to yet: one plain sentence instead of seven charts of zeros, on the page and in the PDF.
    const api = t.agent();
    const token = await loginAs(api, DEMO.office);
    const empty = (await api.post('/api/v1/calls').set('X-CSRF-Token', token).send({
      year: 2029, title: 'Aufruf ohne Anträge', budgetCents: 1_000_000, fieldsOfAction: ['Sprachförderung'], submissionDeadline: new Date(Date.now() + 86400_000).toISOString(),
      fundingPeriodStart: '2029-04-01', fundingPeriodEnd: '2029-12-31', financeType: 'deficit', maxAmountCents: 500_000, minOwnContributionPercent: 10,
      costCategories: ['Honorare'], requiredAttachments: [], declarations: ['Die Maßnahme ist offen für alle.'], reportDueMonths: 6,
    }).expect(201)).body.id as string;
    await t.dataSource.query(`UPDATE funding_call SET status = 'published' WHERE id = $1`, [empty]);
    await office.goto(`/monitoring/calls/${empty}`);
    await expect(office.page.getByText('Zu diesem Förderaufruf ist noch kein Antrag eingegangen.').count()).resolves.toBe(1);
    await expect(office.page.locator('svg[role="img"]').count()).resolves.toBe(0);
    const emptyPdf = await pdfText(await download(office.page, () => office.page.getByRole('link', { name: 'Bericht 2029 für den Integrationsausschuss als PDF' }).click()));
    expect(emptyPdf).toContain('Zu diesem Förderaufruf ist noch kein Antrag eingegangen');
    expect(emptyPdf).not.toContain('Teilnehmende nach Handlungsfeld');

    // The chair reaches it from the member area.
    const chair = await loggedIn(DEMO.chair);
    await chair.goto('/member');
    await click(chair, 'link', 'Zum Monitoring');
    await click(chair, 'link', `Monitoring ${year}: ${title}`);
    await expect(chair.page.getByRole('img', { name: 'Teilnehmende nach Handlungsfeld' }).count()).resolves.toBe(1);
  }, 240_000);

  it('axe-core found no WCAG 2.1 AA violation on any page visited', () => {
    expect(tabs.length).toBe(2);
    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  });
});
