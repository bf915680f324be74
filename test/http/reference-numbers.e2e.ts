import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/app.js';
import { preparedDraft } from '../support/applications.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Copies of a draft with its attachments; returns their ids. */
async function copiesOfDraft(id: string, count: number): Promise<string[]> {
  const columns: string[] = (await t.dataSource.query(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'application' AND is_generated = 'NEVER' AND column_name <> 'id'`,
  )).map((row: { column_name: string }) => row.column_name);
  const rows: { id: string }[] = await t.dataSource.query(
    `INSERT INTO application (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM application, generate_series(1, $2::int) WHERE id = $1 RETURNING id`,
    [id, count],
  );
  const ids = rows.map((row) => row.id);
  await t.dataSource.query(
    `INSERT INTO attachment (application_id, kind, filename, content_type, size_bytes, sha256, content, uploaded_by)
     SELECT copy, kind, filename, content_type, size_bytes, sha256, content, uploaded_by FROM attachment, unnest($2::uuid[]) copy WHERE application_id = $1`,
    [id, ids],
  );
  return ids;
}

describe('reference numbers', () => {
  it('concurrent submissions get distinct numbers without gaps; a refused submission draws none', async () => {
    const prepared = await preparedDraft(t);
    const [call] = await t.dataSource.query(`SELECT year FROM funding_call WHERE id = $1`, [prepared.callId]);
    const ids = [prepared.applicationId, ...(await copiesOfDraft(prepared.applicationId, 19))];

    // An incomplete draft is refused before a number is drawn.
    const incomplete = await prepared.agent.post('/api/v1/applications').set('X-CSRF-Token', prepared.token)
      .send({ title: 'Unvollständig', callId: prepared.callId, organisationId: prepared.organisationId, costLines: [], thirdParty: [], ownFundsCents: 0, declarations: [] })
      .expect(201);
    await prepared.agent.post(`/api/v1/applications/${incomplete.body.id}/submit`).set('X-CSRF-Token', prepared.token).expect(422);

    const answers = await Promise.all(ids.map((id) => prepared.agent.post(`/api/v1/applications/${id}/submit`).set('X-CSRF-Token', prepared.token)));
    expect(answers.map((res) => res.status)).toEqual(ids.map(() => 200));
    const numbers = answers.map((res) => res.body.referenceNumber as string).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `NE-${call.year}-${String(i + 1).padStart(4, '0')}`));

    // Each version's snapshot names the number its application got.
    const versions: { reference: string; snapshot: string }[] = await t.dataSource.query(
      `SELECT a.reference_number AS reference, v.snapshot->>'referenceNumber' AS snapshot FROM application a JOIN application_version v ON v.application_id = a.id WHERE a.id = ANY($1::uuid[])`,
      [ids],
    );
    expect(versions).toHaveLength(20);
    expect(versions.every((v) => v.reference === v.snapshot)).toBe(true);
  });

  it('numbers past 9999 get a fifth digit and sort after the four-digit ones', async () => {
    const prepared = await preparedDraft(t);
    const [call] = await t.dataSource.query(`SELECT year FROM funding_call WHERE id = $1`, [prepared.callId]);
    await t.dataSource.query(`SELECT setval('reference_number_${Number(call.year)}', 9999)`);
    const res = await prepared.agent.post(`/api/v1/applications/${prepared.applicationId}/submit`).set('X-CSRF-Token', prepared.token).expect(200);
    expect(res.body.referenceNumber).toBe(`NE-${call.year}-10000`);
    const rows: { referenceNumber: string }[] = await t.dataSource.query(
      `SELECT reference_number AS "referenceNumber" FROM application WHERE call_id = $1 AND reference_number IS NOT NULL ORDER BY reference_seq`,
      [prepared.callId],
    );
    expect(rows.at(-1)!.referenceNumber).toBe(`NE-${call.year}-10000`);
    expect(rows[0].referenceNumber).toBe(`NE-${call.year}-0001`);
  });
});
