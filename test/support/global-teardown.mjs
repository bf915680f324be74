import { withClient } from './connections.mjs';

export default async function globalTeardown() {
  const adminUrl = process.env.FT_TEST_ADMIN_URL;
  const template = process.env.FT_TEST_TEMPLATE_DB;
  if (adminUrl && template) {
    await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`)).catch(() => undefined);
  }
  await globalThis.__FT_EMBEDDED__?.stop();
}
