import { describe, expect, it } from '@jest/globals';
import { DEMO } from '../support/app.js';
import { browserJourney, browserSkipReason, click } from '../support/browser.js';
import { reportOfAward } from '../support/reports.js';
import { plain } from '../support/text.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

const CSV = [
  'Belegdatum;Empfänger;Zweck;Betrag (EUR);Kostenposition;Bezahlt am',
  '01.03.2027;Kursleitung Ayşe Yılmaz;Honorar März bis Mai;2.000,00;1;05.03.2027',
  '01.06.2027;Kursleitung Ayşe Yılmaz;Honorar Juni;1.000,00;1;03.06.2027',
  '10.04.2027;Schreibwaren Müller;Material;500,00;2;12.04.2027',
].join('\r\n');

suite('the usage report, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('the association fills in and submits its report; two office people check it and close it with the settlement', async () => {
    const t = journey.app;
    const { reportId, award } = await reportOfAward(t, { paidCents: 100_000 });

    // The association finds the report on its application page and fills it in.
    const association = await loggedIn(DEMO.applicant);
    await association.goto(`/applications/${award.applicationId}`);
    await click(association, 'link', 'Verwendungsnachweis öffnen');
    const page = association.page;
    expect(await page.locator('h1').textContent()).toContain('Verwendungsnachweis');
    await page.getByLabel('Was wurde gemacht?').fill('Zwölf Treffen des Sprachcafés.');
    await page.getByLabel('Welche Ziele wurden erreicht?').fill('Sicherer im Alltag sprechen.');
    await page.getByLabel('Wer wurde erreicht?').fill('Neu zugewanderte Familien.');
    await page.getByLabel('ja', { exact: true }).check();
    await page.getByLabel('Tatsächlich, Position 1').fill('3.000,00');
    await page.getByLabel('Tatsächlich, Position 2').fill('500');
    await page.getByLabel('Eigenmittel in Euro').fill('500,00');
    await page.getByLabel(/^Drittmittel/).fill('200,00');
    await page.getByLabel(/^Sonstige Einnahmen/).fill('0');
    await page.getByLabel('Teilnehmende insgesamt').fill('42');
    await page.getByLabel('Veranstaltung oder Gruppe 1').fill('Sprachcafé');
    await page.getByLabel('Anzahl 1').fill('42');
    await click(association, 'button', 'Entwurf speichern und prüfen');
    expect(await page.getByRole('status').textContent()).toContain('Einige Prüfungen sind noch nicht erfüllt');
    expect(plain(await page.getByRole('region', { name: 'Prüfungen' }).textContent())).toContain('Die Belege zu Position 1 ergeben 0,00 €');

    // The receipt list from the spreadsheet.
    await page.getByLabel('CSV-Datei').setInputFiles({ name: 'belege.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await click(association, 'button', 'Einlesen');
    expect(await page.getByRole('status').textContent()).toContain('Belegliste ist eingelesen');
    expect(await page.getByRole('region', { name: 'Prüfungen' }).textContent()).toContain('Alle Prüfungen sind erfüllt');
    await click(association, 'button', 'Verwendungsnachweis einreichen');
    expect(await page.getByRole('status').textContent()).toContain('eingereicht');

    // Office person A starts the check, finds on each receipt and records the content check.
    const a = await loggedIn(DEMO.office);
    await a.goto('/office/reports?status=submitted');
    await click(a, 'link', /^NE-\d{4}-\d{4}$/);
    await click(a, 'button', 'Prüfung beginnen');
    const findings: [string, string, string][] = [['reduced', '1.900,00', 'Ein Termin fiel aus.'], ['admitted', '', ''], ['refused', '', 'Kein Bezug zur Maßnahme.']];
    for (const [index, [finding, amount, reason]] of findings.entries()) {
      const form = a.page.locator('form[action$="/finding"]').nth(index);
      await form.getByLabel('Prüfergebnis').selectOption(finding);
      if (amount) await form.getByLabel(/Anerkannter Betrag/).fill(amount);
      if (reason) await form.getByLabel(/Begründung/).fill(reason);
      await form.getByRole('button', { name: /Ergebnis speichern/ }).click();
      await a.page.waitForLoadState('load');
      await a.check();
      expect(await a.page.getByRole('status').textContent()).toContain('Prüfergebnis ist gespeichert');
    }
    await click(a, 'button', /Inhaltliche Prüfung vermerken/);

    // Office person B records the figures check and closes.
    const b = await loggedIn(DEMO.secondOffice);
    await b.goto(`/office/reports/${reportId}`);
    await click(b, 'button', /Rechnerische Prüfung vermerken/);
    expect(await b.page.getByRole('table', { name: /Schlussabrechnung nach den bisherigen Prüfergebnissen/ }).count()).toBe(1);
    await click(b, 'button', /Prüfung abschließen/);
    expect(await b.page.getByRole('status').textContent()).toContain('Prüfung ist abgeschlossen');
    expect(plain(await b.page.getByRole('table', { name: 'Berechnung der endgültigen Zuwendung' }).textContent())).toContain('1.200,00 €');

    // The association reads the settlement in plain words.
    await association.goto(`/reports/${reportId}`);
    expect(plain(await page.getByRole('region', { name: 'Schlussabrechnung' }).textContent())).toContain('die Stadt zahlt Ihnen noch 1.200,00 €');

    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  }, 180_000);
});
