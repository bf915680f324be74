import { describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '../../migrations/index.js';
import { openDatabase, startDatabase } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/app-config.js';
import { isEmpty, seedDemo } from '../../src/database/seed-demo.js';

describe('the embedded PostgreSQL', () => {
  it('keeps its data across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'foerdertisch-restart-'));
    await chmod(dataDir, 0o755);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const config = loadConfig({ DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(port) });

    const first = await startDatabase(config);
    let dataSource = await openDatabase(first.url);
    expect(await isEmpty(dataSource)).toBe(true);
    await seedDemo(dataSource);
    const [{ n: before }] = await dataSource.query(`SELECT count(*)::int AS n FROM organisation`);
    await dataSource.destroy();
    await first.stop!();

    const second = await startDatabase(config);
    dataSource = await openDatabase(second.url);
    try {
      const [{ n: after }] = await dataSource.query(`SELECT count(*)::int AS n FROM organisation`);
      expect(after).toBe(before);
      expect(after).toBeGreaterThan(10);
      const [{ n: migrations }] = await dataSource.query(`SELECT count(*)::int AS n FROM schema_migration`);
      expect(migrations).toBe(MIGRATIONS.length);
    } finally {
      await dataSource.destroy();
      await second.stop!();
    }
  });
});
