import { describe, expect, it } from '@jest/globals';
import { DEMO } from '../support/app.js';
import { preparedDraft } from '../support/applications.js';
import { browserJourney, browserSkipReason, click, download } from '../support/browser.js';
import { pdfText } from '../support/pdf.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

suite("the office's formal check, in Chromium", () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('the worklist exports its applications as CSV, filtered or not; an ineligible letter is previewed before it is sent', async () => {
    const references: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const prepared = await preparedDraft(journey.app, { title: `Sprachcafé ${i + 1}` });
      const submitted = await prepared.agent.post(`/api/v1/applications/${prepared.applicationId}/submit`).set('X-CSRF-Token', prepared.token).expect(200);
      references.push(submitted.body.referenceNumber);
      ids.push(prepared.applicationId);
    }

    const office = await loggedIn(DEMO.office);
    await click(office, 'link', 'Förderaufrufe');
    await office.page.getByRole('link', { name: /Anträge prüfen/ }).first().click();
    await office.check();

    const csvLink = office.page.getByRole('link', { name: 'Als CSV herunterladen' });
    const all = (await download(office.page, () => csvLink.click())).toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(all[0]).toContain('Aktenzeichen;Titel;Organisation');
    for (const reference of references) expect(all.some((line) => line.startsWith(`${reference};`))).toBe(true);

    // Filtered: the CSV holds what the page shows.
    await office.page.getByLabel('Handlungsfeld').selectOption('Sprachförderung');
    await office.page.getByLabel('Status').selectOption('submitted');
    await click(office, 'button', 'Filtern');
    expect(await office.page.locator('table tbody tr').count()).toBe(2);
    const filtered = (await download(office.page, () => csvLink.click())).toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(filtered.slice(1).map((line) => line.split(';')[0]).sort()).toEqual([...references].sort());

    // Ineligible: a preview page and a draft letter first, the letter goes out only on "Bescheid senden".
    await click(office, 'link', references[0]);
    await office.page.getByLabel(/nicht förderfähig/).check();
    await office.page.getByLabel('Begründung').fill('Das Vorhaben ist eine reine Ferienfreizeit.');
    await click(office, 'button', 'Ergebnis festhalten');
    expect(await office.page.locator('h1').textContent()).toContain('Ablehnungsbescheid prüfen');
    const draft = await download(office.page, () => office.page.getByRole('button', { name: /Vorschau des Bescheids/ }).click());
    expect(await pdfText(draft)).toContain('ENTWURF');
    const [before] = await journey.app.dataSource.query(`SELECT status FROM application WHERE id = $1`, [ids[0]]);
    expect(before.status).toBe('submitted');
    await click(office, 'button', 'Bescheid senden');
    expect(await office.page.getByRole('status').textContent()).toContain('nicht förderfähig');
    const [after] = await journey.app.dataSource.query(`SELECT status FROM application WHERE id = $1`, [ids[0]]);
    expect(after.status).toBe('ineligible');
  });

  it('a long worklist comes a page at a time, with page links that keep the filter', async () => {
    const prepared = await preparedDraft(journey.app, { title: 'Vorlage' });
    const submitted = await prepared.agent.post(`/api/v1/applications/${prepared.applicationId}/submit`).set('X-CSRF-Token', prepared.token).expect(200);
    const columns: string[] = (await journey.app.dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'application' AND is_generated = 'NEVER' AND column_name NOT IN ('id', 'reference_number', 'title')`,
    )).map((row: { column_name: string }) => row.column_name);
    const year = submitted.body.referenceNumber.split('-')[1];
    await journey.app.dataSource.query(
      `INSERT INTO application (reference_number, title, ${columns.join(', ')})
       SELECT 'NE-' || $2::text || '-' || (9000 + n), 'Vorhaben ' || n, ${columns.join(', ')} FROM application, generate_series(1, 60) n WHERE id = $1`,
      [prepared.applicationId, year],
    );

    const office = await loggedIn(DEMO.office);
    await office.goto(`/office/calls/${prepared.callId}/applications?status=submitted`);
    expect(await office.page.locator('table tbody tr').count()).toBe(50);
    const pages = office.page.getByRole('navigation', { name: 'Seiten der Antragsliste' });
    expect(await pages.getByRole('link', { name: 'Seite 1' }).getAttribute('aria-current')).toBe('page');
    await pages.getByRole('link', { name: 'Nächste Seite' }).click();
    await office.check();
    expect(office.page.url()).toContain('status=submitted&page=2');
    expect(await office.page.locator('table tbody tr').count()).toBeGreaterThan(10);
    expect(await office.page.locator('table tbody tr').last().textContent()).toContain(`NE-${year}-9060`);
    expect(await pages.getByRole('link', { name: 'Seite 2' }).getAttribute('aria-current')).toBe('page');
  });

  it('axe-core found no WCAG 2.1 AA violation on any page visited', () => {
    expect(tabs.length).toBe(2);
    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  });
});
