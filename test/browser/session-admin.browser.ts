import { describe, expect, it } from '@jest/globals';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, loginAs } from '../support/app.js';
import { ALL_CHECKS, preparedDraft } from '../support/applications.js';
import { browserJourney, browserSkipReason, click } from '../support/browser.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;
const DAY = 86_400_000;

suite('the office moves and cancels a session, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('the office schedules a session, moves it, and cancels it with a reason; the application is eligible again', async () => {
    const t = journey.app;
    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    const draft = await preparedDraft(t);
    const submitted = await draft.agent.post(`/api/v1/applications/${draft.applicationId}/submit`).set('X-CSRF-Token', draft.token).expect(200);
    await office.post(`/api/v1/applications/${draft.applicationId}/decision`).set('X-CSRF-Token', officeToken).send({ outcome: 'eligible', checks: ALL_CHECKS, version: submitted.body.version }).expect(200);

    const clerk = await loggedIn(DEMO.office);
    await click(clerk, 'link', 'Sitzungen');
    await click(clerk, 'link', 'Sitzung ansetzen');
    // A date in the past is refused at the field, and what was typed stays.
    await clerk.page.getByLabel('Datum').fill(berlinDay(new Date(Date.now() - DAY)));
    await clerk.page.getByLabel('Uhrzeit').fill('17:00');
    await clerk.page.getByLabel('Ort').fill('Rathaus Neuss, Ratssaal');
    await click(clerk, 'button', 'Sitzung ansetzen');
    expect(await clerk.page.locator('#f-date-error').textContent()).toContain('Zukunft');
    expect(await clerk.page.getByLabel('Ort').inputValue()).toBe('Rathaus Neuss, Ratssaal');
    await clerk.page.getByLabel('Datum').fill(berlinDay(new Date(Date.now() + 7 * DAY)));
    await click(clerk, 'button', 'Sitzung ansetzen');
    expect(await clerk.page.getByRole('status').textContent()).toContain('Sitzung ist angesetzt');
    const sessionPath = new URL(clerk.page.url()).pathname;

    // Changing the session: leaving the form changes nothing, saving tells the members.
    await click(clerk, 'link', 'Sitzung ändern');
    expect(await clerk.page.getByLabel('Ort').inputValue()).toBe('Rathaus Neuss, Ratssaal');
    await click(clerk, 'link', 'Abbrechen');
    expect(new URL(clerk.page.url()).pathname).toBe(sessionPath);
    await click(clerk, 'link', 'Sitzung ändern');
    await clerk.page.getByLabel('Datum').fill(berlinDay(new Date(Date.now() + 14 * DAY)));
    await clerk.page.getByLabel('Ort').fill('Zeughaus Neuss, Markt 42');
    await click(clerk, 'button', 'Änderungen speichern und Mitglieder benachrichtigen');
    expect(await clerk.page.getByRole('status').textContent()).toContain('geänderte Einladung');
    expect(await clerk.page.locator('.lead').first().textContent()).toContain('Zeughaus Neuss, Markt 42');

    // Cancelling asks for a reason and a confirmation; going back keeps the session.
    await click(clerk, 'link', 'Sitzung absagen');
    expect(await clerk.page.locator('#main').textContent()).toContain(submitted.body.referenceNumber);
    await click(clerk, 'link', 'Zurück, nicht absagen');
    expect(new URL(clerk.page.url()).pathname).toBe(sessionPath);
    await click(clerk, 'link', 'Sitzung absagen');
    await click(clerk, 'button', 'Sitzung endgültig absagen');
    expect(await clerk.page.locator('#f-cancellationReason-error').textContent()).toContain('Bitte ausfüllen');
    // the summary names the field as its label does
    expect(await clerk.page.locator('#error-summary').textContent()).toContain('Grund der Absage');
    await clerk.page.getByLabel('Grund der Absage').fill('Der Ratssaal steht nicht zur Verfügung.');
    await click(clerk, 'button', 'Sitzung endgültig absagen');
    expect(await clerk.page.getByRole('status').textContent()).toContain('Sitzung ist abgesagt');
    const main = (await clerk.page.locator('#main').textContent()) ?? '';
    expect(main).toContain('abgesagt');
    expect(main).toContain('Grund: Der Ratssaal steht nicht zur Verfügung.');
    // A cancelled session offers no more changes.
    expect(await clerk.page.getByRole('link', { name: 'Sitzung ändern' }).count()).toBe(0);
    expect(await clerk.page.getByRole('button', { name: 'Sitzung eröffnen' }).count()).toBe(0);
    expect(await clerk.page.getByRole('button', { name: 'Anwesenheit speichern' }).count()).toBe(0);
    // and no minutes: nothing was deliberated
    expect(await clerk.page.getByRole('link', { name: /Niederschrift/ }).count()).toBe(0);
    // nor a live view: nothing happens in it
    expect(await clerk.page.getByRole('link', { name: 'Live-Ansicht' }).count()).toBe(0);

    const [application] = await t.dataSource.query(`SELECT status FROM application WHERE id = $1`, [draft.applicationId]);
    expect(application.status).toBe('eligible');
    await click(clerk, 'link', 'Sitzungen');
    expect(await clerk.page.locator('table').textContent()).toContain('abgesagt');
  });

  it('axe-core found no WCAG 2.1 AA violation on any page visited', () => {
    expect(tabs.length).toBe(1);
    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  });
});
