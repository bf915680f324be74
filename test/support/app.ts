import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp, openDatabase } from '../../src/bootstrap.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { DEMO_PASSWORD } from '../../src/database/seed-demo.js';
import { createTestDatabase } from './database.js';

export { DEMO_PASSWORD };

export interface TestApp {
  app: NestExpressApplication;
  dataSource: DataSource;
  config: AppConfig;
  /** A supertest agent that keeps cookies, like one browser. */
  agent: () => ReturnType<typeof request.agent>;
  close: () => Promise<void>;
}

/** The real service on its own copy of the demo database; `listen` also opens a port (browser tests). */
export async function startTestApp(options: { env?: Record<string, string>; listen?: boolean } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'foerdertisch-data-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', SESSION_SECRET: 'test-secret-test-secret-test-secret-1234', ...options.env });
  const dataSource = await openDatabase(database.url, config);
  const app = await createApp(config, dataSource, config.sessionSecret!);
  if (options.listen) await app.listen(0, '127.0.0.1');
  else await app.init();
  return {
    app,
    dataSource,
    config,
    agent: () => request.agent(app.getHttpServer()),
    close: async () => {
      await app.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}

/** Fetches a CSRF token for this agent (and so its CSRF cookie). */
export async function csrfToken(agent: ReturnType<typeof request.agent>): Promise<string> {
  const res = await agent.get('/api/v1/auth/csrf').expect(200);
  return res.body.csrfToken;
}

/** Logs the agent in through the API and returns the CSRF token to send with changes. */
export async function loginAs(agent: ReturnType<typeof request.agent>, email: string, password = DEMO_PASSWORD): Promise<string> {
  const token = await csrfToken(agent);
  await agent.post('/api/v1/auth/login').set('X-CSRF-Token', token).send({ email, password }).expect(200);
  return token;
}

export const DEMO = {
  office: 'geschaeftsstelle@neuss.example',
  secondOffice: 'integrationsamt@neuss.example',
  admin: 'admin@neuss.example',
  chair: 'vorsitz@neuss.example',
  voting: 'stimmberechtigt@neuss.example',
  advisory: 'beratend@neuss.example',
  applicant: 'verein@neuss.example',
  otherApplicant: 'afrika-hilfe@neuss.example',
} as const;

/** Waits until `check` returns a value (mail jobs and deadline jobs run in the background). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 8000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > until) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The .eml files in the outbox whose text matches (mail without SMTP). */
export async function outboxMails(dataDir: string, match: string | RegExp): Promise<string[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const dir = join(dataDir, 'outbox');
  const files = await readdir(dir).catch(() => [] as string[]);
  // Undo quoted-printable soft line breaks, so that long links can be matched.
  const texts = (await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')))).map((text) => text.replace(/=\r?\n/g, ''));
  return texts.filter((text) => (typeof match === 'string' ? text.includes(match) : match.test(text)));
}

