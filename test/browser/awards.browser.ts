import { describe, expect, it } from '@jest/globals';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, eventually } from '../support/app.js';
import { decidedTable } from '../support/awards.js';
import { browserJourney, browserSkipReason, click, download, type CheckedPage } from '../support/browser.js';
import { pdfText } from '../support/pdf.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

/** Clicks the first button whose name starts with `name` and checks the page it leads to. */
async function press(tab: CheckedPage, name: RegExp): Promise<void> {
  await tab.page.getByRole('button', { name }).first().click();
  await tab.page.waitForLoadState('load');
  await tab.check();
}

suite('from the allocation to the payout, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('A drafts, B releases, the association accepts and requests money, A confirms, B orders the payout, the export holds it', async () => {
    const t = journey.app;
    const { callId } = await decidedTable(t, 2, 1);

    // Office person A drafts the decisions of the confirmed allocation: two awards, one rejection.
    const a = await loggedIn(DEMO.office);
    await a.goto(`/office/calls/${callId}`);
    await click(a, 'link', 'Bescheide');
    await press(a, /^Bescheide entwerfen/);
    const drafted: { id: string; kind: string; applicationId: string }[] = await t.dataSource.query(
      `SELECT id, kind, application_id AS "applicationId" FROM decision WHERE call_id = $1 AND status = 'draft' ORDER BY kind`,
      [callId],
    );
    expect(drafted.map((d) => d.kind)).toEqual(['award', 'award', 'rejection']);
    // A drafted them, so A cannot release them: the buttons are off and say why.
    expect(await a.page.getByRole('button', { name: /Freigeben und versenden/ }).first().isDisabled()).toBe(true);

    // Person B releases all three.
    const b = await loggedIn(DEMO.secondOffice);
    await b.goto(`/office/calls/${callId}/decisions`);
    for (let i = 0; i < drafted.length; i++) await press(b, /^Freigeben und versenden/);
    const released = await t.dataSource.query(`SELECT count(*)::int AS n FROM decision WHERE call_id = $1 AND status = 'released' AND id = ANY($2)`, [callId, drafted.map((d) => d.id)]);
    expect(released[0].n).toBe(3);
    const award = drafted.find((d) => d.kind === 'award')!;
    await eventually(async () => (await t.dataSource.query(`SELECT 1 FROM decision_letter WHERE decision_id = $1`, [award.id])).length === 1);

    // The association reads its letter, accepts it and waives the remedy, then requests money.
    const association = await loggedIn(DEMO.applicant);
    await association.goto(`/applications/${award.applicationId}`);
    const [{ reference }] = await t.dataSource.query(`SELECT reference_number AS reference FROM application WHERE id = $1`, [award.applicationId]);
    const letter = await download(association.page, () => association.page.getByRole('link', { name: 'Zuwendungsbescheid herunterladen (PDF)' }).click());
    const text = await pdfText(letter);
    expect(text).toContain('Zuwendungsbescheid');
    expect(text).toContain(reference);
    expect(text).toContain('in Worten');
    await association.page.getByLabel(/Ich verzichte auf Rechtsbehelfe/).check();
    await press(association, /^Bescheid annehmen/);
    expect(await association.page.getByRole('note').first().textContent()).toContain('auf Rechtsbehelfe verzichtet');
    await association.page.getByLabel('Betrag in Euro').fill('500,00');
    await association.page.getByLabel('Benötigt am').fill(berlinDay(new Date()));
    await association.page.getByLabel('Wofür').fill('Honorare der Kursleitung');
    await press(association, /^Mittel abrufen/);
    expect(await association.page.getByRole('region', { name: 'Ihre Mittelabrufe' }).textContent()).toContain('500,00');

    // A confirms the request as correct, B orders the payout.
    await a.goto(`/office/calls/${callId}`);
    await click(a, 'link', 'Mittelabrufe');
    await press(a, /^Sachlich richtig bestätigen/);
    await b.goto(`/office/calls/${callId}/payments`);
    await press(b, /^Auszahlung anordnen/);
    const [payout] = await t.dataSource.query(`SELECT status, value_date::text AS "valueDate" FROM payment_request WHERE decision_id = $1`, [award.id]);
    expect(payout).toEqual({ status: 'released', valueDate: berlinDay(new Date()) });

    // A exports the payouts for the treasury: the payout is in both files.
    await click(a, 'link', 'Exporte an die Stadtkasse');
    await press(a, /^Export erstellen/);
    const [{ iban }] = await t.dataSource.query(
      `SELECT o.iban FROM application ap JOIN organisation o ON o.id = ap.organisation_id WHERE ap.id = $1`,
      [award.applicationId],
    );
    const csv = (await download(a.page, () => a.page.getByRole('link', { name: /Zahlungsanordnung \(CSV\)/ }).first().click())).toString('utf8');
    expect(csv).toContain(iban);
    expect(csv).toContain('500,00');
    expect(csv).toContain(reference);
    const sepa = (await download(a.page, () => a.page.getByRole('link', { name: /SEPA-Überweisungen \(XML\)/ }).first().click())).toString('utf8');
    expect(sepa).toContain('pain.001.001.09');
    expect(sepa).toContain(iban);
    expect(sepa).toContain('<InstdAmt Ccy="EUR">500.00</InstdAmt>');

    // The base rates the interest on repayments is computed from: A enters the next one.
    await click(a, 'link', 'Basiszinssätze');
    await a.page.getByLabel('Gültig ab').fill('2027-01-01');
    await a.page.getByLabel('Satz in Prozent').fill('1,52');
    await press(a, /^Satz speichern/);
    expect(await a.page.getByRole('region', { name: /Basiszinssätze/ }).textContent()).toContain('1,52 %');
  }, 240_000);

  it('axe-core found no WCAG 2.1 AA violation on any page visited', () => {
    expect(tabs.length).toBe(3);
    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  });
});
