import { Global, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { DataSource, EntityManager, EntityTarget, QueryRunner } from 'typeorm';

interface OpenTransaction {
  manager: EntityManager;
  open: boolean;
}

const current = new AsyncLocalStorage<OpenTransaction>();

/** Thrown when code inside a transaction asks the pool for another connection: a bug, refused at once instead of a deadlock under load. */
export class SecondConnectionInTransaction extends Error {
  constructor() {
    super("A query inside a transaction asked the pool for a second connection; use the transaction's manager (Transactions.manager)");
  }
}

/** The pool handed out no connection within DB_ACQUIRE_TIMEOUT_MS. */
export function isPoolExhausted(error: unknown): boolean {
  const message = (error as Error | undefined)?.message ?? '';
  return message === 'timeout exceeded when trying to connect' || message === 'Connection terminated due to connection timeout';
}

const guarded = new WeakSet<DataSource>();

const HEALTH_CONNECT_TIMEOUT_MS = 2000;

/**
 * Inside `run()` the data source refuses to open another query runner (a second pooled
 * connection): with every request holding one connection and waiting for a second, a full pool
 * would wait forever. Nothing outside a transaction is affected.
 */
function guard(dataSource: DataSource): void {
  if (guarded.has(dataSource)) return;
  guarded.add(dataSource);
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode?: 'master' | 'slave'): QueryRunner => {
    if (current.getStore()?.open) throw new SecondConnectionInTransaction();
    return createQueryRunner(mode);
  };
}

/**
 * The data layer's one way to the database. `run(fn)` opens a transaction and keeps its entity
 * manager for everything `fn` starts; `manager` is that transaction's manager inside one and the
 * pool's outside. Repositories take their manager from here, so a query inside a transaction
 * cannot silently use a second connection.
 */
@Injectable()
export class Transactions implements OnApplicationBootstrap, OnApplicationShutdown {
  private healthPool: pg.Pool | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    guard(dataSource);
  }

  /** The open transaction's manager, or the pool's when there is none. */
  get manager(): EntityManager {
    const transaction = current.getStore();
    return transaction?.open ? transaction.manager : this.dataSource.manager;
  }

  /** Runs `fn` in a transaction (joining the one already open); committed when `fn` resolves, rolled back when it throws. */
  run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = current.getStore();
    if (open?.open) return fn(open.manager);
    return this.dataSource.transaction(async (manager) => {
      const transaction: OpenTransaction = { manager, open: true };
      try {
        return await current.run(transaction, () => fn(manager));
      } finally {
        // Work the transaction left running (not awaited) falls back to the pool after it ends.
        transaction.open = false;
      }
    });
  }

  /**
   * Runs a statement that PostgreSQL parses and plans once per connection instead of on every call
   * (for a statement with subqueries that is most of its cost): for the few statements nearly every
   * request sends. `name` must always stand for the same text. Inside `run()` it runs on the
   * transaction's connection, outside on one from the pool.
   */
  prepared<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    return this.preparedOn(this.manager, name, text, values);
  }

  /** `prepared` on the connection of the given manager: a transaction's, or one from the pool. */
  async preparedOn<T>(manager: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
    const statement = { name, text, values };
    if (manager.queryRunner) {
      const client = (await manager.queryRunner.connect()) as pg.PoolClient;
      return (await client.query(statement)).rows as T[];
    }
    if (current.getStore()?.open) throw new SecondConnectionInTransaction();
    // Released by hand: pool.query() would close the connection (and its prepared statements) after any error.
    const client = await this.pool.connect();
    try {
      return (await client.query(statement)).rows as T[];
    } finally {
      client.release();
    }
  }

  /**
   * An entity made from one row's column values keyed by column name (as `to_jsonb(row)` gives
   * them), converted as TypeORM converts what it reads itself: for entities read by a prepared
   * statement. Columns absent from the row stay unset.
   */
  entityFrom<T extends object>(entity: EntityTarget<T>, row: Record<string, unknown>): T {
    const metadata = this.dataSource.getMetadata(entity);
    const object = metadata.create() as T;
    for (const column of metadata.columns) {
      if (!(column.databaseName in row)) continue;
      column.setEntityValue(object, this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return object;
  }

  private get pool(): pg.Pool {
    return (this.dataSource.driver as unknown as { master: pg.Pool }).master;
  }

  /**
   * One short query for /health on a connection of its own (one at most, beside the service's
   * pool), given up after `timeoutMs` whether the wait is for the connection or for the answer: a
   * busy pool does not make the service look dead, and a flood of health checks cannot take the
   * service's connections. With it, how busy the service's pool is.
   */
  async probe<T>(sql: string, timeoutMs: number): Promise<{ row: T; pool: { size: number; idle: number; waiting: number } }> {
    const healthPool = this.health();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the database within ${timeoutMs} ms`)), timeoutMs);
    });
    const work = (async () => {
      const client = await healthPool.connect();
      try {
        const result = await client.query({ text: sql, query_timeout: timeoutMs } as { text: string });
        client.release();
        return result.rows[0] as T;
      } catch (error) {
        // The connection's state is unknown after a timeout: it is closed, not reused.
        client.release(true);
        throw error;
      }
    })();
    work.catch(() => undefined);
    try {
      const row = await Promise.race([work, deadline]);
      const pool = this.pool;
      return { row, pool: { size: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The health connection is opened at start and kept open: opening it (TCP and the SCRAM exchange,
   * several round trips) while a burst of requests keeps the event loop busy took the first check
   * hundreds of milliseconds of its second. Started without a database, the first check opens it.
   */
  async onApplicationBootstrap(): Promise<void> {
    const client = await this.health().connect().catch(() => undefined);
    client?.release();
  }

  private health(): pg.Pool {
    if (!this.healthPool) {
      this.healthPool = new pg.Pool({
        connectionString: (this.dataSource.options as { url: string }).url,
        max: 1,
        // probe() gives up at its own deadline; a connection that comes later serves the next check.
        connectionTimeoutMillis: HEALTH_CONNECT_TIMEOUT_MS,
        // Never closed for idleness (see onApplicationBootstrap).
        idleTimeoutMillis: 0,
        application_name: 'foerdertisch-health',
      });
      // An idle connection the server closed is dropped by the pool; the next check opens another.
      this.healthPool.on('error', () => undefined);
    }
    return this.healthPool;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.healthPool?.end();
    this.healthPool = null;
  }
}

/** Makes `Transactions` available everywhere. */
@Global()
@Module({ providers: [Transactions], exports: [Transactions] })
export class TransactionsModule {}
