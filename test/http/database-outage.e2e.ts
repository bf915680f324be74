import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import request from 'supertest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/database/embedded-postgres.js';
import { DEMO, eventually, loginAs } from '../support/app.js';
import { freePort, startService, tempDir } from '../support/service.js';
import { startGatedSmtp } from '../support/smtp.js';

describe('a database outage', () => {
  it('is answered 503 with Retry-After while it lasts, and the service recovers by itself', async () => {
    // The service's own PostgreSQL, which the test stops and starts again.
    const root = await tempDir('foerdertisch-outage-');
    const databaseDir = join(root, 'postgres');
    const dbPort = await freePort();
    let db: EmbeddedDatabase | undefined = await startEmbeddedPostgres({ databaseDir, port: dbPort, database: 'foerdertisch' });
    const dataDir = join(root, 'data');
    const smtp = await startGatedSmtp();
    const service = await startService({ DATABASE_URL: db.url, SMTP_URL: smtp.url, DATA_DIR: dataDir, JOB_RETRY_DELAY_SECONDS: '1' });
    const { base } = service;
    try {
      await service.healthy();
      const office = request.agent(base);
      const token = await loginAs(office, DEMO.office);
      await office.get('/api/v1/accounts').expect(200);
      // a mail job in flight when the database goes: it finishes while the database is away
      await office.post('/api/v1/accounts/invitations').set('X-CSRF-Token', token)
        .send({ fullName: 'Vor Dem Ausfall', email: 'vor-ausfall@neuss.example', roles: ['applicant'] }).expect(201);
      await eventually(async () => smtp.arrived().length === 1, 20_000);

      await db.stop();
      db = undefined;
      smtp.release();
      for (let round = 0; round < 3; round++) {
        const api = await office.get('/api/v1/accounts').timeout(5000);
        expect(api.status).toBe(503);
        expect(api.headers['retry-after']).toMatch(/^\d+$/);
        expect(api.body.error).toBe('database_unavailable');
        const page = await office.get('/office').timeout(5000);
        expect(page.status).toBe(503);
        expect(page.headers['retry-after']).toMatch(/^\d+$/);
        expect((await request(base).get('/health').timeout(5000)).status).toBe(503);
        await new Promise((r) => setTimeout(r, 2000));
      }
      // the job worker and pg-boss's maintenance have met the outage; node is still there
      await new Promise((r) => setTimeout(r, 8000));
      expect(service.running()).toBe(true);

      db = await startEmbeddedPostgres({ databaseDir, port: dbPort, database: 'foerdertisch' });
      await eventually(async () => (await office.get('/api/v1/accounts').timeout(5000)).status === 200, 20_000);
      await office.post('/api/v1/accounts/invitations').set('X-CSRF-Token', token)
        .send({ fullName: 'Nach Dem Ausfall', email: 'nach-ausfall@neuss.example', roles: ['applicant'] }).expect(201);
      await eventually(async () => smtp.messages.some((m) => m.to?.[0].address === 'nach-ausfall@neuss.example'), 20_000);
      expect(smtp.messages.filter((m) => m.to?.[0].address === 'vor-ausfall@neuss.example').length).toBeGreaterThanOrEqual(1);
      expect(service.running()).toBe(true);
      expect(service.stderr()).not.toMatch(/Unhandled|internal_error/);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nservice running: ${service.running()}; its stderr:\n${service.stderr().slice(-3000)}`, { cause: error });
    } finally {
      await service.stop();
      await db?.stop();
      await smtp.close();
    }
  }, 150_000);
});
