import { describe, expect, it } from '@jest/globals';
import { DEMO } from '../support/app.js';
import { PDF_FILE } from '../support/applications.js';
import { browserJourney, browserSkipReason, click } from '../support/browser.js';
import { plain } from '../support/text.js';

/** Amounts are written with a no-break space before the euro sign. */

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

suite('an application from draft to eligible, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('the association drafts, uploads, submits; the office asks for a change; the association resubmits; the office marks it eligible', async () => {
    const [call] = await journey.app.dataSource.query(`SELECT id, funding_period_start::text AS start, funding_period_end::text AS end FROM funding_call WHERE status = 'published'`);

    // The association drafts an application with a finance plan.
    const applicant = await loggedIn(DEMO.applicant);
    await click(applicant, 'link', 'Förderaufrufe');
    await applicant.page.getByRole('link', { name: /Integrationsprojekte in Neuss/ }).click();
    await applicant.check();
    await click(applicant, 'link', 'Antrag stellen');
    await applicant.page.getByLabel('Organisation').selectOption({ label: 'Raum der Kulturen Neuss e.V.' });
    await applicant.page.getByLabel('Titel des Projekts').fill('Sprachcafé im Erfttal');
    await click(applicant, 'button', 'Antrag anlegen');

    const page = applicant.page;
    await page.getByLabel('Handlungsfeld').selectOption('Sprachförderung');
    await page.getByLabel('Zielgruppe').fill('Neu zugewanderte Familien');
    await page.getByLabel('Stadtteil, in dem das Projekt stattfindet').selectOption('Erfttal');
    await page.getByLabel('Beginn').fill(call.start);
    await page.getByLabel('Ende', { exact: true }).fill(call.end);
    await page.getByLabel('Erwartete Teilnehmende').fill('40');
    await page.getByLabel('Beschreibung des Projekts').fill('Ein wöchentliches Sprachcafé mit Kinderbetreuung.');
    await page.getByLabel('Ziele').fill('Alltagsdeutsch üben und Nachbarschaft stärken.');
    await page.getByLabel('Vorgehen und Methoden').fill('Gesprächsrunden, Spiele, Ausflüge.');
    await page.getByLabel('Offenheit für alle').fill('Kostenfrei, offen für alle, barrierearmer Raum.');
    await page.getByLabel('Kostenposition 1: Kostenart').selectOption('Honorare');
    await page.getByLabel('Kostenposition 1: Beschreibung').fill('Kursleitung 40 Stunden');
    await page.getByLabel('Kostenposition 1: Betrag in Euro').fill('3.000,00');
    await page.getByLabel('Kostenposition 2: Kostenart').selectOption('Sachkosten');
    await page.getByLabel('Kostenposition 2: Beschreibung').fill('Material und Getränke');
    await page.getByLabel('Kostenposition 2: Betrag in Euro').fill('500,00');
    await page.getByLabel('Eigenmittel in Euro').fill('500,00');
    await page.getByLabel('Drittmittel 1: Geldgeber').fill('Bürgerstiftung Neuss');
    await page.getByLabel('Drittmittel 1: Betrag in Euro').fill('200,00');
    await page.getByLabel('Drittmittel 1: Stand').selectOption('applied');
    await page.getByLabel('Beantragter Betrag in Euro').fill('2.900,00');
    // The running total follows the typing and says by how much the plan is off.
    await page.getByText('Die Mittel sind um 100,00 € höher als die Gesamtkosten.').waitFor();
    expect(plain(await page.locator('#finance-sums [data-sum="totalCostsCents"]').textContent())).toBe('3.500,00 €');
    expect(plain(await page.locator('#finance-sums [data-sum="fundsCents"]').textContent())).toBe('3.600,00 €');
    expect(await page.locator('#finance-status').getAttribute('aria-live')).toBe('polite');
    // With the sums kept current while typing, the hint that they are computed on saving is gone.
    expect(await page.getByText('(beim Speichern berechnet)').first().isVisible()).toBe(false);
    expect(await page.getByText('(beim Speichern berechnet)').last().isVisible()).toBe(false);
    for (const box of await page.locator('#f-declarations input[type=checkbox]').all()) await box.check();
    await click(applicant, 'button', 'Entwurf speichern');
    expect(await page.getByRole('status').textContent()).toContain('Entwurf ist gespeichert');

    // Going on to submit names what is still wrong next to the field: the plan does not balance (with its sums), attachments are missing.
    await click(applicant, 'button', 'Speichern und weiter zur Prüfung');
    expect(await page.locator('#f-requestedCents-error').textContent()).toContain('geht nicht auf');
    expect(plain(await page.locator('#f-requestedCents-error').textContent())).toContain('3.600,00 €');
    await page.getByLabel('Beantragter Betrag in Euro').fill('2.800,00');
    await click(applicant, 'button', 'Entwurf speichern');

    // Uploads: the required attachments.
    await page.goto(page.url().replace(/\/edit.*$/, ''));
    await applicant.check();
    for (const kind of ['Satzung', 'Freistellungsbescheid des Finanzamts']) {
      await page.getByLabel('Art der Anlage').selectOption(kind);
      await page.locator('#f-file').setInputFiles({ name: `${kind}.pdf`, mimeType: 'application/pdf', buffer: PDF_FILE });
      await click(applicant, 'button', 'Hochladen');
      expect(await page.getByRole('status').textContent()).toContain('hochgeladen');
    }

    // Review the whole application, then submit it from the review page before the deadline, and see the receipt.
    await click(applicant, 'link', 'Prüfen und einreichen');
    expect(await page.locator('h1').textContent()).toBe('Antrag prüfen und einreichen');
    const review = plain(await page.locator('#main').textContent());
    for (const text of ['Ein wöchentliches Sprachcafé mit Kinderbetreuung.', 'Alltagsdeutsch üben und Nachbarschaft stärken.', 'Gesprächsrunden, Spiele, Ausflüge.',
      'Kursleitung 40 Stunden', 'Bürgerstiftung Neuss', '2.800,00 €', 'Satzung.pdf', 'Was eingereicht wird']) {
      expect(review).toContain(text);
    }
    const [{ status: beforeSubmit }] = await journey.app.dataSource.query(`SELECT status FROM application WHERE title = 'Sprachcafé im Erfttal'`);
    expect(beforeSubmit).toBe('draft');
    await click(applicant, 'button', 'Jetzt verbindlich einreichen');
    expect(await page.locator('h1').textContent()).toBe('Ihr Antrag ist eingegangen');
    const reference = (await page.getByRole('status').locator('strong').textContent())!;
    expect(reference).toMatch(/^NE-\d{4}-\d{4}$/);

    // The office requests a change.
    const office = await loggedIn(DEMO.office);
    await click(office, 'link', 'Förderaufrufe');
    await office.page.getByRole('link', { name: /Anträge prüfen/ }).first().click();
    await office.check();
    await click(office, 'link', reference);
    await office.page.getByLabel('Änderungen erbitten').check();
    await office.page.getByLabel('Nachricht an die Antragstellenden').fill('Bitte beschreiben Sie die Zielgruppe genauer.');
    await office.page.getByLabel('Erneut einreichen bis').fill(new Date(Date.now() + 14 * 86400_000).toISOString().slice(0, 10));
    await click(office, 'button', 'Ergebnis festhalten');
    expect(await office.page.getByRole('status').textContent()).toContain('Bitte um Änderungen ist verschickt');

    // The association resubmits.
    await click(applicant, 'link', 'Zum Antrag');
    expect(await page.getByRole('note').textContent()).toContain('Bitte beschreiben Sie die Zielgruppe genauer.');
    await click(applicant, 'link', 'Antrag bearbeiten');
    await page.getByLabel('Zielgruppe').fill('Neu zugewanderte Familien mit Kindern unter sechs Jahren');
    await click(applicant, 'button', 'Speichern und weiter zur Prüfung');
    await page.getByLabel('Ihre Antwort an die Geschäftsstelle').fill('Die Zielgruppe ist jetzt genauer beschrieben.');
    await click(applicant, 'button', 'Jetzt verbindlich einreichen');
    expect(await page.locator('h1').textContent()).toBe('Ihr Antrag ist eingegangen');
    await click(applicant, 'link', 'Zum Antrag');
    expect(await page.locator('#main').textContent()).toContain('Einreichung 2');
    expect(await page.locator('#main').textContent()).toContain('Geändert: Zielgruppe');
    expect(await page.locator('#main').textContent()).toContain('Die Zielgruppe ist jetzt genauer beschrieben.');

    // The office reads the reply in the dossier and marks the application eligible.
    await office.page.reload();
    await office.check();
    expect(await office.page.locator('#main').textContent()).toContain('Die Zielgruppe ist jetzt genauer beschrieben.');
    for (const box of await office.page.locator('#f-checks input[type=checkbox]').all()) await box.check();
    await office.page.getByLabel(/förderfähig – kommt auf die Tagesordnung/).check();
    await click(office, 'button', 'Ergebnis festhalten');
    expect(await office.page.getByRole('status').textContent()).toContain('förderfähig');
    const [row] = await journey.app.dataSource.query(`SELECT status, submission_count FROM application WHERE reference_number = $1`, [reference]);
    expect(row).toEqual({ status: 'eligible', submission_count: 2 });
  });

  it('axe-core found no WCAG 2.1 AA violation on any page visited', () => {
    expect(tabs.length).toBe(2);
    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  });
});
