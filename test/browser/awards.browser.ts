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

  it('A drafts, B releases, the association accepts and requests money, A confirms, B orders the payout, the export holds it; every link and button on the way is followed', async () => {
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
    // A completes the first award with a special condition and looks at the letter as it would go out.
    await click(a, 'link', /^Bearbeiten/);
    await a.page.getByLabel('Besondere Nebenbestimmungen').fill('Die Teilnehmendenlisten sind dem Verwendungsnachweis beizufügen.');
    await press(a, /^Speichern/);
    const preview = await pdfText(await download(a.page, () => a.page.getByRole('link', { name: 'Entwurf ansehen (PDF)' }).click()));
    expect(preview).toContain('ENTWURF');
    expect(preview).toContain('Teilnehmendenlisten');
    await click(a, 'link', 'Zurück zu den Bescheiden');

    // Person B releases all three.
    const b = await loggedIn(DEMO.secondOffice);
    await b.goto(`/office/calls/${callId}/decisions`);
    for (let i = 0; i < drafted.length; i++) await press(b, /^Freigeben und versenden/);
    const released = await t.dataSource.query(`SELECT count(*)::int AS n FROM decision WHERE call_id = $1 AND status = 'released' AND id = ANY($2)`, [callId, drafted.map((d) => d.id)]);
    expect(released[0].n).toBe(3);
    const award = drafted.find((d) => d.kind === 'award')!;
    const secondAward = drafted.filter((d) => d.kind === 'award')[1];
    await eventually(async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM decision_letter WHERE decision_id = ANY($1)`, [drafted.map((d) => d.id)]))[0].n === 3);

    // The office reads the letters as sent and opens an application from the list; nothing is left
    // on the waiting list; once the call is in review, A marks it decided.
    await a.page.reload();
    await a.check();
    const sent = await pdfText(await download(a.page, () => a.page.getByRole('link', { name: /^Bescheid \(PDF\)/ }).first().click()));
    expect(sent).toMatch(/Zuwendungsbescheid|Ablehnungsbescheid/);
    expect(sent).not.toContain('ENTWURF');
    await press(a, /^Ablehnungen für die Nachrückliste entwerfen/);
    await t.dataSource.query(`UPDATE funding_call SET status = 'in_review' WHERE id = $1`, [callId]);
    await a.page.reload();
    await a.check();
    await press(a, /^Förderaufruf als entschieden markieren/);
    const [{ status: callStatus }] = await t.dataSource.query(`SELECT status FROM funding_call WHERE id = $1`, [callId]);
    expect(callStatus).toBe('decided');
    const [{ firstReference }] = await t.dataSource.query(`SELECT reference_number AS "firstReference" FROM application WHERE id = $1`, [award.applicationId]);
    await click(a, 'link', firstReference);
    await a.page.goBack();
    await a.check();

    // A voting member reads the same page without names or buttons, and goes on to the ranking.
    const member = await loggedIn(DEMO.voting);
    await member.goto(`/office/calls/${callId}/decisions`);
    expect(await member.page.getByRole('button').filter({ hasText: /Freigeben|entwerfen/ }).count()).toBe(0);
    await click(member, 'link', 'Zur Rangfolge und Vergabe');

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
    // The second award is accepted first and the remedy waived afterwards.
    await association.goto(`/applications/${secondAward.applicationId}`);
    await press(association, /^Bescheid annehmen/);
    await press(association, /^Ich verzichte auf Rechtsbehelfe/);
    expect(await association.page.getByRole('note').first().textContent()).toContain('auf Rechtsbehelfe verzichtet');

    // A confirms the request as correct, B orders the payout.
    await a.goto(`/office/calls/${callId}/decisions`);
    await click(a, 'link', 'Zurück zum Förderaufruf');
    await click(a, 'link', 'Mittelabrufe');
    await press(a, /^Sachlich richtig bestätigen/);
    await b.goto(`/office/calls/${callId}/payments`);
    await press(b, /^Auszahlung anordnen/);
    const [payout] = await t.dataSource.query(`SELECT status, value_date::text AS "valueDate" FROM payment_request WHERE decision_id = $1`, [award.id]);
    expect(payout).toEqual({ status: 'released', valueDate: berlinDay(new Date()) });

    // A second request on the same award is refused with a reason; its amount is open again.
    await association.goto(`/applications/${award.applicationId}`);
    await association.page.getByLabel('Betrag in Euro').fill('100,00');
    await association.page.getByLabel('Benötigt am').fill(berlinDay(new Date()));
    await association.page.getByLabel('Wofür').fill('Raummiete');
    await press(association, /^Mittel abrufen/);
    await a.goto(`/office/calls/${callId}/decisions`);
    await click(a, 'link', 'Mittelabrufe und Auszahlungen');
    await a.page.getByText(/^Abruf ablehnen/).first().click();
    await a.page.getByLabel('Grund der Ablehnung').fill('Die Raummiete ist nicht Teil des Finanzierungsplans.');
    await press(a, /^Ablehnen/);
    const [refused] = await t.dataSource.query(`SELECT status, rejection_reason AS reason FROM payment_request WHERE decision_id = $1 AND amount_cents = 10000`, [award.id]);
    expect(refused).toEqual({ status: 'rejected', reason: 'Die Raummiete ist nicht Teil des Finanzierungsplans.' });

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
    expect(tabs.length).toBe(4);
    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  });
});
