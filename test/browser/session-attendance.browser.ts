import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { DEMO, loginAs } from '../support/app.js';
import { ALL_CHECKS, preparedDraft } from '../support/applications.js';
import { pdfText } from '../support/pdf.js';
import { browserJourney, browserSkipReason, click } from '../support/browser.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;
const PRESENT = ['Ayşe Demir', 'Mehmet Yılmaz', 'Olena Kovalenko', 'Giorgos Papadopoulos', 'Fatima El Amrani', 'Tharshan Sivakumar', 'Maria dos Santos', 'Hildegard Kamps', 'Thomas Weyers', 'Lea Brandt'];
const LATE = 'Ursula Pesch';

suite('attendance per agenda item, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('a member arrives after the first item: the office records the arrival, and the minutes show who was present for each item', async () => {
    const t = journey.app;
    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    let callId = '';
    for (let i = 0; i < 2; i++) {
      const draft = await preparedDraft(t);
      callId = draft.callId;
      const submitted = await draft.agent.post(`/api/v1/applications/${draft.applicationId}/submit`).set('X-CSRF-Token', draft.token).expect(200);
      await office.post(`/api/v1/applications/${draft.applicationId}/decision`).set('X-CSRF-Token', officeToken).send({ outcome: 'eligible', checks: ALL_CHECKS, version: submitted.body.version }).expect(200);
    }
    const session = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken).send({ callId, scheduledAt: new Date(Date.now() + 3_600_000).toISOString(), place: 'Rathaus Neuss, Ratssaal' }).expect(201);

    // The office records who is there at the start and opens the session.
    const clerk = await loggedIn(DEMO.office);
    await clerk.goto(`/sessions/${session.body.id}`);
    for (const name of PRESENT) await clerk.page.getByLabel(`${name} anwesend`).check();
    await click(clerk, 'button', 'Anwesenheit speichern');
    await click(clerk, 'button', 'Sitzung eröffnen');

    // TOP 1: a show of hands of the ten present, in one form.
    await click(clerk, 'button', 'TOP 1 aufrufen');
    const top1 = clerk.page.getByRole('table', { name: 'Handzeichen zu TOP 1' });
    expect(await top1.locator('tbody tr').count()).toBe(10);
    expect(await top1.textContent()).not.toContain(LATE);
    for (const name of PRESENT) await top1.getByLabel(`${name}: Ja`).check();
    await click(clerk, 'button', 'Handzeichen zu TOP 1 erfassen');
    await click(clerk, 'button', 'Abstimmung zu TOP 1 schließen');
    expect(await clerk.page.locator('#main').textContent()).toContain('Ja: 10, Nein: 0, Enthaltung: 0');

    // She arrives after TOP 1: the office ticks her as present, and the page says when she came.
    expect(await clerk.page.locator('#attendance-hint').textContent()).toContain('kommt jetzt hinzu');
    await clerk.page.getByLabel(`${LATE} anwesend`).check();
    await click(clerk, 'button', 'Anwesenheit speichern');
    const row = clerk.page.getByRole('row', { name: new RegExp(LATE) }).first();
    expect(await row.textContent()).toMatch(/gekommen \d{2}:\d{2} Uhr/);

    // TOP 2: she votes with the others.
    await click(clerk, 'button', 'TOP 2 aufrufen');
    const top2 = clerk.page.getByRole('table', { name: 'Handzeichen zu TOP 2' });
    expect(await top2.locator('tbody tr').count()).toBe(11);
    for (const name of [...PRESENT, LATE]) await top2.getByLabel(`${name}: ${name === LATE ? 'Nein' : 'Ja'}`).check();
    await click(clerk, 'button', 'Handzeichen zu TOP 2 erfassen');
    await click(clerk, 'button', 'Abstimmung zu TOP 2 schließen');
    expect(await clerk.page.locator('#main').textContent()).toContain('Ja: 10, Nein: 1, Enthaltung: 0');
    await click(clerk, 'button', 'Sitzung schließen');

    // The minutes, downloaded as the office does: ten voting members present for TOP 1, eleven for TOP 2.
    const [download] = await Promise.all([clerk.page.waitForEvent('download'), clerk.page.getByRole('link', { name: 'Niederschrift (PDF)' }).click()]);
    const text = await pdfText(await readFile((await download.path())!));
    const item1 = text.slice(text.indexOf('TOP 1:'), text.indexOf('TOP 2:'));
    const item2 = text.slice(text.indexOf('TOP 2:'), text.indexOf('Unterschriften'));
    expect(item1).toContain('Anwesend 10 stimmberechtigt:');
    expect(item1).toContain('Beschlussfähig ja, 10 stimmberechtigte Mitglieder anwesend und nicht befangen');
    expect(item1).not.toContain(LATE);
    expect(item2).toContain('Anwesend 11 stimmberechtigt:');
    expect(item2).toContain(LATE);
    expect(item2).toContain('Beschlussfähig ja, 11 stimmberechtigte Mitglieder anwesend und nicht befangen');
    expect(text).toMatch(new RegExp(`${LATE} \\(ab \\d{2}:\\d{2} Uhr\\)`));
  }, 240_000);

  it('axe-core found no WCAG 2.1 AA violation on any page visited', () => {
    expect(tabs.length).toBe(1);
    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  });
});
