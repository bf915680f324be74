import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { ENTITIES } from './entities.js';

/** One place for the connection settings, shared by the service, the tests and the TypeORM CLI. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: 20, application_name: 'foerdertisch' },
  };
}

/**
 * The data source the TypeORM CLI uses (`npm run migration:generate -- migrations/Name`).
 * It needs DATABASE_URL pointing at a database migrated to the current state.
 */
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://localhost/foerdertisch'));
