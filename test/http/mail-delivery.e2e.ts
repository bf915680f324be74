import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { preparedDraft } from '../support/applications.js';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { startGatedSmtp, type GatedSmtp } from '../support/smtp.js';

let t: TestApp;
let smtp: GatedSmtp;

beforeAll(async () => {
  smtp = await startGatedSmtp((recipient) => recipient === 'halt@neuss.example');
  t = await startTestApp({ env: { SMTP_URL: smtp.url, JOB_RETRY_DELAY_SECONDS: '1' } });
});
afterAll(async () => {
  smtp.release();
  await t.close();
  await smtp.close();
});

async function jobFor(address: string): Promise<{ id: string; state: string; expire_seconds: number }> {
  const [job] = await t.dataSource.query(
    `SELECT id, state, extract(epoch FROM expire_in)::int AS expire_seconds FROM pgboss.job WHERE name = 'mail.send' AND data->>'to' = $1`, [address],
  );
  return job;
}

describe('mail jobs', () => {
  it('are settled one by one: a mail that hangs holds back neither the others nor their completion', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const invite = (email: string) => office.post('/api/v1/accounts/invitations').set('X-CSRF-Token', token)
      .send({ fullName: 'Post Test', email, roles: ['applicant'] }).expect(201);
    await invite('halt@neuss.example');
    await eventually(async () => smtp.arrived().includes('halt@neuss.example'));
    await invite('eins@neuss.example');
    await invite('zwei@neuss.example');

    await eventually(async () => (await jobFor('eins@neuss.example')).state === 'completed' && (await jobFor('zwei@neuss.example')).state === 'completed');
    expect((await jobFor('halt@neuss.example')).state).toBe('active');
    expect(smtp.messages.map((m) => m.to?.[0].address).sort()).toEqual(['eins@neuss.example', 'zwei@neuss.example']);

    smtp.release();
    await eventually(async () => (await jobFor('halt@neuss.example')).state === 'completed');
    expect(smtp.messages.filter((m) => m.to?.[0].address === 'halt@neuss.example')).toHaveLength(1);
  });

  it('carry a Message-ID made from the job, and expire within a minute when their instance dies mid-send', async () => {
    await eventually(async () => (await jobFor('eins@neuss.example'))?.state === 'completed');
    const job = await jobFor('eins@neuss.example');
    const mail = smtp.messages.find((m) => m.to?.[0].address === 'eins@neuss.example')!;
    expect(mail.messageId).toBe(`<${job.id}@stadt.neuss.de>`);
    expect(job.expire_seconds).toBeLessThanOrEqual(60);
  });

  it('are plain text: an ampersand in a subject stays an ampersand', async () => {
    const title = 'Sport & Spiel <für alle>';
    const { agent, token, applicationId } = await preparedDraft(t, { title });
    const submitted = await agent.post(`/api/v1/applications/${applicationId}/submit`).set('X-CSRF-Token', token).expect(200);
    const mail = await eventually(async () => smtp.messages.find((m) => m.subject?.includes(submitted.body.referenceNumber)), 15_000);
    expect(mail.subject).toBe(`Eingangsbestätigung ${submitted.body.referenceNumber}: ${title}`);
    expect(mail.text).toContain(`„${title}"`);
    expect(mail.text).not.toContain('&amp;');
  });
});

describe('the outbox (no SMTP server)', () => {
  it('keeps its mails, which hold one-time links, readable by the service user only', async () => {
    const local = await startTestApp();
    try {
      const office = local.agent();
      const token = await loginAs(office, DEMO.office);
      await office.post('/api/v1/accounts/invitations').set('X-CSRF-Token', token)
        .send({ fullName: 'Nur Lokal', email: 'lokal@neuss.example', roles: ['applicant'] }).expect(201);
      const dir = join(local.config.dataDir, 'outbox');
      const [file] = await eventually(async () => {
        const files = await readdir(dir);
        return files.length > 0 ? files : undefined;
      });
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      expect((await stat(join(dir, file))).mode & 0o777).toBe(0o600);
    } finally {
      await local.close();
    }
  });
});
