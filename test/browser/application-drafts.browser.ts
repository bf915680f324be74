import { describe, expect, it } from '@jest/globals';
import { DEMO } from '../support/app.js';
import { eligibleApplication, preparedDraft, scheduledSession } from '../support/applications.js';
import { browserJourney, browserSkipReason, click, type CheckedPage } from '../support/browser.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

/** Whether the page scrolls sideways: wider content than the window. */
async function scrollsSideways(tab: CheckedPage): Promise<{ scrollWidth: number; innerWidth: number }> {
  return tab.page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

suite('drafts and small screens, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('the association deletes a draft after confirming it, and keeps it when it changes its mind', async () => {
    const { applicationId } = await preparedDraft(journey.app, { title: 'Entwurf zum Löschen' });
    const applicant = await loggedIn(DEMO.applicant);
    await applicant.goto(`/applications/${applicationId}`);

    // First thoughts: cancel on the confirmation page, nothing is deleted.
    await click(applicant, 'link', 'Entwurf löschen');
    expect(await applicant.page.locator('h1').textContent()).toBe('Entwurf löschen?');
    await click(applicant, 'link', 'Nein, zurück zum Antrag');
    expect(await applicant.page.locator('h1').textContent()).toBe('Entwurf zum Löschen');

    // Then delete it for good.
    await click(applicant, 'link', 'Entwurf löschen');
    await click(applicant, 'button', 'Ja, Entwurf endgültig löschen');
    expect(new URL(applicant.page.url()).pathname).toBe('/applications');
    expect(await applicant.page.getByRole('status').textContent()).toContain('Der Entwurf ist gelöscht.');
    expect(await applicant.page.locator('#main').textContent()).not.toContain('Entwurf zum Löschen');
    const rows = await journey.app.dataSource.query(`SELECT id FROM application WHERE id = $1`, [applicationId]);
    expect(rows).toEqual([]);
  });

  it('at 390 px the applications list, the worklist and the ranking do not scroll sideways', async () => {
    // Data for every table: submitted and eligible applications, two of them approved by the round table.
    const first = await eligibleApplication(journey.app);
    const second = await eligibleApplication(journey.app);
    await preparedDraft(journey.app);
    const sessionId = await scheduledSession(journey.app, first.office, first.officeToken, first.callId, [first.applicationId, second.applicationId]);
    await journey.app.dataSource.query(`UPDATE agenda_item SET status = 'closed', decision = 'approved', recommended_cents = 250000, closed_at = now() WHERE session_id = $1`, [sessionId]);
    await journey.app.dataSource.query(`UPDATE application SET status = 'approved' WHERE id = ANY($1)`, [[first.applicationId, second.applicationId]]);

    const applicant = await loggedIn(DEMO.applicant);
    await applicant.page.setViewportSize({ width: 390, height: 844 });
    await applicant.goto('/applications');
    expect(await applicant.page.locator('table tbody tr').count()).toBeGreaterThan(2);
    let size = await scrollsSideways(applicant);
    expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);

    const clerk = await loggedIn(DEMO.office);
    await clerk.page.setViewportSize({ width: 390, height: 844 });
    await clerk.goto(`/office/calls/${first.callId}/applications`);
    expect(await clerk.page.locator('table tbody tr').count()).toBeGreaterThan(1);
    size = await scrollsSideways(clerk);
    expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);

    await clerk.goto(`/calls/${first.callId}/ranking`);
    expect(await clerk.page.locator('table tbody tr').count()).toBe(2);
    size = await scrollsSideways(clerk);
    expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
    // The table itself can still be read: it scrolls inside a named region that the keyboard reaches.
    const region = clerk.page.getByRole('region', { name: 'Im Budget: zur Förderung empfohlen' }).first();
    await region.focus();
    expect(await region.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('at 390 px the office\'s session page, live view and lists do not scroll sideways', async () => {
    const first = await eligibleApplication(journey.app);
    const sessionId = await scheduledSession(journey.app, first.office, first.officeToken, first.callId, [first.applicationId]);
    const clerk = await loggedIn(DEMO.office);
    await clerk.page.setViewportSize({ width: 390, height: 844 });
    for (const path of [`/sessions/${sessionId}`, `/sessions/${sessionId}/live`, '/office/members', '/office/calls', '/office/organisations', '/office/accounts']) {
      await clerk.goto(path);
      expect(await clerk.page.locator('table tbody tr').count()).toBeGreaterThan(0);
      const size = await scrollsSideways(clerk);
      expect({ path, width: size.scrollWidth }).toEqual({ path, width: size.innerWidth });
    }
    // The show of hands for a whole item, once the session is open and the item called.
    const { office, officeToken } = first;
    const members = (await office.get('/api/v1/round-table/members').expect(200)).body as { id: string; fullName: string; votingRight: string; kind: string }[];
    // The longest names make the widest table.
    const voters = members.filter((m) => m.votingRight === 'voting' && m.kind === 'member').sort((a, b) => b.fullName.length - a.fullName.length);
    for (const member of voters.slice(0, 10)) {
      await office.put(`/api/v1/sessions/${sessionId}/attendance`).set('X-CSRF-Token', officeToken).send({ memberId: member.id, present: true }).expect(204);
    }
    await office.post(`/api/v1/sessions/${sessionId}/open`).set('X-CSRF-Token', officeToken).expect(200);
    const [item] = (await office.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.items;
    await office.post(`/api/v1/agenda-items/${item.id}/open`).set('X-CSRF-Token', officeToken).expect(200);
    await clerk.goto(`/sessions/${sessionId}`);
    expect(await clerk.page.locator('form[action$="/hands"] tbody tr').count()).toBe(10);
    const size = await scrollsSideways(clerk);
    expect(size.scrollWidth).toBe(size.innerWidth);
    // Every column can be brought into view, none is cut off at the edge of the item's box.
    const abstain = clerk.page.locator('form[action$="/hands"] thead th').last();
    expect(await abstain.textContent()).toBe('Enthaltung');
    await abstain.scrollIntoViewIfNeeded();
    expect(await abstain.evaluate((th) => {
      const box = th.getBoundingClientRect();
      return document.elementFromPoint(box.right - 2, box.top + box.height / 2) === th;
    })).toBe(true);
  });

  it('at 390 px the audit trail, an organisation\'s contacts and a member\'s affiliations do not scroll sideways', async () => {
    const db = journey.app.dataSource;
    const [organisation] = await db.query(`SELECT id FROM organisation ORDER BY name LIMIT 1`);
    await db.query(
      `INSERT INTO organisation_contact (organisation_id, full_name, function, email, phone) VALUES ($1, 'Dr. Maria-Magdalena Schneider-Oberhausen', 'Projektkoordination und Öffentlichkeitsarbeit', 'maria-magdalena.schneider-oberhausen@example.org', '+49 2131 000000-123')`,
      [organisation.id],
    );
    const [affiliation] = await db.query(`SELECT member_id FROM member_affiliation LIMIT 1`);
    const clerk = await loggedIn(DEMO.office);
    const admin = await loggedIn(DEMO.admin);
    for (const [tab, path] of [[clerk, `/organisations/${organisation.id}`], [clerk, `/office/members/${affiliation.member_id}`], [admin, '/admin']] as const) {
      await tab.page.setViewportSize({ width: 390, height: 844 });
      await tab.goto(path);
      expect(await tab.page.locator('table tbody tr').count()).toBeGreaterThan(0);
      const size = await scrollsSideways(tab);
      expect({ path, width: size.scrollWidth }).toEqual({ path, width: size.innerWidth });
    }
  });

  it('axe-core found no WCAG 2.1 AA violation on any page visited', () => {
    expect(tabs.length).toBe(6);
    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  });
});
