import type request from 'supertest';
import type { TestApp } from './app.js';
import { DEMO, loginAs } from './app.js';

/** A tiny but real PDF file. */
export const PDF_FILE = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** Content that satisfies the demo call's rules (deficit financing, cap 5.000 €, 10 % own funds). */
export function completeContent(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Sprachcafé im Quartier',
    fieldOfAction: 'Sprachförderung',
    targetGroup: 'Neu zugewanderte Familien',
    district: 'Erfttal',
    description: 'Wöchentliches Sprachcafé mit Kinderbetreuung.',
    goals: 'Alltagsdeutsch üben, Nachbarschaft stärken.',
    methods: 'Gesprächsrunden, Spiele, gemeinsame Ausflüge.',
    expectedParticipants: 40,
    openness: 'Offen für alle, kostenfrei, barrierearmer Raum.',
    costLines: [
      { category: 'Honorare', description: 'Kursleitung 40 Stunden', amountCents: 300_000 },
      { category: 'Sachkosten', description: 'Material und Getränke', amountCents: 50_000 },
    ],
    ownFundsCents: 50_000,
    thirdParty: [{ source: 'Bürgerstiftung Neuss', amountCents: 20_000, status: 'applied' }],
    requestedCents: 280_000,
    ...overrides,
  };
}

export interface Prepared {
  agent: ReturnType<typeof request.agent>;
  token: string;
  applicationId: string;
  callId: string;
  organisationId: string;
  call: { fundingPeriodStart: string; fundingPeriodEnd: string; declarations: string[]; requiredAttachments: string[] };
}

/** The demo applicant with a complete draft (all declarations, all required attachments) in the open demo call. */
export async function preparedDraft(t: TestApp, overrides: Record<string, unknown> = {}): Promise<Prepared> {
  const agent = t.agent();
  const token = await loginAs(agent, DEMO.applicant);
  const [call] = (await agent.get('/api/v1/calls?open=true').expect(200)).body;
  const [organisation] = (await agent.get('/api/v1/organisations').expect(200)).body;
  const body = { ...completeContent(), startDate: call.fundingPeriodStart, endDate: call.fundingPeriodEnd, declarations: call.declarations, ...overrides };
  const created = await agent.post('/api/v1/applications').set('X-CSRF-Token', token).send({ ...body, callId: call.id, organisationId: organisation.id }).expect(201);
  for (const kind of call.requiredAttachments) {
    await agent.post(`/api/v1/applications/${created.body.id}/attachments`).set('X-CSRF-Token', token).field('kind', kind).attach('file', PDF_FILE, `${kind}.pdf`).expect(201);
  }
  return { agent, token, applicationId: created.body.id, callId: call.id, organisationId: organisation.id, call };
}

/** Collects a binary response body (PDF, attachment). */
export function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

export const ALL_CHECKS = ['complete', 'organisationConfirmed', 'certificateValid', 'fieldOfActionMatches', 'declarationsMade', 'financePlanConsistent', 'attachmentsPresent'];

/** A complete draft, submitted by the applicant and found eligible by the office. */
export async function eligibleApplication(t: TestApp, overrides: Record<string, unknown> = {}): Promise<Prepared & { office: ReturnType<typeof request.agent>; officeToken: string }> {
  const prepared = await preparedDraft(t, overrides);
  const submitted = await prepared.agent.post(`/api/v1/applications/${prepared.applicationId}/submit`).set('X-CSRF-Token', prepared.token).expect(200);
  const office = t.agent();
  const officeToken = await loginAs(office, DEMO.office);
  await office.post(`/api/v1/applications/${prepared.applicationId}/decision`).set('X-CSRF-Token', officeToken).send({ outcome: 'eligible', checks: ALL_CHECKS, version: submitted.body.version }).expect(200);
  return { ...prepared, office, officeToken };
}

/** Eligible applications put on the agenda of a session a week ahead; returns the session's id. */
export async function scheduledSession(t: TestApp, office: ReturnType<typeof request.agent>, officeToken: string, callId: string, applicationIds: string[]): Promise<string> {
  const session = await office.post('/api/v1/sessions').set('X-CSRF-Token', officeToken)
    .send({ callId, scheduledAt: new Date(Date.now() + 7 * 86400_000).toISOString(), place: 'Rathaus Neuss, Raum 2.12', applicationIds })
    .expect(201);
  return session.body.id;
}
