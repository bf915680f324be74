import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

let t: TestApp;
let port: number;
let smtp: TestSmtp | undefined;

beforeAll(async () => {
  port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  // The mail server is down when the app starts.
  t = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, JOB_RETRY_DELAY_SECONDS: '1' } });
});
afterAll(async () => {
  await t.close();
  await smtp?.close();
});

describe('mail delivery', () => {
  it('a failing SMTP server delays mail but loses none', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    await office.post('/api/v1/accounts/invitations').set('X-CSRF-Token', token)
      .send({ fullName: 'Warten Auf Post', email: 'post@neuss.example', roles: ['applicant'] }).expect(201);

    // the job fails and is kept for a retry
    const retried = async () => (await t.dataSource.query(`SELECT state, retry_count FROM pgboss.job WHERE name = 'mail.send' ORDER BY created_on DESC LIMIT 1`))[0];
    for (let i = 0; i < 50 && (await retried()).retry_count < 1; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await retried()).retry_count).toBeGreaterThanOrEqual(1);
    expect((await retried()).state).not.toBe('completed');

    smtp = await startSmtp(port);
    const mail = await smtp.waitForMail((m) => m.to?.[0].address === 'post@neuss.example', 20_000);
    expect(mail.subject).toBe('Einladung zum Fördertisch der Stadt Neuss');
    // the retry carries the Message-ID of the job, as every other try of it would
    const [job] = await t.dataSource.query(`SELECT id FROM pgboss.job WHERE name = 'mail.send' AND data->>'to' = 'post@neuss.example'`);
    expect(mail.messageId).toBe(`<${job.id}@stadt.neuss.de>`);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.filter((m) => m.to?.[0].address === 'post@neuss.example')).toHaveLength(1);
  }, 30_000);
});
