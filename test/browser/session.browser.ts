import { describe, expect, it } from '@jest/globals';
import { DEMO, eventually, loginAs } from '../support/app.js';
import { ALL_CHECKS, preparedDraft } from '../support/applications.js';
import { pdfText } from '../support/pdf.js';
import { berlinDay } from '../../src/common/dates.js';
import { browserJourney, browserSkipReason, click, type CheckedPage } from '../support/browser.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;
const VOTERS = [DEMO.voting, 'stimmberechtigt2@neuss.example', 'stimmberechtigt3@neuss.example'];

suite('a round-table session, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('the office opens a session and records attendance; three members vote and rate while the chair watches live; the chair closes; the ranking shows funded and waiting items', async () => {
    const t = journey.app;
    // Two eligible applications, and a budget that funds only one of them.
    const office = t.agent();
    const officeToken = await loginAs(office, DEMO.office);
    for (let i = 0; i < 2; i++) {
      const draft = await preparedDraft(t);
      const submitted = await draft.agent.post(`/api/v1/applications/${draft.applicationId}/submit`).set('X-CSRF-Token', draft.token).expect(200);
      await office.post(`/api/v1/applications/${draft.applicationId}/decision`).set('X-CSRF-Token', officeToken).send({ outcome: 'eligible', checks: ALL_CHECKS, version: submitted.body.version }).expect(200);
    }
    await t.dataSource.query(`UPDATE funding_call SET budget_cents = 300000 WHERE status = 'published'`);

    // The office schedules the session and records attendance.
    const clerk = await loggedIn(DEMO.office);
    await click(clerk, 'link', 'Sitzungen');
    await click(clerk, 'link', 'Sitzung ansetzen');
    await clerk.page.getByLabel('Datum').fill(berlinDay(new Date(Date.now() + 86_400_000)));
    await clerk.page.getByLabel('Uhrzeit').fill('17:00');
    await clerk.page.getByLabel('Ort').fill('Rathaus Neuss, Ratssaal');
    await clerk.page.getByLabel('Vorsitz').selectOption({ label: 'Dr. Katharina Voss' });
    await click(clerk, 'button', 'Sitzung ansetzen');
    expect(await clerk.page.locator('h1').textContent()).toContain('Sitzung am');
    const sessionUrl = clerk.page.url().split('?')[0];

    const present = ['Ayşe Demir', 'Mehmet Yılmaz', 'Olena Kovalenko', 'Giorgos Papadopoulos', 'Fatima El Amrani', 'Tharshan Sivakumar', 'Maria dos Santos', 'Hildegard Kamps', 'Thomas Weyers', 'Lea Brandt'];
    for (const name of present) await clerk.page.getByLabel(`${name} anwesend`).check();
    await click(clerk, 'button', 'Anwesenheit speichern');
    expect(await clerk.page.getByRole('status').textContent()).toContain('Anwesenheit ist gespeichert');
    await click(clerk, 'button', 'Sitzung eröffnen');

    // The chair watches the live view.
    const chair = await loggedIn(DEMO.chair);
    await chair.goto(`${new URL(sessionUrl).pathname}/live`);
    expect(await chair.page.locator('#live-table').textContent()).toContain('noch nicht aufgerufen');

    await click(clerk, 'button', 'TOP 1 aufrufen');

    // Three voting members vote from their own browsers.
    const voters: CheckedPage[] = [];
    for (const email of VOTERS) {
      const voter = await loggedIn(email);
      voters.push(voter);
      await voter.goto(new URL(sessionUrl).pathname);
      if (voters.length === 1) {
        // Members read the dossier: the application, the finance plan and the office's check.
        await click(voter, 'link', /Antrag und Prüfung lesen/);
        expect(await voter.page.locator('#main').textContent()).toContain('Formale Prüfung der Geschäftsstelle');
        await voter.goto(new URL(sessionUrl).pathname);
      }
      await voter.page.getByRole('group', { name: 'Ihre Stimme zu TOP 1' }).getByLabel('Ja').check();
      await click(voter, 'button', 'Stimme zu TOP 1 abgeben');
      expect(await voter.page.getByRole('status').textContent()).toContain('Stimme ist abgegeben');
    }

    // The live view shows the progress without reloading: three of ten voted, nobody's choice.
    await eventually(async () => ((await chair.page.locator('#live-table').textContent()) ?? '').includes('3 / 10'), 10_000);
    const liveText = (await chair.page.locator('#live-table').textContent()) ?? '';
    expect(liveText).toContain('Giorgos Papadopoulos');
    expect(liveText).not.toContain('Ja:');
    await chair.check();

    // The office records the show of hands of the seven members without a device for the whole item, in one form.
    await clerk.page.reload();
    const hands = clerk.page.getByRole('table', { name: 'Handzeichen zu TOP 1' });
    expect(await hands.locator('tbody tr').count()).toBe(7);
    for (const name of present.slice(3)) await hands.getByLabel(`${name}: ${name === 'Giorgos Papadopoulos' ? 'Nein' : 'Ja'}`).check();
    await click(clerk, 'button', 'Handzeichen zu TOP 1 erfassen');
    expect(await clerk.page.getByRole('status').textContent()).toContain('Handzeichen ist erfasst');
    await eventually(async () => ((await chair.page.locator('#live-table').textContent()) ?? '').includes('10 / 10'), 10_000);

    // The chair closes the vote; the members rate.
    await chair.goto(new URL(sessionUrl).pathname);
    await click(chair, 'button', 'Abstimmung zu TOP 1 schließen');
    expect(await chair.page.locator('#main').textContent()).toContain('Ja: 9, Nein: 1, Enthaltung: 0');
    for (const [i, voter] of voters.entries()) {
      await voter.page.reload();
      await voter.check();
      await voter.page.getByLabel('Bedeutung (1–5)').first().selectOption(String(5 - i));
      await voter.page.getByLabel('Dringlichkeit (1–5)').first().selectOption('4');
      await click(voter, 'button', 'Bewertung zu TOP 1 speichern');
    }

    // TOP 2: approved as well, rated lower.
    await click(chair, 'button', 'TOP 2 aufrufen');
    for (const voter of voters) {
      await voter.page.reload();
      await voter.page.getByRole('group', { name: 'Ihre Stimme zu TOP 2' }).getByLabel('Ja').check();
      await click(voter, 'button', 'Stimme zu TOP 2 abgeben');
    }
    await chair.page.reload();
    await click(chair, 'button', 'Abstimmung zu TOP 2 schließen');
    for (const voter of voters) {
      await voter.page.reload();
      await voter.page.getByLabel('Bedeutung (1–5)').nth(1).selectOption('2');
      await voter.page.getByLabel('Dringlichkeit (1–5)').nth(1).selectOption('2');
      await click(voter, 'button', 'Bewertung zu TOP 2 speichern');
    }

    // The ranking: one funded within the budget of 3.000 €, one on the waiting list.
    await click(chair, 'link', 'Rangfolge');
    expect(await chair.page.locator('#funded + .table-scroll tbody tr').count()).toBe(1);
    expect(await chair.page.locator('#waiting + .table-scroll tbody tr').count()).toBe(1);
    const [pdf] = await Promise.all([chair.page.waitForEvent('download'), chair.page.getByRole('link', { name: 'Rangfolge als PDF' }).click()]);
    const { readFile } = await import('node:fs/promises');
    const text = await pdfText(await readFile((await pdf.path())!));
    expect(text).toContain('Rangfolge der Handlungsvorschläge');
    expect(text).toContain('2.800,00 €');
  }, 240_000);

  it('axe-core found no WCAG 2.1 AA violation on any page visited', () => {
    expect(tabs.length).toBe(5);
    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  });
});
