import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp, openDatabase } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/app-config.js';
import { seedDemo } from '../../src/database/seed-demo.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { binary } from '../support/applications.js';
import { testServer, urlFor, withClient } from '../support/database.js';
import { threeSixtyGivingErrors } from '../support/three-sixty-giving.js';
import { decidedCallWithAwards } from '../support/transparency.js';

const PREFIX = '360G-neuss-test';
let t: TestApp;
let fixture: Awaited<ReturnType<typeof decidedCallWithAwards>>;


/** Words that must never reach the public: the rejected project, bank data, clerks, members, votes. */
async function secrets() {
  const [organisation] = await t.dataSource.query(`SELECT iban, account_holder AS "accountHolder" FROM organisation o JOIN application a ON a.organisation_id = o.id WHERE a.id = $1`, [fixture.awards[0].applicationId]);
  const people = (await t.dataSource.query(`SELECT full_name AS name FROM app_user WHERE roles && ARRAY['office', 'voting_member', 'chair', 'advisory_member']::text[]`)) as { name: string }[];
  return [fixture.rejected.title, fixture.rejected.referenceNumber, organisation.iban, ...people.map((p) => p.name), 'voted_down', 'abgelehnt'];
}

describe('public Förderbericht and open data', () => {
  beforeAll(async () => {
    t = await startTestApp({ env: { OPEN_DATA_GRANT_PREFIX: PREFIX } });
    fixture = await decidedCallWithAwards(t);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('shows nothing of a call before it is decided, nor of an id that names no call', async () => {
    const anonymous = t.agent();
    for (const path of [`/foerderbericht/${fixture.callId}`, `/foerderbericht/${fixture.callId}/grants.csv`, `/foerderbericht/${fixture.callId}/360giving.json`,
      `/api/v1/open-data/calls/${fixture.callId}`, `/api/v1/open-data/calls/${fixture.callId}/grants.csv`, `/api/v1/open-data/calls/${fixture.callId}/360giving.json`,
      '/foerderbericht/not-a-call', '/foerderbericht/00000000-0000-0000-0000-000000000000/grants.csv', '/api/v1/open-data/calls/12345/360giving.json']) {
      await anonymous.get(path).expect(404);
    }
    const list = await anonymous.get('/foerderbericht').expect(200);
    expect(list.text).not.toContain(fixture.callId);
    const listed = (await anonymous.get('/api/v1/open-data/calls').expect(200)).body as { id: string }[];
    expect(listed.map((c) => c.id)).not.toContain(fixture.callId);
    await fixture.decide();
  });

  it('lists the decided call with its totals and shows its funded projects, not the rejected one, without a login', async () => {
    const anonymous = t.agent();
    const { decisions } = (await fixture.office.get(`/api/v1/calls/${fixture.callId}/decisions`).expect(200)).body as { decisions: { kind: string; amountCents: number }[] };
    const awarded = decisions.filter((d) => d.kind === 'award').reduce((sum, d) => sum + d.amountCents, 0);
    const [call] = await t.dataSource.query(`SELECT year, title, budget_cents::float8 AS "budgetCents" FROM funding_call WHERE id = $1`, [fixture.callId]);

    const calls = (await anonymous.get('/api/v1/open-data/calls').expect(200)).body as { id: string }[];
    expect(calls.filter((c) => c.id === fixture.callId)).toEqual([{ id: fixture.callId, year: call.year, title: call.title, status: 'decided', budgetCents: call.budgetCents, fundedCount: 2, awardedCents: awarded }]);
    const home = await anonymous.get('/').expect(200);
    expect(home.text).toContain('href="/foerderbericht"');
    const list = await anonymous.get('/foerderbericht').expect(200);
    expect(list.text).toContain(`href="/foerderbericht/${fixture.callId}"`);

    const page = await anonymous.get(`/foerderbericht/${fixture.callId}`).expect(200);
    for (const project of fixture.funded) expect(page.text).toContain(project.title);
    const euro = (cents: number) => new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(cents / 100).replace(/\u00a0/g, ' ');
    const text = page.text.replace(/\u00a0|&nbsp;/g, ' ');
    expect(text).toContain(euro(awarded));
    expect(text).toContain(euro(call.budgetCents));
    expect(page.text).toContain('Handlungsfeld');
    expect(page.text).toContain('Erfttal');
    for (const secret of await secrets()) expect(page.text).not.toContain(secret);
    const api = (await anonymous.get(`/api/v1/open-data/calls/${fixture.callId}`).expect(200)).body;
    expect(api.call).toMatchObject({ fundedCount: 2, awardedCents: awarded });
    expect(api.projects.map((p: { title: string }) => p.title).sort()).toEqual(fixture.funded.map((p) => p.title).sort());
    // Only what is published: no internal decision id, no legal form beside the name.
    for (const project of api.projects) {
      expect(project).not.toHaveProperty('decisionId');
      expect(project.organisation).not.toHaveProperty('legalForm');
    }
    for (const secret of await secrets()) expect(JSON.stringify(api)).not.toContain(secret);
  });

  it('exports 360Giving JSON that the official schema accepts, and the schema refuses it with a required field removed', async () => {
    const anonymous = t.agent();
    for (const path of [`/foerderbericht/${fixture.callId}/360giving.json`, `/api/v1/open-data/calls/${fixture.callId}/360giving.json`]) {
      const res = await anonymous.get(path).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?Foerderbericht-\d{4}-360giving\.json"?$/);
      const data = JSON.parse((res.body as Buffer).toString('utf8'));
      expect(threeSixtyGivingErrors(data)).toEqual([]);
      for (const secret of await secrets()) expect(JSON.stringify(data)).not.toContain(secret);

      const grants = data.grants as Record<string, unknown>[];
      expect(grants).toHaveLength(2);
      const ids = fixture.funded.map((p) => `${PREFIX}-${p.referenceNumber}`).sort();
      expect(grants.map((g) => g.id).sort()).toEqual(ids);
      const [organisation] = await t.dataSource.query(`SELECT register_court AS court, register_number AS number FROM organisation o JOIN application a ON a.organisation_id = o.id WHERE a.id = $1`, [fixture.awards[0].applicationId]);
      expect(organisation.court).toBe('Amtsgericht Neuss');
      const registered = `DE-CR-RA000309-${organisation.number.replace(/\s/g, '')}`;
      expect(registered).toMatch(/^DE-CR-RA000309-VR\d+$/);
      for (const grant of grants) {
        expect(grant).toMatchObject({ currency: 'EUR', fromOpenCall: 'Yes', recipientOrganization: [{ id: registered, addressLocality: 'Neuss' }], fundingOrganization: [{ name: 'Stadt Neuss' }] });
        expect(grant.classifications).toEqual([expect.objectContaining({ title: 'Sprachförderung' })]);
        expect(grant.beneficiaryLocation).toEqual([expect.objectContaining({ name: 'Erfttal', countryCode: 'DE' })]);
        expect(grant.dataSource).toBe(`${t.config.baseUrl}/foerderbericht/${fixture.callId}`);
      }
      const { decisions } = (await fixture.office.get(`/api/v1/calls/${fixture.callId}/decisions`).expect(200)).body as { decisions: { id: string; applicationId: string; amountCents: number }[] };
      const paidGrantId = `${PREFIX}-${fixture.funded.find((p) => p.id === fixture.awards[0].applicationId)!.referenceNumber}`;
      for (const grant of grants) {
        const project = fixture.funded.find((p) => grant.id === `${PREFIX}-${p.referenceNumber}`)!;
        expect(grant.amountAwarded).toBe(decisions.find((d) => d.applicationId === project.id)!.amountCents / 100);
      }
      const paid = grants.find((g) => g.id === paidGrantId)!;
      expect(paid.amountDisbursed).toBe(fixture.payoutCents / 100);
      expect(paid.disbursementTransaction).toEqual([expect.objectContaining({ value: fixture.payoutCents / 100, currency: 'EUR', transactionDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })]);
      expect(grants.find((g) => g.id !== paidGrantId)).not.toHaveProperty('disbursementTransaction');

      // The check can fail: without a grant's id, or without the amount awarded, the schema refuses the export.
      const withoutId = structuredClone(data);
      delete withoutId.grants[0].id;
      expect(threeSixtyGivingErrors(withoutId).join('\n')).toMatch(/\/grants\/0 must have required property 'id'/);
      const withoutAmount = structuredClone(data);
      delete withoutAmount.grants[1].amountAwarded;
      expect(threeSixtyGivingErrors(withoutAmount).join('\n')).toMatch(/\/grants\/1 must have required property 'amountAwarded'/);
      const badDate = structuredClone(data);
      badDate.grants[0].awardDate = '30.11.2026';
      expect(threeSixtyGivingErrors(badDate)).not.toEqual([]);
    }
  });

  it('exports the funded projects as CSV, read back with their columns and amounts', async () => {
    const anonymous = t.agent();
    const { decisions } = (await fixture.office.get(`/api/v1/calls/${fixture.callId}/decisions`).expect(200)).body as { decisions: { applicationId: string; kind: string; amountCents: number }[] };
    for (const path of [`/foerderbericht/${fixture.callId}/grants.csv`, `/api/v1/open-data/calls/${fixture.callId}/grants.csv`]) {
      const res = await anonymous.get(path).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?Foerderbericht-\d{4}\.csv"?$/);
      const text = (res.body as Buffer).toString('utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
      const rows = parse(text.slice(1), { delimiter: ';', columns: true }) as Record<string, string>[];
      expect(Object.keys(rows[0])).toEqual(['Kennung', 'Aktenzeichen', 'Förderaufruf', 'Jahr', 'Organisation', 'Organisationskennung', 'Ort', 'Projekt', 'Handlungsfeld', 'Stadtteil',
        'Beginn', 'Ende', 'Bewilligungsdatum', 'Bewilligt (EUR)', 'Ausgezahlt (EUR)']);
      expect(rows).toHaveLength(2);
      for (const project of fixture.funded) {
        const row = rows.find((r) => r.Aktenzeichen === project.referenceNumber)!;
        const amount = decisions.find((d) => d.applicationId === project.id)!.amountCents;
        expect(row).toMatchObject({ Kennung: `${PREFIX}-${project.referenceNumber}`, Projekt: project.title, Handlungsfeld: 'Sprachförderung', Stadtteil: 'Erfttal', 'Bewilligt (EUR)': (amount / 100).toFixed(2) });
        expect(row.Organisationskennung).toMatch(/^DE-CR-RA000309-VR\d+$/);
        expect(row['Ausgezahlt (EUR)']).toBe(project.id === fixture.awards[0].applicationId ? (fixture.payoutCents / 100).toFixed(2) : '0.00');
      }
      for (const secret of await secrets()) expect(text).not.toContain(secret);
    }
  });

  it('leaves out an award the grantee withdrew', async () => {
    const anonymous = t.agent();
    const withdrawn = fixture.awards[1].applicationId;
    await fixture.applicant.post(`/api/v1/applications/${withdrawn}/withdraw`).set('X-CSRF-Token', fixture.applicantToken).expect(200);
    const kept = fixture.funded.find((p) => p.id === fixture.awards[0].applicationId)!;
    const api = (await anonymous.get(`/api/v1/open-data/calls/${fixture.callId}`).expect(200)).body;
    expect(api.call.fundedCount).toBe(1);
    expect(api.projects.map((p: { title: string }) => p.title)).toEqual([kept.title]);
    const page = await anonymous.get(`/foerderbericht/${fixture.callId}`).expect(200);
    expect(page.text).not.toContain(fixture.funded.find((p) => p.id === withdrawn)!.title);
    const data = JSON.parse(((await anonymous.get(`/foerderbericht/${fixture.callId}/360giving.json`).buffer(true).parse(binary).expect(200)).body as Buffer).toString('utf8'));
    expect(data.grants.map((g: { id: string }) => g.id)).toEqual([`${PREFIX}-${kept.referenceNumber}`]);
    expect(threeSixtyGivingErrors(data)).toEqual([]);
  });
});

describe('the demo year', () => {
  it('seeds a fresh database whose decided call exports 360Giving JSON that the official schema accepts', async () => {
    const { adminUrl } = testServer();
    const name = `ft_test_demo_${process.pid}_${Date.now()}`;
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
    const config = loadConfig({ DATA_DIR: await mkdtemp(join(tmpdir(), 'foerdertisch-demo-')), LOG_LEVEL: 'error', SESSION_SECRET: 'test-secret-test-secret-test-secret-1234' });
    const dataSource = await openDatabase(urlFor(adminUrl, name), config);
    const app = await createApp(config, dataSource, config.sessionSecret!).catch(async (error: unknown) => {
      await dataSource.destroy();
      throw error;
    });
    try {
      await seedDemo(dataSource);
      await app.init();
      const anonymous = request.agent(app.getHttpServer());
      const calls = (await anonymous.get('/api/v1/open-data/calls').expect(200)).body as { id: string; year: number; fundedCount: number }[];
      const decided = calls.filter((call) => call.fundedCount > 0);
      if (decided.length === 0) {
        throw new Error(`The demo data (seedDemo) holds no decided call with funded projects: open-data calls ${JSON.stringify(calls)}. The decided demo year is expected in src/database/seed-demo.ts.`);
      }
      for (const call of decided) {
        const res = await anonymous.get(`/foerderbericht/${call.id}/360giving.json`).buffer(true).parse(binary).expect(200);
        const data = JSON.parse((res.body as Buffer).toString('utf8'));
        expect({ year: call.year, errors: threeSixtyGivingErrors(data) }).toEqual({ year: call.year, errors: [] });
        expect(data.grants).toHaveLength(call.fundedCount);
        await anonymous.get(`/foerderbericht/${call.id}`).expect(200);
      }
    } finally {
      await app.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    }
  }, 180_000);
});
