import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { csrfToken, DEMO, DEMO_PASSWORD, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
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

type Agent = ReturnType<TestApp['agent']>;

/** A client behind its own network address (the service trusts X-Forwarded-For from the loopback proxy). */
async function client(address: string): Promise<{ agent: Agent; token: string; address: string }> {
  const agent = t.agent();
  return { agent, token: await csrfToken(agent), address };
}

function login(c: { agent: Agent; token: string; address: string }, email: string, password: string) {
  return c.agent.post('/api/v1/auth/login').set('X-CSRF-Token', c.token).set('X-Forwarded-For', c.address).send({ email, password });
}

/** Login attempts whose password was checked (each check writes one row). */
async function checkedAttempts(email: string): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM login_attempt WHERE email = $1`, [email]);
  return row.n;
}

/** Lets the waits run out, as if time had passed. */
async function timePasses(): Promise<void> {
  await t.dataSource.query(`UPDATE auth_throttle SET next_at = now() - interval '1 second' WHERE next_at > now() - interval '1 second'`);
}

async function jobsSettled(): Promise<void> {
  await eventually(async () => {
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name IN ('account.password-reset', 'account.register', 'mail.send') AND state IN ('created', 'retry', 'active')`,
    );
    return row.n === 0;
  }, 15_000);
}

async function newAccount(email: string): Promise<void> {
  const office = t.agent();
  const token = await loginAs(office, DEMO.office);
  await office.post('/api/v1/accounts/invitations').set('X-CSRF-Token', token).send({ fullName: email, email, roles: ['applicant'] }).expect(201);
  const mail = await smtp.waitForMail((m) => m.to?.[0]?.address === email);
  const person = t.agent();
  const form = await person.get(linkIn(mail)).expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
  await person.post(linkIn(mail)).type('form').send({ _csrf: csrf, password: DEMO_PASSWORD, passwordRepeat: DEMO_PASSWORD }).expect(303);
}

describe('login throttling', () => {
  it('checks at most five of 40 parallel wrong passwords for one account from one address', async () => {
    const attacker = await client('203.0.113.10');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(attacker, DEMO.chair, `falsch-${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(await checkedAttempts(DEMO.chair)).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 401).length).toBe(await checkedAttempts(DEMO.chair));
    const refused = answers.find((a) => a.status === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('counts the addresses of one IPv6 /64 as one address', async () => {
    const answers = [];
    for (let i = 1; i <= 12; i++) answers.push((await login(await client(`2001:db8:7:7::${i.toString(16)}`), DEMO.advisory, `falsch-${i}`)).status);
    expect(answers).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
  });

  it('lets the owner in with the right password from another address while someone hammers the account', async () => {
    const victim = 'hammered@verein.example';
    await newAccount(victim);
    // one address, then many: far beyond every per-account allowance
    const attacker = await client('198.51.100.1');
    await Promise.all(Array.from({ length: 40 }, (_, i) => login(attacker, victim, `falsch-${i}`)));
    for (let n = 2; n <= 16; n++) {
      const other = await client(`198.51.100.${n}`);
      for (let i = 0; i < 3; i++) await login(other, victim, `geraten-${n}-${i}`);
    }
    expect(await checkedAttempts(victim)).toBeGreaterThan(10);

    // the attacker's own addresses wait, even with the right password
    const again = await login(attacker, victim, DEMO_PASSWORD).expect(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    // a fresh address gets one check while the account is under attack, then waits too
    const fresh = await client('198.51.100.200');
    await login(fresh, victim, 'noch-ein-versuch').expect(401);
    await login(fresh, victim, 'und-noch-einer').expect(429);
    // a long wait is named as a time to come back
    const page = await attacker.agent.post('/login').set('X-Forwarded-For', attacker.address).type('form')
      .send({ _csrf: attacker.token, email: victim, password: DEMO_PASSWORD }).expect(429);
    expect(page.text).toMatch(/Bitte versuchen Sie es ab \d\d:\d\d Uhr wieder oder setzen Sie Ihr Passwort zurück/);

    // the owner, from their own address, gets in at once
    const owner = await client('192.0.2.77');
    const ok = await login(owner, victim, DEMO_PASSWORD).expect(200);
    expect(ok.body.user.email).toBe(victim);
  });

  it('answers repeated failures with growing waits instead of a lockout, and a German message on the page', async () => {
    const person = await client('192.0.2.10');
    for (let i = 0; i < 5; i++) await login(person, DEMO.voting, `vertippt-${i}`).expect(401);
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      const refused = await login(person, DEMO.voting, DEMO_PASSWORD).expect(429);
      waits.push(Number(refused.headers['retry-after']));
      await timePasses();
      await login(person, DEMO.voting, `vertippt-noch-${round}`).expect(401);
    }
    expect(waits[0]).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1]);

    const page = await person.agent.post('/login').set('X-Forwarded-For', person.address).type('form')
      .send({ _csrf: person.token, email: DEMO.voting, password: DEMO_PASSWORD }).expect(429);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
    expect(page.text).toContain('Zu viele fehlgeschlagene Anmeldungen');

    // once the wait is over, the right password works and the count starts afresh
    await timePasses();
    await login(person, DEMO.voting, DEMO_PASSWORD).expect(200);
    await login(person, DEMO.voting, 'wieder-vertippt').expect(401);
    await login(person, DEMO.voting, DEMO_PASSWORD).expect(200);
  });

  it('saves a chosen password even when the address must wait before signing in', async () => {
    const email = 'wartet@verein.example';
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    await office.post('/api/v1/accounts/invitations').set('X-CSRF-Token', token).send({ fullName: 'Wartet', email, roles: ['applicant'] }).expect(201);
    const link = linkIn(await smtp.waitForMail((m) => m.to?.[0]?.address === email));
    const person = await client('192.0.2.30');
    for (let i = 0; i < 5; i++) await login(person, email, `noch-kein-passwort-${i}`).expect(401);
    const form = await person.agent.get(link).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const done = await person.agent.post(link).set('X-Forwarded-For', person.address).type('form')
      .send({ _csrf: csrf, password: DEMO_PASSWORD, passwordRepeat: DEMO_PASSWORD }).expect(303);
    expect(done.headers.location).toBe('/login?notice=auth.passwordSaved');
    await login(await client('192.0.2.31'), email, DEMO_PASSWORD).expect(200);
  });

  it('does not hold back an office network where several people mistype', async () => {
    const office = '192.0.2.50';
    const people = Object.values(DEMO).filter((email) => email !== DEMO.chair); // the chair's account was hammered above
    for (const email of people) {
      const c = await client(office);
      for (let i = 0; i < 5; i++) await login(c, email, `tippfehler-${i}`).expect(401);
    }
    // 30 failures from one address: each person still gets in after a short wait
    await timePasses();
    for (const email of people) await login(await client(office), email, DEMO_PASSWORD).expect(200);
  });
});

describe('password reset requests', () => {
  it('40 requests for one account give one valid link and at most three mails', async () => {
    const c = await client('203.0.113.40');
    const sent = smtp.messages.length;
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => c.agent.post('/password-reset').set('X-Forwarded-For', c.address).type('form').send({ _csrf: c.token, email: DEMO.otherApplicant })),
    );
    expect(answers.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);
    const refused = answers.find((a) => a.status === 429);
    expect(refused?.text).toContain('Von Ihrem Netzwerk kamen gerade sehr viele Anfragen');
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);

    await smtp.waitFor(sent + 1);
    await jobsSettled();
    const mails = smtp.messages.slice(sent).filter((m) => m.to?.[0]?.address === DEMO.otherApplicant);
    expect(mails.length).toBeGreaterThanOrEqual(1);
    expect(mails.length).toBeLessThanOrEqual(3);
    const valid = [];
    for (const mail of mails) if ((await t.agent().get(linkIn(mail))).status === 200) valid.push(mail);
    expect(valid).toHaveLength(1);
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM one_time_token k JOIN app_user u ON u.id = k.user_id
       WHERE u.email = $1 AND k.purpose = 'password_reset' AND k.used_at IS NULL AND k.expires_at > now()`,
      [DEMO.otherApplicant],
    );
    expect(row.n).toBe(1);
  });

  it('does the same work for known and unknown addresses: each request queues one job', async () => {
    const queued = async (queue: string) => (await t.dataSource.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [queue]))[0].n as number;
    const texts = new Set<string>();
    const known = [DEMO.chair, DEMO.office, DEMO.admin];
    const unknown = ['niemand-1@neuss.example', 'niemand-2@neuss.example', 'niemand-3@neuss.example'];
    for (const [i, email] of [...known, ...unknown].entries()) {
      const c = await client(`203.0.113.${60 + i}`);
      const before = await queued('account.password-reset');
      const answer = await c.agent.post('/password-reset').set('X-Forwarded-For', c.address).type('form').send({ _csrf: c.token, email }).expect(200);
      expect({ email, reset: (await queued('account.password-reset')) - before }).toEqual({ email, reset: 1 });
      texts.add(answer.text.replace(/name="_csrf" value="[^"]+"/g, ''));
    }
    expect(texts.size).toBe(1);
  });
});

describe('registration', () => {
  it('does the same work for known and new addresses: each request queues one job', async () => {
    const queued = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'account.register'`))[0].n as number;
    const texts = new Set<string>();
    for (const [i, email] of [DEMO.applicant, 'neu-1@verein.example', DEMO.chair, 'neu-2@verein.example'].entries()) {
      const c = await client(`203.0.113.${80 + i}`);
      const before = await queued();
      const answer = await c.agent.post('/register').set('X-Forwarded-For', c.address).type('form').send({ _csrf: c.token, fullName: 'Verein', email }).expect(200);
      expect({ email, jobs: (await queued()) - before }).toEqual({ email, jobs: 1 });
      texts.add(answer.text.replace(/name="_csrf" value="[^"]+"/g, ''));
    }
    expect(texts.size).toBe(1);
  });

  it('is limited per address: 429 with a German message', async () => {
    const c = await client('203.0.113.99');
    const answers = [];
    for (let i = 0; i < 22; i++) {
      answers.push(await c.agent.post('/register').set('X-Forwarded-For', c.address).type('form').send({ _csrf: c.token, fullName: 'Flut', email: `flut-${i}@verein.example` }));
    }
    expect(answers.slice(0, 20).map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers[20].status).toBe(429);
    expect(answers[20].text).toContain('Von Ihrem Netzwerk kamen gerade sehr viele Anfragen');
  });

  it('parallel registrations with one email create one account and one mail, and answer all alike', async () => {
    const email = 'doppelt@verein.example';
    const sent = smtp.messages.length;
    const answers = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const c = await client(`198.18.0.${i + 1}`);
        return c.agent.post('/register').set('X-Forwarded-For', c.address).type('form').send({ _csrf: c.token, fullName: 'Doppelt', email });
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    await smtp.waitFor(sent + 1);
    await jobsSettled();
    const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE lower(email) = $1`, [email]);
    expect(row.n).toBe(1);
    expect(smtp.messages.slice(sent).filter((m) => m.to?.[0]?.address === email)).toHaveLength(1);
  });
});

describe('invitations', () => {
  it('parallel invitations with one email: one is created, the others are 409 at the field', async () => {
    const office = t.agent();
    const token = await loginAs(office, DEMO.office);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        office.post('/api/v1/accounts/invitations').set('X-CSRF-Token', token).send({ fullName: 'Zweimal', email: 'zweimal@verein.example', roles: ['applicant'] }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const answer of answers.filter((a) => a.status === 409)) expect(answer.body.field).toBe('email');
    const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE lower(email) = 'zweimal@verein.example'`);
    expect(row.n).toBe(1);
  });
});
