import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../common/config.token.js';
import type { AppConfig } from '../config/app-config.js';

export type JobHandler<T> = (data: T) => Promise<void>;

/**
 * The job queue in PostgreSQL (pg-boss 10): mail, deadline transitions. A job is enqueued inside the
 * transaction of the change that causes it, so it exists exactly when the change was committed, and
 * several instances of the service share the work.
 */
@Injectable()
export class JobsService implements OnApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private boss: PgBoss | null = null;
  private starting: Promise<PgBoss> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts pg-boss once (creating its schema on first use). */
  private start(): Promise<PgBoss> {
    this.starting ??= (async () => {
      const options = this.dataSource.options as { url: string };
      const boss = new PgBoss({ connectionString: options.url, schema: 'pgboss', max: 4, application_name: 'foerdertisch-jobs' });
      boss.on('error', (error) => this.logger.error(`job queue: ${error.message}`));
      await boss.start();
      this.boss = boss;
      return boss;
    })();
    return this.starting;
  }

  /**
   * Declares a queue and its worker. The worker takes up to ten jobs per round and settles each on
   * its own: a failed job is retried later with growing delays, the others are done.
   */
  async work<T extends object>(queue: string, handler: JobHandler<T>, options: { retryLimit?: number } = {}): Promise<void> {
    const boss = await this.start();
    await boss.createQueue(queue, { name: queue, retryLimit: options.retryLimit ?? 20, retryDelay: this.config.jobRetryDelaySeconds, retryBackoff: true });
    await boss.work<T>(queue, { pollingIntervalSeconds: this.config.jobPollSeconds, batchSize: 10 }, async (jobs) => {
      for (const job of jobs) {
        try {
          await handler(job.data);
        } catch (error) {
          this.logger.warn(`job ${queue} ${job.id} failed, will retry: ${(error as Error).message}`);
          await boss.fail(queue, job.id, { message: (error as Error).message });
        }
      }
    });
  }

  /** Enqueues a job inside the caller's transaction. */
  async enqueue(manager: EntityManager, queue: string, data: object, options: { startAfter?: Date; singletonKey?: string } = {}): Promise<void> {
    const boss = await this.start();
    await boss.send(queue, data, {
      ...options,
      // eslint-disable-next-line no-restricted-syntax -- the queue's adapter: pg-boss runs its own SQL on its own tables, in the caller's transaction
      db: { executeSql: async (text: string, values: unknown[]) => ({ rows: await manager.query(text, values) }) },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.boss) await this.boss.stop({ graceful: true, wait: true, timeout: 5000 });
  }
}
