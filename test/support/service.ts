import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/paths.js';
import { freePort } from './connections.mjs';

export { freePort };

/** A temporary folder; open to others too, since the embedded PostgreSQL runs as `postgres` under root. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

export interface ServiceProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<PORT> */
  base: string;
  /** Everything it wrote so far, stdout and stderr. */
  output: () => string;
  stderr: () => string;
  running: () => boolean;
  /** Resolves with the exit code once it has ended (at once when it already has). */
  exited: () => Promise<number | null>;
  /** Waits until GET /health answers 200; fails early, with its output, when the process ends. */
  healthy: (timeoutMs?: number) => Promise<void>;
  /** SIGTERM (or the signal given) and waits for the end; nothing when it has ended already. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/**
 * The built service (`dist/src/main.js`) as a child process, on env.PORT or a free port. The test
 * run's DATABASE_URL is not passed on: without one in `env` the service starts its embedded PostgreSQL.
 */
export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const port = env.PORT ?? String(await freePort());
  const { DATABASE_URL: _testRun, ...inherited } = process.env;
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist/src/main.js')], {
    env: { ...inherited, NODE_OPTIONS: '', LOG_LEVEL: 'warn', ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stderr += chunk.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  const running = () => child.exitCode === null && child.signalCode === null;
  const exited = () => new Promise<number | null>((resolve) => {
    if (!running()) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return {
    child,
    base,
    output: () => output,
    stderr: () => stderr,
    running,
    exited,
    healthy: async (timeoutMs = 60_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if (!running()) throw new Error(`the service ended (${child.exitCode ?? child.signalCode}) before /health answered:\n${output.slice(-3000)}`);
        const status = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) }).then((res) => res.status, () => 0);
        if (status === 200) return;
        if (Date.now() > until) throw new Error(`/health did not answer 200 within ${timeoutMs} ms:\n${output.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: async (signal = 'SIGTERM') => {
      if (!running()) return;
      child.kill(signal);
      await exited();
    },
  };
}
