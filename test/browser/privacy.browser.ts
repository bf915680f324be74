import { describe, expect, it } from '@jest/globals';
import { unzipSync } from 'fflate';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, eventually } from '../support/app.js';
import { browserJourney, browserSkipReason, click, download } from '../support/browser.js';
import { settledReport } from '../support/reports.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-beispiel')]);

suite('data protection, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('the administrator sees what is due, starts the deletion run, the pages say what was deleted; the office downloads the access report', async () => {
    const t = journey.app;
    await t.dataSource.query(`UPDATE funding_call SET participant_lists_required = true`);
    const settled = await settledReport(t);
    const [{ decision_id: decisionId, reference_number: referenceNumber, organisation_id: organisationId }] = await t.dataSource.query(
      `SELECT r.decision_id, a.reference_number, r.organisation_id FROM usage_report r JOIN decision d ON d.id = r.decision_id JOIN application a ON a.id = d.application_id WHERE r.id = $1`,
      [settled.reportId],
    );
    const visit = (await settled.office.post(`/api/v1/decisions/${decisionId}/visits`).set('X-CSRF-Token', settled.officeToken)
      .send({ visitOn: berlinDay(new Date()), staff: 'Jonas Becker' }).expect(201)).body;
    await settled.office.post(`/api/v1/visits/${visit.id}/photos`).set('X-CSRF-Token', settled.officeToken).attach('file', PNG, 'Besuch.png').expect(201);
    // Accepted 13 months ago: the lists and photos are due.
    await t.dataSource.query(`UPDATE usage_report SET accepted_at = accepted_at - interval '13 months', submitted_at = submitted_at - interval '13 months' WHERE id = $1`, [settled.reportId]);

    const admin = await loggedIn(DEMO.admin);
    await admin.goto('/admin');
    await click(admin, 'link', 'Aufbewahrung und Löschung');
    expect(await admin.page.locator('h1').textContent()).toContain('Aufbewahrung und Löschung');
    const row = admin.page.getByRole('table', { name: /nach Löschtermin sortiert/ }).getByRole('row').filter({ hasText: referenceNumber });
    expect(await row.textContent()).toContain('Listen: 1, Fotos: 1, Besuchsnotizen: 0, Belege: 3');
    await click(admin, 'button', 'Löschlauf jetzt starten');
    expect(await admin.page.getByRole('status').textContent()).toContain('Löschlauf ist gestartet');
    await eventually(async () => (await t.dataSource.query(`SELECT 1 FROM usage_report WHERE id = $1 AND personal_data_deleted_at IS NOT NULL`, [settled.reportId])).length === 1, 20_000, 'lists deleted');
    await admin.goto('/admin/retention');
    expect(await admin.page.getByRole('table', { name: /letzten Löschungen/ }).textContent()).toContain(referenceNumber);

    const office = await loggedIn(DEMO.office);
    await office.goto(`/office/reports/${settled.reportId}`);
    expect(await office.page.locator('main').textContent()).toContain('Die Teilnehmendenlisten wurden am');
    await office.goto(`/office/visits/${visit.id}`);
    expect(await office.page.locator('main').textContent()).toContain('Fotos und Notizen dieses Besuchs wurden am');

    await office.goto(`/organisations/${organisationId}`);
    const zip = await download(office.page, () => office.page.getByRole('link', { name: 'Auskunft nach Art. 15 DSGVO herunterladen (ZIP)' }).click());
    const files = unzipSync(new Uint8Array(zip));
    expect(JSON.parse(Buffer.from(files['organisation.json']).toString('utf8')).organisation.id).toBe(organisationId);

    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  }, 180_000);
});
