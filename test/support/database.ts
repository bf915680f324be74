import { randomBytes } from 'node:crypto';
import { withClient } from './connections.mjs';

export { withClient };

/** Set by global-setup.ts: a server URL (any database) and the migrated, demo-seeded template database. */
export function testServer(): { adminUrl: string; template: string } {
  const adminUrl = process.env.FT_TEST_ADMIN_URL;
  const template = process.env.FT_TEST_TEMPLATE_DB;
  if (!adminUrl || !template) throw new Error('The test database server is not set up: run the tests with `npm test`.');
  return { adminUrl, template };
}

export function urlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh database for one test file, copied from the template in a few milliseconds. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { adminUrl, template } = testServer();
  const name = `ft_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    url: urlFor(adminUrl, name),
    drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
