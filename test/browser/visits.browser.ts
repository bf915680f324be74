import { describe, expect, it } from '@jest/globals';
import { addDays } from '../../src/awards/calendar-days.js';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO } from '../support/app.js';
import { releasedAward } from '../support/awards.js';
import { browserJourney, browserSkipReason, click, download, type CheckedPage } from '../support/browser.js';
import { pdfText } from '../support/pdf.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-beispiel')]);
const german = (day: string) => day.split('-').reverse().join('.');

async function press(tab: CheckedPage, name: RegExp): Promise<void> {
  await tab.page.getByRole('button', { name }).first().click();
  await tab.page.waitForLoadState('load');
  await tab.check();
}

suite('site visits, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('the office finds the flagged project on its start page, plans and records the visit with a photo, and the round table downloads the visit report', async () => {
    const t = journey.app;
    const { award, callId } = await releasedAward(t);
    const today = berlinDay(new Date());
    await t.dataSource.query(`UPDATE decision SET period_start = $2, period_end = $3 WHERE id = $1`, [award.id, addDays(today, -60), addDays(today, 12)]);
    const [{ referenceNumber, title, year }] = await t.dataSource.query(
      `SELECT a.reference_number AS "referenceNumber", a.title, c.year FROM application a JOIN funding_call c ON c.id = a.call_id WHERE a.id = $1`,
      [award.applicationId],
    );

    // The start page flags the project ending in 12 days without a visit; its link leads to the call's visits.
    const office = await loggedIn(DEMO.office);
    await office.goto('/office');
    await click(office, 'link', `${referenceNumber} ${title}`);
    expect(office.page.url()).toContain(`/office/calls/${callId}/visits#project-${award.id}`);
    await office.page.locator('summary', { hasText: 'Besuch planen' }).first().click();
    await office.page.getByLabel('Datum des Besuchs').fill(addDays(today, 2));
    await office.page.getByLabel('Mitarbeitende').fill('Jonas Becker');
    await press(office, /^Besuch planen/);
    expect(await office.page.getByRole('status').textContent()).toContain('Der Besuch ist geplant.');

    // The protocol: a missing checkpoint is named, then every point assessed.
    await office.page.getByLabel('Tag des Besuchs').fill(today);
    await office.page.getByRole('group', { name: 'Aktivität wie beantragt durchgeführt' }).getByLabel('ja', { exact: true }).check();
    await press(office, /^Protokoll speichern/);
    expect(await office.page.getByRole('alert').textContent()).toContain('Zielgruppe erreicht');
    for (const [point, finding] of [
      ['Aktivität wie beantragt durchgeführt', 'ja'], ['Zielgruppe erreicht', 'ja'], ['Offen für alle', 'ja'],
      ['Teilnehmende anwesend', 'teilweise'], ['Öffentlichkeitsarbeit nennt die Stadt als Förderin', 'nicht beurteilt'],
    ]) {
      await office.page.getByRole('group', { name: point }).getByLabel(finding, { exact: true }).check();
    }
    await office.page.getByLabel('Notizen').fill('Zwölf Teilnehmende, Plakat mit Stadtlogo.');
    await press(office, /^Protokoll speichern/);
    expect(await office.page.getByRole('status').textContent()).toContain('Das Protokoll ist gespeichert');
    await office.page.getByLabel('Foto').setInputFiles({ name: 'besuch.png', mimeType: 'image/png', buffer: PNG });
    await press(office, /^Foto hochladen/);
    expect(await office.page.getByRole('link', { name: 'besuch.png' }).count()).toBe(1);

    // Back on the call's visits the project counts as visited; the report is downloaded and read back.
    await click(office, 'link', 'Zurück zu den Besuchen des Förderaufrufs');
    expect(await office.page.getByRole('row', { name: new RegExp(referenceNumber) }).textContent()).toContain('besucht');
    const report = await pdfText(await download(office.page, () => office.page.getByRole('link', { name: `Besuchsbericht ${year} (PDF)` }).click()));
    expect(report).toContain(`${referenceNumber} – ${title}`);
    expect(report).toContain(`Besuch am ${german(today)} durch Jonas Becker`);
    await office.goto('/office');
    expect(await office.page.getByText('Kein Projekt endet in den nächsten 30 Tagen ohne Besuch.').count()).toBe(1);

    // The chair finds the report in the member area.
    const chair = await loggedIn(DEMO.chair);
    await chair.goto('/member');
    await click(chair, 'link', 'Zu den Besuchsberichten');
    const forChair = await pdfText(await download(chair.page, () => chair.page.getByRole('link', { name: new RegExp(`^Besuchsbericht ${year} \\(PDF\\)`) }).first().click()));
    expect(forChair).toContain(referenceNumber);
    expect(forChair).toContain('Notizen Zwölf Teilnehmende, Plakat mit Stadtlogo.');
  }, 240_000);

  it('axe-core found no WCAG 2.1 AA violation on any page visited', () => {
    expect(tabs.length).toBe(2);
    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  });
});
