import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type request from 'supertest';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { PDF_FILE } from '../support/applications.js';
import { closeReportWithRepayment } from '../support/claims.js';
import { reportOfAward, submittedReport } from '../support/reports.js';
import { decidedCallCopy } from '../support/transparency.js';

/**
 * Generated bad input against every operation of the OpenAPI document: malformed path parameters,
 * query parameters and bodies (derived from each operation's schema), sent by every role that may
 * call the operation. Nothing may answer 5xx. Fixed seed, so a failure is reproducible.
 */

type Agent = ReturnType<typeof request.agent>;
type Schema = { $ref?: string; type?: string; enum?: unknown[]; items?: Schema; properties?: Record<string, Schema>; example?: unknown; format?: string; nullable?: boolean };
interface Operation { method: string; path: string; parameters?: { name: string; in: string; schema?: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }

// Fixed by default; BAD_INPUT_SEED and BAD_INPUT_RUNS explore further by hand.
const SEED = Number(process.env.BAD_INPUT_SEED ?? 20261130);
const RUNS_PER_OPERATION = Number(process.env.BAD_INPUT_RUNS ?? 20);
const RUNS_PER_PAGE_ROUTE = Math.ceil(RUNS_PER_OPERATION * 0.6);
// Ends the agent's own session; checked by the auth tests.
const SKIPPED = new Set(['POST /api/v1/auth/logout', 'POST /logout']);

let t: TestApp;
let spec: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
const agents: Record<string, { agent: Agent; token: string }> = {};
/** Real ids by the path segment naming them (or by the parameter's own name), so that requests also get past "not found". */
const realIds: Record<string, string[]> = {};
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-beispiel')]);

/**
 * Usage reports of the demo applicant in the states their routes act on, built through the real API:
 * a draft with a participant list (the grantee's routes), one in the office's check with its receipts
 * (the office's routes), one settled with a drafted repayment claim (the claim's routes), and a planned site
 * visit with a photo on the draft's award.
 */
async function reportFixtures(): Promise<void> {
  const draft = await reportOfAward(t, { paidCents: 100_000 });
  // The demo call asks for no participant lists, and a published call's rules are fixed (as in usage-reports.e2e):
  // the setting is switched on in the database so that the file routes have a file to act on.
  await t.dataSource.query(`UPDATE funding_call SET participant_lists_required = true WHERE id = $1`, [draft.callId]);
  const draftFile = (await draft.applicant.post(`/api/v1/usage-reports/${draft.reportId}/files`).set('X-CSRF-Token', draft.applicantToken)
    .attach('file', PDF_FILE, 'Teilnehmendenliste.pdf').expect(201)).body;
  const inCheck = await submittedReport(t, { paidCents: 100_000 });
  const checking = (await inCheck.office.post(`/api/v1/usage-reports/${inCheck.reportId}/start-check`).set('X-CSRF-Token', inCheck.officeToken).expect(200)).body;
  const checkFiles = (checking.files ?? []) as { id: string }[];
  const claimed = await closeReportWithRepayment(t);
  // Its claim drafted by the second office person, so that the office's own changes, release and booking reach the claim.
  await claimed.second.put(`/api/v1/reports/${claimed.reportId}/claim`).set('X-CSRF-Token', claimed.secondToken).send({}).expect(200);
  const { office, officeToken } = draft;
  const visit = (await office.post(`/api/v1/decisions/${draft.award.id}/visits`).set('X-CSRF-Token', officeToken)
    .send({ visitOn: berlinDay(new Date()), staff: 'Jonas Becker' }).expect(201)).body;
  const photo = (await office.post(`/api/v1/visits/${visit.id}/photos`).set('X-CSRF-Token', officeToken).attach('file', PNG, 'Besuch.png').expect(201)).body;

  const reports = [draft.reportId, inCheck.reportId, claimed.reportId];
  realIds['usage-reports'] = reports;
  realIds.reports = reports;
  realIds.files = [draftFile.id, ...checkFiles.map((file) => file.id)];
  realIds.receipts = (checking.receipts as { id: string }[]).map((receipt) => receipt.id);
  realIds.visits = [visit.id];
  realIds.photos = [photo.id];
  realIds.decisions = [draft.award.id, inCheck.award.id, claimed.award.id];
  // Path parameters named after what they hold, where the segment before them names something else.
  realIds.fileId = realIds.files;
  realIds.receiptId = realIds.receipts;
  realIds.photoId = realIds.photos;
  realIds.decisionId = realIds.decisions;
  realIds.calls = [...new Set([...realIds.calls, draft.callId, inCheck.callId, claimed.callId])];
  // A decided call with a standing award, for the public Förderbericht and its open data.
  const decidedCall = await decidedCallCopy(t, draft.callId, draft.award.applicationId);
  realIds.calls.push(decidedCall);
  realIds.foerderbericht = [decidedCall];
}

beforeAll(async () => {
  t = await startTestApp();
  for (const [role, email] of [['office', DEMO.office], ['admin', DEMO.admin], ['applicant', DEMO.applicant], ['member', DEMO.voting], ['chair', DEMO.chair]] as const) {
    const agent = t.agent();
    agents[role] = { agent, token: await loginAs(agent, email) };
  }
  const anonymous = t.agent();
  spec = (await anonymous.get('/api/docs/openapi.json').expect(200)).body;
  const ids = async (sql: string): Promise<string[]> => (await t.dataSource.query(sql)).map((row: { id: string }) => String(row.id));
  realIds.applications = await ids(`SELECT id FROM application ORDER BY created_at LIMIT 6`);
  realIds.calls = await ids(`SELECT id FROM funding_call LIMIT 4`);
  realIds.organisations = await ids(`SELECT id FROM organisation LIMIT 10`);
  realIds.members = await ids(`SELECT id FROM round_table_member LIMIT 4`);
  realIds.sessions = await ids(`SELECT id FROM council_session LIMIT 3`);
  realIds['agenda-items'] = await ids(`SELECT id FROM agenda_item LIMIT 4`);
  realIds.attachments = await ids(`SELECT id FROM attachment LIMIT 3`);
  realIds.contacts = await ids(`SELECT id FROM organisation_contact LIMIT 3`);
  realIds.affiliations = await ids(`SELECT id FROM member_affiliation LIMIT 3`);
  // Not the accounts the test signs in with: disabling them would end its sessions.
  realIds.accounts = await ids(`SELECT id FROM app_user WHERE email NOT IN ('${Object.values(DEMO).join("','")}') LIMIT 3`);
  realIds.versions = ['1', '2'];
  await reportFixtures();
}, 300_000);

afterAll(async () => {
  await t?.close();
});

const deep = (levels: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

const BAD_STRINGS = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '', ' ', 'x'.repeat(20_000), '1e20', '-1', '99999999999', '99999999999999999999', 'NaN', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', '2027-02-30', '<b>', '%00', '[]', '{}'];
const BAD_VALUES: unknown[] = [
  ...BAD_STRINGS, 1e20, 2 ** 63, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 99_999_999_999, -1, 0, 1.5, true, false, null,
  {}, [], [{}], [null], ['\u0000'], { '\u0000': 1 }, { '\ud800': 'x' }, { a: { b: { c: 1 } } }, deep(20), deep(31), deep(40), [1e20], ['\ud800'],
];
const badValue = fc.constantFrom(...BAD_VALUES);
const badPathValue = fc.constantFrom('abc', '0', '1', '99999999999', '99999999999999999999', '-1', '%00', 'a%00b', '%ED%A0%80', '%F0%9F%98%80', '00000000-0000-0000-0000-000000000000', `${'a'.repeat(300)}`, '1e20', 'NaN');

function resolve(schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(spec.components.schemas[schema.$ref.split('/').pop()!]);
  return schema;
}

/** A plausible value for the field, so that one bad field at a time gets through to deeper checks. */
function plausible(name: string, schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  if (/Ids?$/.test(name)) {
    const kind = `${name.replace(/^chair/, '').replace(/Ids?$/, '').toLowerCase()}s`;
    const ids = realIds[kind] ?? Object.values(realIds).flat().filter((id) => id.includes('-'));
    return name.endsWith('Ids') ? fc.subarray(ids) : fc.constantFrom(...ids);
  }
  if (s.example !== undefined) return fc.constant(s.example);
  switch (s.type) {
    case 'integer':
    case 'number':
      return fc.integer({ min: 0, max: 1000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 2 ? fc.constant([]) : fc.array(plausible('item', s.items ?? {}, depth + 1), { minLength: 1, maxLength: 3 });
    case 'object':
      return depth > 2 ? fc.constant({}) : plausibleObject(s, depth + 1);
    default:
      return fc.string({ maxLength: 20 });
  }
}

/** Every field plausible: the base each case spoils in one or two places. */
function plausibleObject(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = resolve(schema).properties ?? {};
  return fc.record(Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, plausible(name, property, depth)])));
}

/** A plausible body with one or two fields (at the top or inside the first list entry) replaced by bad values, or an unknown field added. */
function spoiled(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const keys = Object.keys(resolve(schema).properties ?? {});
  const spoil = fc.tuple(fc.constantFrom(...keys, '__unknown'), badValue, fc.boolean());
  return fc.tuple(plausibleObject(schema, depth), fc.array(spoil, { minLength: 1, maxLength: 2 })).map(([base, spoils]) => {
    const body: Record<string, unknown> = { ...base };
    for (const [key, bad, inside] of spoils) {
      const current = body[key];
      if (inside && Array.isArray(current) && current[0] && typeof current[0] === 'object') {
        const [first, ...rest] = current as Record<string, unknown>[];
        const innerKeys = Object.keys(first);
        body[key] = [{ ...first, [innerKeys[0] ?? 'x']: bad }, ...rest];
      } else {
        body[key] = bad;
      }
    }
    return body;
  });
}

function bodyFor(operation: Operation): fc.Arbitrary<unknown> | undefined {
  const schema = operation.requestBody?.content['application/json']?.schema;
  if (!schema) return undefined;
  if (Object.keys(resolve(schema).properties ?? {}).length === 0) return fc.oneof(badValue, fc.dictionary(fc.constantFrom('a', '\u0000', '00000000-0000-0000-0000-000000000000'), badValue, { maxKeys: 2 }));
  return fc.oneof({ weight: 12, arbitrary: spoiled(schema, 0) }, { weight: 1, arbitrary: badValue });
}

function encode(value: string): string {
  if (/%[0-9A-F]{2}/.test(value)) return value;
  return encodeURIComponent(value);
}

/** Query strings: bad values, structured keys (`a[]=`, `a[b]=`) and repeated keys. */
function queryFor(operation: Operation): fc.Arbitrary<string> {
  const names = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  if (names.length === 0) return fc.constant('');
  const value = fc.oneof(fc.constantFrom(...BAD_STRINGS.filter((s) => s.length < 100)), badPathValue, fc.constant('submitted'));
  const part = fc.tuple(fc.constantFrom(...names), value, fc.constantFrom('plain', 'array', 'object', 'repeat')).map(([name, v, shape]) => {
    const encoded = /[\ud800-\udfff]/.test(v) && !/[\ud800-\udbff][\udc00-\udfff]/.test(v) ? '%ED%A0%80' : encode(v);
    if (shape === 'array') return `${name}[]=${encoded}`;
    if (shape === 'object') return `${name}[x]=${encoded}`;
    if (shape === 'repeat') return `${name}=${encoded}&${name}=${encoded}`;
    return `${name}=${encoded}`;
  });
  return fc.array(part, { maxLength: 3 }).map((parts) => (parts.length ? `?${parts.join('&')}` : ''));
}

function pathFor(path: string): fc.Arbitrary<string> {
  const segments = path.split('/');
  return fc.tuple(...segments.map((segment, i) => {
    if (!segment.startsWith('{')) return fc.constant(segment);
    const real = realIds[segment.slice(1, -1)] ?? realIds[segments[i - 1]] ?? [];
    return real.length ? fc.oneof(badPathValue, fc.constantFrom(...real), fc.constantFrom(...real)) : badPathValue;
  })).map((parts) => parts.map((part) => (part.includes('%') ? part : encode(part))).join('/'));
}

function send(agent: Agent, token: string, method: string, url: string, body: unknown, multipart: boolean): request.Test {
  const test = (agent as unknown as Record<string, (url: string) => request.Test>)[method](url).set('X-CSRF-Token', token).set('Accept', 'application/json');
  if (multipart) {
    const name = typeof body === 'object' && body && 'name' in body ? String((body as { name: unknown }).name) : 'Anlage.pdf';
    return test.field('kind', String((body as { kind?: unknown })?.kind ?? '\u0000')).attach('file', Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n'), { filename: name, contentType: 'application/pdf' });
  }
  if (body === undefined) return test;
  return test.set('Content-Type', 'application/json').send(JSON.stringify(body));
}

describe('generated bad input', () => {
  it('no operation of the OpenAPI document answers 5xx to malformed paths, queries or bodies', async () => {
    const failures: string[] = [];
    let requests = 0;
    const byStatus: Record<string, number> = {};
    const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method)).map(([method, operation]) => ({ ...operation, method, path })),
    );
    expect(operations.length).toBeGreaterThan(50);

    for (const operation of operations) {
      if (SKIPPED.has(`${operation.method.toUpperCase()} ${operation.path}`)) continue;
      const multipart = Boolean(operation.requestBody?.content['multipart/form-data']);
      // The roles the operation admits; the others stop at the guard (403) before any input is read.
      const roles: string[] = [];
      for (const [role, { agent, token }] of Object.entries(agents)) {
        const probe = operation.path.replace(/\{[^}]+\}/g, '00000000-0000-0000-0000-000000000000');
        const res = await send(agent, token, operation.method, probe, undefined, false);
        requests++;
        if (res.status >= 500) failures.push(`${res.status} ${operation.method.toUpperCase()} ${probe} as ${role}`);
        if (res.status !== 403 && res.status !== 401) roles.push(role);
      }
      if (roles.length === 0) roles.push('office');

      const body = bodyFor(operation) ?? (multipart ? fc.record({ name: fc.constantFrom('Ü.pdf', 'a\u0000.pdf', '\ud800.pdf', `${'x'.repeat(600)}.pdf`, '😀.pdf'), kind: badValue }) : fc.constant(undefined));
      const cases = fc.sample(fc.tuple(fc.constantFrom(...roles), pathFor(operation.path), queryFor(operation), body), { seed: SEED, numRuns: RUNS_PER_OPERATION });
      for (const [role, path, query, payload] of cases) {
        const { agent, token } = agents[role];
        const url = `${path}${query}`;
        const res = await send(agent, token, operation.method, url, payload, multipart);
        requests++;
        byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
        if (res.status >= 500) failures.push(`${res.status} ${operation.method.toUpperCase()} ${url} as ${role}: ${JSON.stringify(payload)?.slice(0, 300)}`);
      }
    }
    expect(requests).toBeGreaterThan(1000);
    process.stdout.write(`bad-input API: ${operations.length} operations, ${requests} requests, answers by status ${JSON.stringify(byStatus)}\n`);
    expect(failures).toEqual([]);
  }, 600_000);

  it('no page route answers 5xx to malformed paths, queries or form posts', async () => {
    const failures: string[] = [];
    let requests = 0;
    const byStatus: Record<string, number> = {};
    const router = (t.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
    const routes = router.stack
      .filter((layer) => layer.route && !layer.route.path.startsWith('/api/') && !layer.route.path.startsWith('/static'))
      .flatMap((layer) => Object.keys(layer.route!.methods).filter((m) => m === 'get' || m === 'post').map((method) => ({ method, path: layer.route!.path })))
      .filter((route) => !SKIPPED.has(`${route.method.toUpperCase()} ${route.path}`));
    expect(routes.length).toBeGreaterThan(40);

    // Form field names of every schema, filled with bad values in every form shape.
    const fieldNames = [...new Set(Object.values(spec.components.schemas).flatMap((schema) => Object.keys(schema.properties ?? {})))];
    const formValue = fc.constantFrom(...BAD_STRINGS.filter((v) => v.length < 100), '1e20', '9223372036854775808', '2147483648', 'on');
    const field = fc.tuple(fc.constantFrom(...fieldNames, 'costLines', 'thirdParty'), formValue, fc.constantFrom('plain', 'array', 'object', 'row', 'deep')).map(([name, value, shape]) => {
      const encoded = /[\ud800-\udfff]/.test(value) ? '%ED%A0%80' : encode(value);
      if (shape === 'array') return `${name}[]=${encoded}`;
      if (shape === 'object') return `${name}[x]=${encoded}`;
      if (shape === 'row') return `${name}[0][amountCents]=${encoded}`;
      if (shape === 'deep') return `${name}[a][b][c][d][e]=${encoded}`;
      return `${name}=${encoded}`;
    });
    const form = fc.array(field, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('&'));
    const query = fc.array(fc.tuple(fc.constantFrom('status', 'fieldOfAction', 'q', 'callId', 'next', 'lang', 'notice'), formValue), { maxLength: 2 })
      .map((parts) => (parts.length ? `?${parts.map(([name, value]) => `${name}=${/[\ud800-\udfff]/.test(value) ? '%ED%A0%80' : encode(value)}`).join('&')}` : ''));

    for (const route of routes) {
      const openApiPath = route.path.replace(/:(\w+)/g, '{$1}');
      const cases = fc.sample(fc.tuple(fc.constantFrom(...Object.keys(agents)), pathFor(openApiPath), query, form), { seed: SEED, numRuns: RUNS_PER_PAGE_ROUTE });
      for (const [role, path, search, body] of cases) {
        const { agent, token } = agents[role];
        const url = `${path}${search}`;
        const test = route.method === 'get' ? agent.get(url) : agent.post(url).type('form').send(`_csrf=${token}&${body}`);
        const res = await test;
        requests++;
        byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
        if (res.status >= 500) failures.push(`${res.status} ${route.method.toUpperCase()} ${url} as ${role}: ${route.method === 'post' ? body.slice(0, 300) : ''}`);
      }
    }
    expect(requests).toBeGreaterThan(500);
    process.stdout.write(`bad-input pages: ${routes.length} routes, ${requests} requests, answers by status ${JSON.stringify(byStatus)}\n`);
    expect(failures).toEqual([]);
  }, 600_000);
});
