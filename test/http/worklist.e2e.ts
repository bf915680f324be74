import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { preparedDraft } from '../support/applications.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Copies of an application row, each with the columns given (reference number, status, ...); returns their ids. */
async function copies(id: string, rows: Record<string, unknown>[]): Promise<string[]> {
  const columns: string[] = (await t.dataSource.query(
    `SELECT column_name FROM information_schema.columns
     WHERE table_name = 'application' AND is_generated = 'NEVER' AND column_name <> 'id'`,
  )).map((row: { column_name: string }) => row.column_name);
  const ids: string[] = [];
  for (const row of rows) {
    const set = Object.keys(row);
    const kept = columns.filter((column) => !set.includes(column));
    const [inserted] = await t.dataSource.query(
      `INSERT INTO application (${[...set, ...kept].join(', ')})
       SELECT ${set.map((_, i) => `$${i + 2}`).join(', ')}${set.length && kept.length ? ', ' : ''}${kept.join(', ')} FROM application WHERE id = $1
       RETURNING id`,
      [id, ...Object.values(row)],
    );
    ids.push(inserted.id);
  }
  return ids;
}

const reference = (year: number, n: number) => `NE-${year}-${String(n).padStart(4, '0')}`;

describe('the office worklist of a large call', () => {
  let callId: string;
  let year: number;
  let office: ReturnType<TestApp['agent']>;
  // The first real submission (number 1), then 9902 to 9974 and 10000: as text, "…-10000" would sort
  // before "…-9902", by number it comes last.
  const numbers = Array.from({ length: 75 }, (_, i) => (i === 0 ? 1 : i === 73 ? 10_000 : 9_900 + i + 1));
  const sorted = [...numbers].sort((a, b) => a - b);
  const withdrawn = (n: number) => n % 5 === 0 && n !== 10_000;

  beforeAll(async () => {
    const prepared = await preparedDraft(t);
    const submitted = await prepared.agent.post(`/api/v1/applications/${prepared.applicationId}/submit`).set('X-CSRF-Token', prepared.token).expect(200);
    callId = prepared.callId;
    const [call] = await t.dataSource.query(`SELECT year, fields_of_action AS "fieldsOfAction" FROM funding_call WHERE id = $1`, [callId]);
    year = call.year;
    expect(submitted.body.referenceNumber).toBe(reference(year, 1));
    // Inserted in a shuffled order, so that the order shown comes from the numbers, not from the insertion.
    const rest = numbers.slice(1).sort((a, b) => ((a * 37) % 101) - ((b * 37) % 101));
    await copies(prepared.applicationId, rest.map((n) => ({
      reference_number: reference(year, n),
      status: withdrawn(n) ? 'withdrawn' : 'submitted',
      field_of_action: n % 2 ? call.fieldsOfAction[0] : call.fieldsOfAction[1],
      requested_cents: 100_000 + n,
    })));
    office = t.agent();
    await loginAs(office, DEMO.office);
  });

  it('pages in reference order by number: page 2 shows the next rows, NE-…-10000 after NE-…-9974', async () => {
    const first = (await office.get(`/api/v1/calls/${callId}/applications?pageSize=50`).expect(200)).body;
    const second = (await office.get(`/api/v1/calls/${callId}/applications?pageSize=50&page=2`).expect(200)).body;
    expect(first).toMatchObject({ page: 1, pageSize: 50, total: 75, pages: 2 });
    expect(second).toMatchObject({ page: 2, pageSize: 50, total: 75, pages: 2 });
    const shown = [...first.rows, ...second.rows].map((row: { referenceNumber: string }) => row.referenceNumber);
    expect(first.rows).toHaveLength(50);
    expect(second.rows).toHaveLength(25);
    expect(shown).toEqual(sorted.map((n) => reference(year, n)));
    expect(shown.indexOf(`NE-${year}-10000`)).toBeGreaterThan(shown.indexOf(reference(year, 9974)));
    expect(shown.at(-1)).toBe(`NE-${year}-10000`);
  });

  it('filters and counts in the database; the sum leaves out withdrawn applications', async () => {
    const field = (await t.dataSource.query(`SELECT fields_of_action AS f FROM funding_call WHERE id = $1`, [callId]))[0].f[0];
    const res = (await office.get(`/api/v1/calls/${callId}/applications`).query({ status: 'withdrawn', pageSize: 10 }).expect(200)).body;
    expect(res.total).toBe(numbers.filter(withdrawn).length);
    expect(res.rows).toHaveLength(10);
    expect(res.rows.every((row: { status: string }) => row.status === 'withdrawn')).toBe(true);
    expect(res.countsByStatus).toEqual({ submitted: numbers.filter((n) => !withdrawn(n)).length, withdrawn: numbers.filter(withdrawn).length });
    const original = numbers.filter((n) => n === 1);
    const requested = numbers.filter((n) => !withdrawn(n) && n !== 1).reduce((sum, n) => sum + 100_000 + n, 0);
    const [{ cents }] = await t.dataSource.query(`SELECT requested_cents::int AS cents FROM application WHERE reference_number = $1`, [reference(year, original[0])]);
    expect(res.requestedTotalCents).toBe(requested + cents);
    const byField = (await office.get(`/api/v1/calls/${callId}/applications`).query({ fieldOfAction: field, status: 'submitted', pageSize: 200 }).expect(200)).body;
    const [{ originalField }] = await t.dataSource.query(`SELECT field_of_action AS "originalField" FROM application WHERE reference_number = $1`, [reference(year, 1)]);
    const expected = numbers.filter((n) => !withdrawn(n) && (n === 1 ? originalField === field : n % 2 === 1));
    expect(byField.total).toBe(expected.length);
    expect(byField.rows.map((row: { referenceNumber: string }) => row.referenceNumber)).toEqual(expected.sort((a, b) => a - b).map((n) => reference(year, n)));
  });

  it('the page shows 50 rows and accessible links to the other pages that keep the filter', async () => {
    const page1 = await office.get(`/office/calls/${callId}/applications`).expect(200);
    expect((page1.text.match(/<tr>\s*<td><a href="\/office\/applications\//g) ?? []).length).toBe(50);
    expect(page1.text).toContain(`<nav class="pagination" aria-label="Seiten der Antragsliste">`);
    expect(page1.text).toMatch(new RegExp(`href="/office/calls/${callId}/applications\\?page=1" aria-label="Seite 1" aria-current="page"`));
    expect(page1.text).toContain(`href="/office/calls/${callId}/applications?page=2" rel="next"`);
    expect(page1.text).toContain('Anträge 1 bis 50 von 75');
    const page2 = await office.get(`/office/calls/${callId}/applications?page=2`).expect(200);
    expect((page2.text.match(/<tr>\s*<td><a href="\/office\/applications\//g) ?? []).length).toBe(25);
    expect(page2.text).toContain(`>${reference(year, sorted[50])}</a>`);
    expect(page2.text).not.toContain(`>${reference(year, sorted[49])}</a>`);
    expect(page2.text).toContain('Anträge 51 bis 75 von 75');
    expect(page2.text).toContain(`href="/office/calls/${callId}/applications?page=1" rel="prev"`);
    const filtered = await office.get(`/office/calls/${callId}/applications?status=submitted`).expect(200);
    expect(filtered.text).toContain(`href="/office/calls/${callId}/applications?status=submitted&amp;page=2" rel="next"`);
  });

  it('a page that is not a positive whole number is a 422 naming it', async () => {
    const res = await office.get(`/api/v1/calls/${callId}/applications?page=0&pageSize=1000`).expect(422);
    expect(Object.keys(res.body.fields).sort()).toEqual(['page', 'pageSize']);
    await office.get(`/office/calls/${callId}/applications?page=abc`).expect(422);
  });

  it('the CSV holds the whole filtered set in reference order, not one page', async () => {
    const csv = await office.get(`/api/v1/calls/${callId}/applications.csv?status=submitted`).expect(200);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0].startsWith('Aktenzeichen;')).toBe(true);
    const expected = numbers.filter((n) => !withdrawn(n)).sort((a, b) => a - b).map((n) => reference(year, n));
    expect(lines.slice(1).map((line) => line.split(';')[0])).toEqual(expected);
  });
});
