import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The database's version and how many migrations it has run. */
@Injectable()
export class HealthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async database(): Promise<{ version: string; migrations: number }> {
    const [row] = await this.dataSource.query(`SELECT current_setting('server_version') AS version, (SELECT count(*) FROM schema_migration)::int AS migrations`);
    return row;
  }
}
