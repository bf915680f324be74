import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { berlinDay } from '../../src/common/dates.js';
import { RetentionService } from '../../src/privacy/retention.service.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
import { settledReport } from '../support/reports.js';

/**
 * A grant whose personal data the retention job deleted takes no new personal data: a visit photo
 * uploaded while the job runs, or after it, and visit notes recorded after it would otherwise stay
 * for good (the job never looks at the grant again). The photo upload that races the job is made to
 * overlap it for certain with a row lock held by the test.
 */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-beispiel')]);
const CHECKLIST = { activity_as_described: 'yes', target_group_reached: 'yes', open_to_everyone: 'yes', participants_present: 'yes', publicity_names_city: 'yes' };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('visits of a grant whose personal data was deleted', () => {
  it('a photo upload racing the retention job is deleted with the rest or refused, never kept; later photos and notes are refused', async () => {
    const fixture = await settledReport(t);
    const { office, officeToken, award, reportId } = fixture;
    const today = berlinDay(new Date());
    const visit = (await office.post(`/api/v1/decisions/${award.id}/visits`).set('X-CSRF-Token', officeToken).send({ visitOn: today, staff: 'Jonas Becker' }).expect(201)).body;
    await office.post(`/api/v1/visits/${visit.id}/protocol`).set('X-CSRF-Token', officeToken).send({ visitOn: today, checklist: CHECKLIST, notes: 'Frau Demir leitete die Gruppe.' }).expect(200);
    await office.post(`/api/v1/visits/${visit.id}/photos`).set('X-CSRF-Token', officeToken).attach('file', PNG, 'vorher.png').expect(201);
    await t.dataSource.query(`UPDATE usage_report SET accepted_at = accepted_at - interval '13 months' WHERE id = $1`, [reportId]);

    // The test holds the visit's row: the job waits on it with the report locked and the photos of
    // its snapshot deleted, and the upload is sent while it waits.
    const holder = new pg.Client({ connectionString: (t.dataSource.options as { url: string }).url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM site_visit WHERE id = $1 FOR UPDATE`, [visit.id]);
      const run = t.app.get(RetentionService).deleteDue();
      await eventually(async () => (await t.dataSource.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%site_visit%notes%'`)).length === 1, 10_000, 'the job waits on the visit');
      const upload = office.post(`/api/v1/visits/${visit.id}/photos`).set('X-CSRF-Token', officeToken).attach('file', PNG, 'waehrenddessen.png').then((res) => res);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query('COMMIT');
      expect(await run).toBe(1);
      const uploaded = await upload;
      expect(uploaded.status).toBe(409);
      expect(uploaded.body.message).toContain('gelöscht');
    } finally {
      await holder.end();
    }
    const [marked] = await t.dataSource.query(`SELECT personal_data_deleted_at IS NOT NULL AS deleted FROM usage_report WHERE id = $1`, [reportId]);
    expect(marked.deleted).toBe(true);
    expect(await t.dataSource.query(`SELECT filename FROM site_visit_photo WHERE visit_id = $1`, [visit.id])).toEqual([]);

    // Afterwards: no photo, no notes; a late visit may still be recorded without notes.
    await office.post(`/api/v1/visits/${visit.id}/photos`).set('X-CSRF-Token', officeToken).attach('file', PNG, 'danach.png').expect(409);
    // The visit's page says so and offers no upload any more.
    const page = (await office.get(`/office/visits/${visit.id}`).expect(200)).text;
    expect(page).not.toContain(`action="/office/visits/${visit.id}/photos`);
    expect(page).toContain('gelöscht');
    const late = (await office.post(`/api/v1/decisions/${award.id}/visits`).set('X-CSRF-Token', officeToken).send({ visitOn: today, staff: 'Aylin Şahin' }).expect(201)).body;
    const withNotes = await office.post(`/api/v1/visits/${late.id}/protocol`).set('X-CSRF-Token', officeToken).send({ visitOn: today, checklist: CHECKLIST, notes: 'Herr K. war auch da.' }).expect(409);
    expect(withNotes.body.message).toContain('gelöscht');
    await office.post(`/api/v1/visits/${late.id}/protocol`).set('X-CSRF-Token', officeToken).send({ visitOn: today, checklist: CHECKLIST }).expect(200);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM site_visit WHERE decision_id = $1 AND notes IS NOT NULL`, [award.id])).toEqual([{ n: 0 }]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'visit.photo_added' AND entity_id = $1`, [visit.id])).toEqual([{ n: 1 }]);
  }, 120_000);
});
