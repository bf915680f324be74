import { describe, expect, it } from '@jest/globals';
import { DEMO, loginAs } from '../support/app.js';
import { releasedAward } from '../support/awards.js';
import { browserJourney, browserSkipReason, click } from '../support/browser.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

suite('archiving a call, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('the office sees what is still open on a call, then archives a settled call from its page after confirming', async () => {
    const t = journey.app;
    // A decided call with a released award whose report is due: not yet to be archived (deadline and review moved with SQL).
    const { callId: openCallId } = await releasedAward(t);
    await t.dataSource.query(`UPDATE funding_call SET status = 'decided' WHERE id = $1`, [openCallId]);
    // A decided call without applications: nothing open.
    const api = t.agent();
    const token = await loginAs(api, DEMO.office);
    const created = await api.post('/api/v1/calls').set('X-CSRF-Token', token).send({
      year: 2028, title: 'Abgeschlossener Aufruf', budgetCents: 1_000_000, fieldsOfAction: ['Sprachförderung'], submissionDeadline: new Date(Date.now() + 86400_000).toISOString(),
      fundingPeriodStart: '2028-04-01', fundingPeriodEnd: '2028-12-31', financeType: 'deficit', maxAmountCents: 500_000, minOwnContributionPercent: 10,
      costCategories: ['Honorare'], requiredAttachments: [], declarations: ['Die Maßnahme ist offen für alle.'], reportDueMonths: 6,
    }).expect(201);
    const callId = created.body.id as string;
    await t.dataSource.query(`UPDATE funding_call SET status = 'decided' WHERE id = $1`, [callId]);

    const office = await loggedIn(DEMO.office);
    await office.goto(`/office/calls/${openCallId}`);
    await click(office, 'link', 'Förderaufruf archivieren');
    expect(await office.page.getByRole('heading', { level: 2, name: 'Verwendungsnachweise noch nicht abgeschlossen (1)' }).count()).toBe(1);
    // Counted without a plural to get wrong („bei 1 Punkten“ read wrong for a single one).
    expect(await office.page.getByText(/^Der Aufruf kann noch nicht archiviert werden\. Noch offen \(Anzahl: \d+\)/).count()).toBe(1);
    expect(await office.page.getByRole('button', { name: 'Ja, jetzt archivieren' }).count()).toBe(0);
    await click(office, 'link', /zum Verwendungsnachweis$/);
    expect(office.page.url()).toMatch(/\/office\/reports\/[0-9a-f-]{36}$/);

    await office.goto(`/office/calls/${callId}`);
    await click(office, 'link', 'Förderaufruf archivieren');
    expect(await office.page.getByText('Alle Förderungen dieses Aufrufs sind abgeschlossen.').count()).toBe(1);
    await click(office, 'button', 'Ja, jetzt archivieren');
    expect(office.page.url()).toContain(`/office/calls/${callId}?notice=archive.done`);
    expect(await office.page.getByRole('status').textContent()).toContain('Der Förderaufruf ist archiviert.');
    expect(await office.page.locator('.badge.archived').textContent()).toBe('archiviert');
    expect(await office.page.getByRole('link', { name: 'Förderaufruf archivieren' }).count()).toBe(0);
    await office.goto('/office/calls');
  }, 240_000);

  it('axe-core found no WCAG 2.1 AA violation on any page visited', () => {
    expect(tabs.length).toBe(1);
    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  });
});
