import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('health', () => {
  it('reports the database as up', async () => {
    const res = await t.agent().get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.database.status).toBe('up');
    expect(res.body.database.migrations).toBeGreaterThanOrEqual(1);
  });
});

describe('login page', () => {
  it('is served in German by default', async () => {
    const res = await t.agent().get('/login').expect(200);
    expect(res.text).toContain('<html lang="de">');
    expect(res.text).toContain('Anmelden');
  });

  it('switches to English', async () => {
    const agent = t.agent();
    await agent.get('/login?lang=en').expect(200);
    const res = await agent.get('/login').expect(200);
    expect(res.text).toContain('<html lang="en">');
  });
});

describe('roles', () => {
  it('every demo login reaches its start page', async () => {
    const expected: [string, string][] = [
      [DEMO.office, '/office'], [DEMO.admin, '/admin'], [DEMO.chair, '/member'],
      [DEMO.voting, '/member'], [DEMO.advisory, '/member'], [DEMO.applicant, '/applications'],
    ];
    for (const [email, start] of expected) {
      const agent = t.agent();
      await loginAs(agent, email);
      const me = await agent.get('/api/v1/auth/me').expect(200);
      expect(me.body.email).toBe(email);
      const page = await agent.get(start).expect(200);
      expect(page.text).toContain(me.body.fullName);
    }
  });
});
