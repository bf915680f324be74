import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PUBLISHED_BASE_RATES } from '../../src/reports/base-rates.js';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('base rates kept by the office', () => {
  it('start with the published rates, take a new one on 1 July, refuse other days and bad figures', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const seeded = (await office.get('/api/v1/base-rates').expect(200)).body as { validFrom: string; basisPoints: number }[];
    expect(seeded.map(({ validFrom, basisPoints }) => ({ from: validFrom, basisPoints }))).toEqual(PUBLISHED_BASE_RATES);

    const table = (await office.put('/api/v1/base-rates/2026-07-01').set('X-CSRF-Token', token).send({ basisPoints: 152, source: 'Bekanntmachung vom 30.06.2026' }).expect(200)).body;
    expect(table.at(-1)).toMatchObject({ validFrom: '2026-07-01', basisPoints: 152, source: 'Bekanntmachung vom 30.06.2026' });
    // Corrected later: the row changes, the audit trail keeps both values.
    await office.put('/api/v1/base-rates/2026-07-01').set('X-CSRF-Token', token).send({ basisPoints: 147 }).expect(200);
    const audits = await t.dataSource.query(`SELECT before, after FROM audit_event WHERE action = 'base_rate.set' AND entity_id = '2026-07-01' ORDER BY id`);
    expect(audits.map((a: { before: { basisPoints: number | null }; after: { basisPoints: number } }) => [a.before.basisPoints, a.after.basisPoints])).toEqual([[null, 152], [152, 147]]);

    const day = await office.put('/api/v1/base-rates/2026-03-01').set('X-CSRF-Token', token).send({ basisPoints: 100 }).expect(422);
    expect(day.body.fields.validFrom[0]).toContain('1. Januar und zum 1. Juli');
    await office.put('/api/v1/base-rates/2026-02-30').set('X-CSRF-Token', token).send({ basisPoints: 100 }).expect(422);
    await office.put('/api/v1/base-rates/heute').set('X-CSRF-Token', token).send({ basisPoints: 100 }).expect(422);
    for (const basisPoints of [1.5, '1,27', 5000, null]) {
      const res = await office.put('/api/v1/base-rates/2027-01-01').set('X-CSRF-Token', token).send({ basisPoints }).expect(422);
      expect(Object.keys(res.body.fields)).toEqual(['basisPoints']);
    }
    expect((await office.get('/api/v1/base-rates').expect(200)).body).toHaveLength(PUBLISHED_BASE_RATES.length + 1);

    const member = t.agent();
    const memberToken = await loginAs(member, DEMO.voting);
    await member.get('/api/v1/base-rates').expect(403);
    await member.put('/api/v1/base-rates/2027-01-01').set('X-CSRF-Token', memberToken).send({ basisPoints: 100 }).expect(403);
  });

  it('the page lists the rates and takes a new one in percent; a wrong day or figure is named at its field', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const page = await office.get('/office/base-rates').expect(200);
    expect(page.text).toContain('1,27 %');
    expect(page.text).toContain('Satz speichern');
    await office.post('/office/base-rates').type('form').send({ _csrf: token, validFrom: '2027-01-01', percent: '-0,5', source: 'Bundesbank' }).expect(303);
    const after = await office.get('/office/base-rates?notice=reports.baseRateSaved').expect(200);
    expect(after.text).toContain('-0,50 %');
    const [{ basisPoints }] = await t.dataSource.query(`SELECT basis_points AS "basisPoints" FROM base_rate WHERE valid_from = '2027-01-01'`);
    expect(basisPoints).toBe(-50);
    const wrongDay = await office.post('/office/base-rates').type('form').send({ _csrf: token, validFrom: '2027-02-01', percent: '1,00' }).expect(422);
    expect(wrongDay.text).toContain('1. Januar und zum 1. Juli');
    // The error summary names the field as the form labels it, never an internal key.
    expect(wrongDay.text).toContain('<a href="#f-validFrom">Gültig ab:');
    expect(wrongDay.text).not.toContain('field.validFrom');
    const wrongFigure = await office.post('/office/base-rates').type('form').send({ _csrf: token, validFrom: '2027-07-01', percent: 'eins' }).expect(422);
    expect(wrongFigure.text).toContain('höchstens zwei Nachkommastellen');
    expect(wrongFigure.text).not.toContain('field.percent');
    expect(wrongFigure.text).toContain('value="eins"');
    // Administrators read the table without the form; members not at all.
    const admin = t.agent();
    await loginAs(admin, DEMO.admin);
    expect((await admin.get('/office/base-rates').expect(200)).text).not.toContain('Satz speichern');
    const member = t.agent();
    await loginAs(member, DEMO.voting);
    await member.get('/office/base-rates').expect(403);
  });
});
