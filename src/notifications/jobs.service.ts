import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../common/config.token.js';
import { RequestLoad } from '../common/request-load.js';
import { Transactions } from '../common/transactions.js';
import type { AppConfig } from '../config/app-config.js';
import { isDatabaseUnavailable } from '../web/database-unavailable.js';

/** What a handler knows of its job: the id stays the same across retries. */
export interface JobInfo {
  id: string;
}

export type JobHandler<T> = (data: T, job: JobInfo) => Promise<void>;

export interface WorkOptions {
  retryLimit?: number;
  /**
   * A job still active this long after it was taken (its instance crashed or hangs) is handed out
   * again; the handler is given a little less time, so that a live job is never taken twice.
   */
  expireInSeconds?: number;
  /** Jobs of this queue handled at the same time by this instance. */
  concurrency?: number;
}

/** How often pg-boss looks for jobs whose instance died (expired) and hands them out again. */
const MAINTENANCE_SECONDS = 10;
const MAX_IDLE_MS = 5000;
/**
 * Jobs yield to requests: before taking more, a worker waits for a moment with no request in flight,
 * but never longer than this, so that under lasting load the queue still moves.
 */
const YIELD_TO_REQUESTS_MS = 15_000;

/**
 * The job queue in PostgreSQL (pg-boss 10): mail, deadline transitions. A job is enqueued inside the
 * transaction of the change that causes it, so it exists exactly when the change was committed, and
 * several instances of the service share the work (a job is taken with FOR UPDATE SKIP LOCKED).
 *
 * The workers are our own loops over pg-boss's fetch/complete/fail rather than `boss.work()`: each
 * job is settled on its own as soon as it is handled (not with its batch, so a crash repeats at most
 * the jobs in flight), several run at once, and every database error is caught and logged, so that
 * a database outage pauses the queue instead of ending the process. Jobs yield to requests (see
 * YIELD_TO_REQUESTS_MS): a rush of submissions is answered first, its receipt mails follow.
 */
@Injectable()
export class JobsService implements OnApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private boss: PgBoss | null = null;
  private starting: Promise<PgBoss> | null = null;
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();
  private databaseDown = false;
  /** Queue declarations one after another: pg-boss creates each queue's table partition, and two at once can deadlock. */
  private declaring: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly load: RequestLoad,
    private readonly db: Transactions,
  ) {}

  /** Starts pg-boss once (creating its schema on first use); a failed start is tried again next time. */
  private start(): Promise<PgBoss> {
    this.starting ??= (async () => {
      const options = this.dataSource.options as { url: string };
      const boss = new PgBoss({
        connectionString: options.url,
        schema: 'pgboss',
        max: 4,
        application_name: 'foerdertisch-jobs',
        // Cron schedules (daily reminders) live in pgboss.schedule and so survive restarts; one
        // instance at a time turns a due schedule into a job of its queue.
        schedule: true,
        maintenanceIntervalSeconds: MAINTENANCE_SECONDS,
      });
      boss.on('error', (error) => this.reportError('job queue', error));
      try {
        await boss.start();
      } catch (error) {
        this.starting = null;
        await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
        throw error;
      }
      this.boss = boss;
      return boss;
    })();
    return this.starting;
  }

  /** Declares a queue and starts this instance's worker for it. */
  async work<T extends object>(queue: string, handler: JobHandler<T>, options: WorkOptions = {}): Promise<void> {
    const boss = await this.start();
    const expireInSeconds = options.expireInSeconds ?? 60;
    const settings = { retryLimit: options.retryLimit ?? 20, retryDelay: this.config.jobRetryDelaySeconds, retryBackoff: true, expireInSeconds };
    const declared = this.declaring.then(async () => {
      await boss.createQueue(queue, { name: queue, ...settings });
      // createQueue keeps an existing queue's settings: bring them up to date.
      await boss.updateQueue(queue, { name: queue, ...settings });
    });
    this.declaring = declared.catch(() => undefined);
    await declared;
    this.loops.push(this.loop(boss, queue, handler as JobHandler<object>, options.concurrency ?? 1, (expireInSeconds - 5) * 1000));
  }

  private async loop(boss: PgBoss, queue: string, handler: JobHandler<object>, concurrency: number, timeoutMs: number): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let idleMs = this.config.jobPollSeconds * 1000;
    while (!this.stopping) {
      const free = concurrency - inFlight.size;
      let jobs: { id: string; data: object }[] = [];
      if (free > 0) {
        if (!this.load.quiet) await Promise.race([this.load.whenQuiet(), this.sleep(YIELD_TO_REQUESTS_MS)]);
        if (this.stopping) break;
        try {
          jobs = (await boss.fetch<object>(queue, { batchSize: free })) ?? [];
          this.databaseUp();
        } catch (error) {
          this.reportError(`job queue ${queue}`, error);
        }
      }
      for (const job of jobs) {
        const running: Promise<void> = this.settle(boss, queue, job, handler, timeoutMs).finally(() => inFlight.delete(running));
        inFlight.add(running);
      }
      if (jobs.length > 0 && inFlight.size < concurrency) continue;
      // Nothing to take (or no free slot): wait for a slot, the poll interval, or the stop.
      await Promise.race([this.sleep(jobs.length === 0 && inFlight.size === 0 ? idleMs : MAX_IDLE_MS), ...inFlight]);
      idleMs = this.databaseDown ? Math.min(idleMs * 2, MAX_IDLE_MS) : this.config.jobPollSeconds * 1000;
    }
    await Promise.all(inFlight);
  }

  private async settle(boss: PgBoss, queue: string, job: { id: string; data: object }, handler: JobHandler<object>, timeoutMs: number): Promise<void> {
    try {
      await withTimeout(handler(job.data, { id: job.id }), timeoutMs);
    } catch (error) {
      this.logger.warn(`job ${queue} ${job.id} failed, will retry: ${(error as Error).message}`);
      await boss.fail(queue, job.id, { message: (error as Error).message }).catch((failError) => this.reportError(`job ${queue} ${job.id}`, failError));
      return;
    }
    // Done: record it now. While the database is briefly away, keep trying for a while; if it stays
    // away, the job expires and runs once more (a mail then carries the same Message-ID).
    for (let attempt = 0; ; attempt++) {
      try {
        await boss.complete(queue, job.id);
        return;
      } catch (error) {
        if (attempt >= 10 || !isDatabaseUnavailable(error)) {
          this.reportError(`job ${queue} ${job.id} done but not recorded`, error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  private databaseUp(): void {
    if (!this.databaseDown) return;
    this.databaseDown = false;
    this.logger.log('job queue: database reachable again, jobs resume');
  }

  /** An unreachable database is reported once per outage; other errors every time. */
  private reportError(context: string, error: unknown): void {
    if (this.stopping) {
      this.logger.debug(`${context} while stopping: ${(error as Error)?.message}`);
      return;
    }
    if (isDatabaseUnavailable(error)) {
      if (!this.databaseDown) this.logger.warn(`${context}: database unavailable, jobs wait: ${(error as Error).message}`);
      this.databaseDown = true;
      return;
    }
    this.logger.error(`${context}: ${(error as Error)?.message ?? String(error)}`);
  }

  /**
   * Runs a queue's job on a cron schedule (in `tz`), kept in the database: set again on every start,
   * so a changed cron takes effect, and fired by whichever instance is running at the time.
   * The queue must be declared first (`work`).
   */
  async schedule(queue: string, cron: string, tz: string): Promise<void> {
    const boss = await this.start();
    await boss.schedule(queue, cron, {}, { tz });
  }

  /** Enqueues a job inside the caller's transaction. */
  async enqueue(manager: EntityManager, queue: string, data: object, options: { startAfter?: Date; singletonKey?: string } = {}): Promise<void> {
    const boss = await this.start();
    await boss.send(queue, data, {
      ...options,
      // pg-boss's own insert, on the caller's connection: prepared there once (its text never changes).
      db: { executeSql: async (text: string, values: unknown[]) => ({ rows: await this.db.preparedOn(manager, statementName(text), text, values) }) },
    });
  }

  /** Stops taking jobs, lets the ones in flight finish and settle, then closes pg-boss's pool (once). */
  onApplicationShutdown(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      for (const wake of [...this.wakers]) wake();
      await Promise.all(this.loops);
      if (this.boss) {
        await this.boss.stop({ graceful: true, wait: true, timeout: 5000 }).catch((error) => this.reportError('job queue stop', error));
      }
    })();
    return this.stopped;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`job took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const statementNames = new Map<string, string>();

/** A prepared statement's name for a text that is not ours (pg-boss's): derived from the text itself. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `pgboss.${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return name;
}
