import { describe, expect, it } from '@jest/globals';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, eventually } from '../support/app.js';
import { browserJourney, browserSkipReason, click, download } from '../support/browser.js';
import { pdfText } from '../support/pdf.js';
import { reportOfAward } from '../support/reports.js';
import { plain } from '../support/text.js';

const german = (day: string) => day.split('-').reverse().join('.');

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

const CSV = [
  'Belegdatum;Empfänger;Zweck;Betrag (EUR);Kostenposition;Bezahlt am',
  '01.03.2027;Kursleitung Ayşe Yılmaz;Honorar März bis Mai;2.000,00;1;05.03.2027',
  '01.06.2027;Kursleitung Ayşe Yılmaz;Honorar Juni;1.000,00;1;03.06.2027',
  '10.04.2027;Schreibwaren Müller;Material;500,00;2;12.04.2027',
].join('\r\n');

suite('after the award: the usage report, the settlement with a repayment claim, and a site visit, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('the association submits its report with a CSV receipt list, answers a clarification; the office admits it with one receipt reduced; the repayment claim with interest reaches the association; the office records a visit and the round table reads the visit report', async () => {
    const t = journey.app;
    // The whole award (2.800 €) was paid out.
    const { reportId, award, callId } = await reportOfAward(t, { paidCents: 280_000 });
    const [{ referenceNumber, year }] = await t.dataSource.query(
      `SELECT a.reference_number AS "referenceNumber", c.year FROM application a JOIN funding_call c ON c.id = a.call_id WHERE a.id = $1`,
      [award.applicationId],
    );

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

    // The receipt list from the spreadsheet, in the columns of the template the page offers.
    const template = (await download(page, () => page.getByRole('link', { name: 'Vorlage herunterladen (CSV)' }).click())).toString('utf8').replace(/^\uFEFF/, '');
    expect(template.split(/\r?\n/)[0]).toContain('Belegdatum;Empfänger;Zweck;Betrag (EUR)');
    await page.getByLabel('CSV-Datei').setInputFiles({ name: 'belege.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await click(association, 'button', 'Einlesen');
    expect(await page.getByRole('status').textContent()).toContain('Belegliste ist eingelesen');
    expect(await page.getByRole('region', { name: 'Prüfungen' }).textContent()).toContain('Alle Prüfungen sind erfüllt');
    await click(association, 'button', 'Verwendungsnachweis einreichen');
    expect(await page.getByRole('status').textContent()).toContain('eingereicht');

    // Office person A starts the check, finds on each receipt and records the content check.
    const a = await loggedIn(DEMO.office);
    await a.goto('/office/reports?status=submitted');
    const worklist = (await download(a.page, () => a.page.getByRole('link', { name: 'Gefilterte Liste als CSV' }).click())).toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(worklist[0]).toContain('Aktenzeichen');
    expect(worklist.slice(1).filter((line) => line.includes(referenceNumber))).toHaveLength(1);
    await click(a, 'link', referenceNumber);
    await click(a, 'link', 'Zur Liste der Verwendungsnachweise');
    await click(a, 'link', referenceNumber);
    await click(a, 'button', 'Prüfung beginnen');

    // A asks back; the association answers by splitting the participants into their groups and submits again.
    await a.page.getByLabel('Ihre Frage').fill('Bitte teilen Sie die Teilnehmenden nach Sprachcafé und Kinderbetreuung auf.');
    await click(a, 'button', 'Rückfrage senden');
    await association.goto(`/reports/${reportId}`);
    expect(await page.getByRole('region', { name: 'Rückfrage der Geschäftsstelle' }).textContent()).toContain('nach Sprachcafé und Kinderbetreuung');
    await page.getByLabel('Anzahl 1').fill('30');
    await page.getByLabel('Veranstaltung oder Gruppe 2').fill('Kinderbetreuung');
    await page.getByLabel('Anzahl 2').fill('12');
    await click(association, 'button', 'Entwurf speichern und prüfen');
    await click(association, 'button', 'Verwendungsnachweis einreichen');
    expect(await page.getByRole('status').textContent()).toContain('eingereicht');
    await a.page.reload();
    await a.check();
    await click(a, 'button', 'Prüfung beginnen');

    const findings: [string, string, string][] = [['reduced', '1.900,00', 'Ein Termin fiel aus.'], ['admitted', '', ''], ['admitted', '', '']];
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
    // Admitted 3.400 € less own funds 500 € and third-party funds 200 €: 2.700 € due, 2.800 € paid.
    const settlement = plain(await b.page.getByRole('table', { name: 'Berechnung der endgültigen Zuwendung' }).textContent());
    expect(settlement).toContain('3.400,00 €');
    expect(settlement).toContain('2.700,00 €');
    expect(settlement).toContain('100,00 €');

    // The association reads the settlement in plain words.
    await association.goto(`/reports/${reportId}`);
    expect(plain(await page.getByRole('region', { name: 'Schlussabrechnung' }).textContent())).toContain('100,00 €');

    // A drafts the repayment claim with interest from the check page; B releases it.
    await a.page.reload();
    await a.check();
    await click(a, 'link', 'Zur Rückforderung');
    await click(a, 'button', 'Entwurf speichern');
    expect(await a.page.getByRole('status').textContent()).toContain('Entwurf der Rückforderung ist gespeichert');
    const interest = plain(await a.page.getByRole('table', { name: /Zinsen: fünf Prozentpunkte/ }).textContent());
    expect(interest).toMatch(/\d+,\d{2} €/);
    await b.goto(`/office/reports/${reportId}/claim`);
    await click(b, 'button', 'Rückforderung freigeben');
    expect(await b.page.getByRole('status').textContent()).toContain('freigegeben');
    const [{ paymentDueOn, interestCents }] = await t.dataSource.query(
      `SELECT payment_due_on::text AS "paymentDueOn", interest_cents::int AS "interestCents" FROM repayment_claim WHERE report_id = $1`,
      [reportId],
    );
    expect(interestCents).toBeGreaterThan(0);

    // The association finds the claim on its application page and downloads the letter.
    await eventually(async () => (await t.dataSource.query(`SELECT 1 FROM repayment_claim_letter l JOIN repayment_claim c ON c.id = l.claim_id WHERE c.report_id = $1`, [reportId])).length === 1, 45_000, 'letter');
    await association.goto(`/applications/${award.applicationId}`);
    await click(association, 'link', 'Berechnung und Bescheid ansehen');
    const letter = plain(await pdfText(await download(page, () => page.getByRole('link', { name: 'Rückforderungsbescheid (PDF)' }).click())));
    expect(letter).toContain('Rückforderungsbescheid');
    expect(letter).toContain('100,00 €');
    expect(letter).toContain(`${(interestCents / 100).toFixed(2).replace('.', ',')} €`);
    expect(letter).toContain(german(paymentDueOn));

    // A plans a visit to the project and records its protocol.
    const today = berlinDay(new Date());
    await a.goto(`/office/calls/${callId}/visits`);
    await a.page.locator('summary', { hasText: 'Besuch planen' }).first().click();
    await a.page.getByLabel('Datum des Besuchs').fill(today);
    // Keyboard users see where they are in a date field too (Chromium focuses its inner day, month and year).
    expect(await a.page.getByLabel('Datum des Besuchs').evaluate((field) => getComputedStyle(field).outlineStyle)).toBe('solid');
    await a.page.getByLabel('Mitarbeitende').fill('Jonas Becker');
    await click(a, 'button', /^Besuch planen/);
    await a.page.getByLabel('Tag des Besuchs').fill(today);
    for (const point of ['Aktivität wie beantragt durchgeführt', 'Zielgruppe erreicht', 'Offen für alle', 'Teilnehmende anwesend', 'Öffentlichkeitsarbeit nennt die Stadt als Förderin']) {
      await a.page.getByRole('group', { name: point }).getByLabel('ja', { exact: true }).check();
    }
    await a.page.getByLabel('Notizen').fill('Sprachcafé mit 14 Teilnehmenden, Plakat mit Stadtlogo.');
    await click(a, 'button', /^Protokoll speichern/);
    expect(await a.page.getByRole('status').textContent()).toContain('Das Protokoll ist gespeichert');

    // The chair downloads the call's visit report: the project with its visit, its report and the 42 reached.
    const chair = await loggedIn(DEMO.chair);
    await chair.goto('/member');
    await click(chair, 'link', 'Zu den Besuchsberichten');
    const visitReport = plain(await pdfText(await download(chair.page, () => chair.page.getByRole('link', { name: new RegExp(`^Besuchsbericht ${year} \\(PDF\\)`) }).first().click())));
    expect(visitReport).toContain(referenceNumber);
    expect(visitReport).toContain(`Besuch am ${german(today)} durch Jonas Becker`);
    expect(visitReport).toContain('erreicht 42');

    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  }, 300_000);
});
