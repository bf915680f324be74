import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp, openDatabase } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/app-config.js';
import { preparedDraft } from '../support/applications.js';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

let t: TestApp;
let smtp: TestSmtp;
let second: NestExpressApplication;
let secondDataSource: DataSource;

beforeAll(async () => {
  smtp = await startSmtp();
  const env = { SMTP_URL: smtp.url, JOB_RETRY_DELAY_SECONDS: '1' };
  t = await startTestApp({ env });
  // A second instance of the service on the same database, as behind a load balancer.
  const config = loadConfig({ ...env, DATA_DIR: await mkdtemp(join(tmpdir(), 'foerdertisch-data-')), LOG_LEVEL: 'error', SESSION_SECRET: t.config.sessionSecret });
  secondDataSource = await openDatabase((t.dataSource.options as { url: string }).url);
  second = await createApp(config, secondDataSource, config.sessionSecret!);
  await second.init();
});
afterAll(async () => {
  await second.close();
  if (secondDataSource.isInitialized) await secondDataSource.destroy();
  await t.close();
  await smtp.close();
});

const mailsTo = (address: string) => smtp.messages.filter((m) => m.to?.[0].address === address);

describe('two instances on one database', () => {
  it('decide one application once: one 200, one 409, and one mail each for the receipt and the decision', async () => {
    const { agent, token, applicationId } = await preparedDraft(t);
    const submitted = (await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(200)).body;
    const here = t.agent();
    const hereToken = await loginAs(here, DEMO.office);
    const there = request.agent(second.getHttpServer());
    const thereToken = await loginAs(there, 'integrationsamt@neuss.example');

    const [a, b] = await Promise.all([
      here.post(`/api/v1/applications/${applicationId}/decision`).set('X-CSRF-Token', hereToken)
        .send({ outcome: 'ineligible', reason: 'Kein Bezug zur Integration.', checks: [], version: submitted.version }),
      there.post(`/api/v1/applications/${applicationId}/decision`).set('X-CSRF-Token', thereToken)
        .send({ outcome: 'changes_requested', message: 'Bitte die Zielgruppe genauer beschreiben.', replyBy: new Date(Date.now() + 14 * 86400_000).toISOString().slice(0, 10), checks: ['complete'], version: submitted.version }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);

    const applicant = DEMO.applicant;
    await eventually(async () => mailsTo(applicant).some((m) => m.subject?.includes('kann nicht gefördert') || m.subject?.includes('ergänzen')), 15_000);
    await eventually(async () => mailsTo(applicant).some((m) => m.subject?.includes(submitted.referenceNumber) && m.subject.startsWith('Eingangsbestätigung')), 15_000);
    // both workers poll the same queue; give a duplicate the time to show up
    await new Promise((r) => setTimeout(r, 2500));
    const mine = mailsTo(applicant).filter((m) => m.subject?.includes(submitted.referenceNumber));
    expect(mine.filter((m) => m.subject!.startsWith('Eingangsbestätigung'))).toHaveLength(1);
    expect(mine.filter((m) => !m.subject!.startsWith('Eingangsbestätigung'))).toHaveLength(1);
  });

  it('run each job once: twenty invitations from both instances give twenty mails', async () => {
    const here = t.agent();
    const hereToken = await loginAs(here, DEMO.office);
    const there = request.agent(second.getHttpServer());
    const thereToken = await loginAs(there, DEMO.office);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? here : there)
      .post('/api/v1/accounts/invitations').set('X-CSRF-Token', i % 2 ? hereToken : thereToken)
      .send({ fullName: `Gast ${i}`, email: `gast-${i}@neuss.example`, roles: ['applicant'] }).expect(201)));

    await eventually(async () => Array.from({ length: 20 }, (_, i) => mailsTo(`gast-${i}@neuss.example`).length).every((n) => n >= 1), 20_000);
    await new Promise((r) => setTimeout(r, 2500));
    for (let i = 0; i < 20; i++) expect(mailsTo(`gast-${i}@neuss.example`)).toHaveLength(1);
    const [{ completed }] = await t.dataSource.query(`SELECT count(*)::int AS completed FROM pgboss.job WHERE name = 'mail.send' AND data->>'to' LIKE 'gast-%' AND state = 'completed'`);
    expect(completed).toBe(20);
  });
});
