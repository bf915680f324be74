// Once per `npm test`: a real PostgreSQL (the embedded one, or the server in DATABASE_URL) with a
// template database that is migrated and holds the demo data; each test file copies it.
// Jest runs this file outside its module system, so it uses the build in dist/ (`pretest` builds it).
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../dist/src/database/data-source.js';
import { startEmbeddedPostgres } from '../../dist/src/database/embedded-postgres.js';
import { seedDemo } from '../../dist/src/database/seed-demo.js';
import { freePort, withClient } from './connections.mjs';

export default async function globalSetup() {
  let adminUrl;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
    console.log(`\nTests use the PostgreSQL server at ${new URL(adminUrl).host} (DATABASE_URL).`);
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'foerdertisch-test-'));
    await chmod(dir, 0o755);
    const port = await freePort();
    const embedded = await startEmbeddedPostgres({ databaseDir: join(dir, 'pg'), port, database: 'postgres' });
    globalThis.__FT_EMBEDDED__ = embedded;
    adminUrl = embedded.url;
    console.log(`\nTests use an embedded PostgreSQL on port ${port}.`);
  }
  const template = `ft_template_${process.pid}`;
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${template}"`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${template}`;
  const dataSource = new DataSource(dataSourceOptions(url.toString()));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await seedDemo(dataSource);
  await dataSource.destroy();

  process.env.FT_TEST_ADMIN_URL = adminUrl;
  process.env.FT_TEST_TEMPLATE_DB = template;
}
