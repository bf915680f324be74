import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import { createTestDatabase } from '../../test/support/database.js';
import { openDatabase } from '../bootstrap.js';
import { isPoolExhausted, SecondConnectionInTransaction, Transactions } from './transactions.js';

let database: { url: string; drop: () => Promise<void> };
let dataSource: DataSource;
let db: Transactions;

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = await openDatabase(database.url, { dbPoolSize: 2, dbAcquireTimeoutMs: 500 });
  db = new Transactions(dataSource);
  await dataSource.query(`CREATE TABLE tx_probe (n int)`);
});
afterAll(async () => {
  await db.onApplicationShutdown();
  await dataSource.destroy();
  await database.drop();
});

const backend = async (manager: EntityManager): Promise<number> => (await manager.query(`SELECT pg_backend_pid() AS pid`))[0].pid;
/** Written the way repositories are: the manager defaults to the context's. */
const insert = (n: number, manager: EntityManager = db.manager) => manager.query(`INSERT INTO tx_probe (n) VALUES ($1)`, [n]);

describe('Transactions', () => {
  it('inside run() the default manager is the transaction’s, so a failing transaction leaves nothing', async () => {
    await expect(
      db.run(async (manager) => {
        expect(db.manager).toBe(manager);
        expect(await backend(db.manager)).toBe(await backend(manager));
        await insert(1);
        throw new Error('after the write');
      }),
    ).rejects.toThrow('after the write');
    expect(await dataSource.query(`SELECT n FROM tx_probe WHERE n = 1`)).toEqual([]);
    expect(db.manager).toBe(dataSource.manager);
  });

  it('refuses a second pooled connection inside a transaction at once, instead of waiting for one', async () => {
    const started = Date.now();
    await expect(db.run(() => dataSource.manager.query(`SELECT 1`))).rejects.toBeInstanceOf(SecondConnectionInTransaction);
    await expect(db.run(() => dataSource.transaction(async () => undefined))).rejects.toBeInstanceOf(SecondConnectionInTransaction);
    expect(Date.now() - started).toBeLessThan(400);
    // outside a transaction the pool serves as before
    expect(await dataSource.query(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  });

  it('a nested run() joins the open transaction', async () => {
    await db.run(async (outer) => {
      const pid = await backend(outer);
      await db.run(async (inner) => {
        expect(inner).toBe(outer);
        expect(await backend(inner)).toBe(pid);
      });
    });
  });

  it('work left running after the transaction ended uses the pool', async () => {
    let later: Promise<EntityManager> | undefined;
    await db.run(async () => {
      later = new Promise((resolve) => setTimeout(() => resolve(db.manager), 50));
    });
    expect(await later).toBe(dataSource.manager);
  });

  it('an exhausted pool gives up after the acquire timeout with an error answered as 503', async () => {
    const runner = dataSource.createQueryRunner();
    const other = dataSource.createQueryRunner();
    await runner.connect();
    await other.connect();
    try {
      const error = await dataSource.query(`SELECT 1`).catch((e: unknown) => e);
      expect(isPoolExhausted(error)).toBe(true);
    } finally {
      await runner.release();
      await other.release();
    }
  });

  it('probe() answers from a connection of its own, and gives up within its time', async () => {
    const { row, pool } = await db.probe<{ one: number }>(`SELECT 1 AS one`, 800);
    expect(row).toEqual({ one: 1 });
    expect(pool.size).toBeLessThanOrEqual(2);
    const started = Date.now();
    await expect(db.probe(`SELECT pg_sleep(3)`, 300)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
