import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { csrfToken, DEMO, eventually, loginAs, outboxMails, startTestApp, type TestApp } from '../support/app.js';
import { linkIn, startSmtp, type TestSmtp } from '../support/smtp.js';

let t: TestApp;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, BASE_URL: 'http://foerdertisch.test' } });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

/** Submits the set-password form behind a one-time link, as a browser would. */
async function choosePassword(agent: ReturnType<TestApp['agent']>, path: string, password: string) {
  const form = await agent.get(path).expect(200);
  const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
  return agent.post(path).type('form').send({ _csrf: token, username: 'ignored', password, passwordRepeat: password });
}

describe('invitation by the office', () => {
  it('sends a one-time link; the invited person sets a password and lands on their start page', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const [org] = (await office.get('/api/v1/organisations').expect(200)).body;
    const sent = smtp.messages.length;
    const invited = await office
      .post('/api/v1/accounts/invitations')
      .set('X-CSRF-Token', token)
      .send({ fullName: 'Selin Arslan', email: 'Selin.Arslan@verein.example', roles: ['applicant'], organisationId: org.id })
      .expect(201);
    expect(invited.body.status).toBe('invited');
    expect(invited.body.email).toBe('selin.arslan@verein.example');

    const [mail] = (await smtp.waitFor(sent + 1)).slice(sent);
    expect(mail.to?.map((a) => a.address)).toEqual(['selin.arslan@verein.example']);
    expect(mail.subject).toBe('Einladung zum Fördertisch der Stadt Neuss');
    expect(mail.text).toContain('http://foerdertisch.test/invitation/');
    const link = linkIn(mail);

    const person = t.agent();
    const weak = await choosePassword(person, link, 'kurz');
    expect(weak.status).toBe(422);
    expect(weak.text).toContain('mindestens 10 Zeichen');
    const done = await choosePassword(person, link, 'Rhein und Erft 2026');
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/applications?notice=auth.passwordSet');
    const mine = await person.get('/api/v1/organisations').expect(200);
    expect(mine.body.map((o: { id: string }) => o.id)).toEqual([org.id]);

    // the link works once
    await t.agent().get(link).expect(404);
  });

  it('refuses office roles from office staff and a duplicate address', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const privileged = await office.post('/api/v1/accounts/invitations').set('X-CSRF-Token', token)
      .send({ fullName: 'X', email: 'x@neuss.example', roles: ['admin'] }).expect(422);
    expect(Object.keys(privileged.body.fields)).toEqual(['roles']);
    const taken = await office.post('/api/v1/accounts/invitations').set('X-CSRF-Token', token)
      .send({ fullName: 'X', email: DEMO.applicant.toUpperCase(), roles: ['applicant'] }).expect(409);
    expect(taken.body.field).toBe('email');
  });
});

describe('self-registration', () => {
  it('mails a link to new addresses only and answers the same either way', async () => {
    const agent = t.agent();
    const token = await csrfToken(agent);
    const sent = smtp.messages.length;
    const fresh = await agent.post('/register').type('form').send({ _csrf: token, fullName: 'Nuri Öztürk', email: 'nuri@kulturverein.example' }).expect(200);
    const known = await agent.post('/register').type('form').send({ _csrf: token, fullName: 'Leyla', email: DEMO.applicant }).expect(200);
    expect(known.text).toBe(fresh.text);
    const mails = (await smtp.waitFor(sent + 1)).slice(sent);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.messages.length).toBe(sent + 1);
    expect(mails[0].subject).toContain('Registrierung');

    const person = t.agent();
    expect((await choosePassword(person, linkIn(mails[0]), 'Mein Verein ist toll')).status).toBe(303);
    const me = await person.get('/api/v1/auth/me').expect(200);
    expect(me.body.roles).toEqual(['applicant']);
  });
});

describe('password reset', () => {
  it('sets a new password, ends other sessions, and the old password stops working', async () => {
    const other = t.agent();
    await loginAs(other, DEMO.otherApplicant);
    await other.get('/api/v1/auth/me').expect(200);

    const agent = t.agent();
    const token = await csrfToken(agent);
    const sent = smtp.messages.length;
    await agent.post('/password-reset').type('form').send({ _csrf: token, email: DEMO.otherApplicant }).expect(200);
    await agent.post('/password-reset').type('form').send({ _csrf: token, email: 'niemand@neuss.example' }).expect(200);
    const [mail] = (await smtp.waitFor(sent + 1)).slice(sent);
    expect(mail.subject).toContain('Neues Passwort');
    expect((await choosePassword(t.agent(), linkIn(mail), 'Ganz neues Passwort 1')).status).toBe(303);

    await other.get('/api/v1/auth/me').expect(401);
    const old = t.agent();
    const oldToken = await csrfToken(old);
    await old.post('/api/v1/auth/login').set('X-CSRF-Token', oldToken).send({ email: DEMO.otherApplicant, password: 'Neuss-Demo-2026' }).expect(401);
    await loginAs(t.agent(), DEMO.otherApplicant, 'Ganz neues Passwort 1');
  });
});

describe('login', () => {
  it('makes the address that failed five times wait (429), also for the right password, while others are not affected', async () => {
    const agent = t.agent();
    const token = await csrfToken(agent);
    for (let i = 0; i < 5; i++) {
      await agent.post('/api/v1/auth/login').set('X-CSRF-Token', token).send({ email: DEMO.chair, password: `falsch-${i}` }).expect(401);
    }
    const waiting = await agent.post('/api/v1/auth/login').set('X-CSRF-Token', token).send({ email: DEMO.chair, password: 'Neuss-Demo-2026' }).expect(429);
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThan(0);
    const page = await agent.post('/login').type('form').send({ _csrf: token, email: DEMO.chair, password: 'Neuss-Demo-2026' }).expect(429);
    expect(page.text).toContain('Zu viele fehlgeschlagene Anmeldungen');
    // other accounts are not affected
    await loginAs(t.agent(), DEMO.voting);
  });

  it('logout ends the session on the server', async () => {
    const sessions = async () =>
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE u.email = $1`, [DEMO.voting]))[0].n;
    const agent = t.agent();
    const token = await loginAs(agent, DEMO.voting);
    const before = await sessions();
    await agent.post('/api/v1/auth/logout').set('X-CSRF-Token', token).expect(204);
    await agent.get('/api/v1/auth/me').expect(401);
    expect(await sessions()).toBe(before - 1);
  });

  it('a disabled account cannot log in and its sessions end', async () => {
    const victim = t.agent();
    await loginAs(victim, DEMO.advisory);
    const admin = t.agent();
    const token = await loginAs(admin, DEMO.admin);
    const [user] = await t.dataSource.query(`SELECT id FROM app_user WHERE email = $1`, [DEMO.advisory]);
    await admin.put(`/api/v1/accounts/${user.id}/status`).set('X-CSRF-Token', token).send({ status: 'disabled' }).expect(200);
    await victim.get('/api/v1/auth/me').expect(401);
    const again = t.agent();
    const againToken = await csrfToken(again);
    await again.post('/api/v1/auth/login').set('X-CSRF-Token', againToken).send({ email: DEMO.advisory, password: 'Neuss-Demo-2026' }).expect(401);
  });
});

describe('without SMTP', () => {
  it('writes mails as .eml files to the outbox', async () => {
    const local = await startTestApp();
    try {
      const office = local.agent();
      const token = await loginAs(office, DEMO.office);
      await office.post('/api/v1/accounts/invitations').set('X-CSRF-Token', token).send({ fullName: 'Outbox Test', email: 'outbox@neuss.example', roles: ['applicant'] }).expect(201);
      const [eml] = await eventually(async () => {
        const mails = await outboxMails(local.config.dataDir, 'To: outbox@neuss.example');
        return mails.length ? mails : undefined;
      });
      expect(eml).toMatch(/\/invitation\/[\w-]+/);
    } finally {
      await local.close();
    }
  });
});
