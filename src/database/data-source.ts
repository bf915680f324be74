import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { ENTITIES } from './entities.js';

/** The pool's size and how long a query waits for a free connection (DB_POOL_SIZE, DB_ACQUIRE_TIMEOUT_MS). */
export interface PoolSettings {
  dbPoolSize: number;
  dbAcquireTimeoutMs: number;
}

export const DEFAULT_POOL: PoolSettings = { dbPoolSize: 20, dbAcquireTimeoutMs: 5000 };

/** One place for the connection settings, shared by the service, the tests and the TypeORM CLI. */
export function dataSourceOptions(url: string, pool: PoolSettings = DEFAULT_POOL): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // A request that finds no free connection within the acquire timeout fails (503) instead of
    // waiting forever.
    extra: { max: pool.dbPoolSize, connectionTimeoutMillis: pool.dbAcquireTimeoutMs, application_name: 'foerdertisch' },
  };
}

/**
 * The data source the TypeORM CLI uses (`npm run migration:generate -- migrations/Name`).
 * It needs DATABASE_URL pointing at a database migrated to the current state.
 */
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://localhost/foerdertisch'));
