import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/guards.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @Public()
  @ApiOperation({ summary: "The service's and its database's state (503 when the database does not answer)" })
  async health(@Res() res: Response) {
    const started = Date.now();
    try {
      const [row] = await this.dataSource.query(`SELECT current_setting('server_version') AS version, (SELECT count(*) FROM schema_migration)::int AS migrations`);
      res.status(200).json({ status: 'ok', database: { status: 'up', latencyMs: Date.now() - started, version: row.version, migrations: row.migrations } });
    } catch (error) {
      res.status(503).json({ status: 'error', database: { status: 'down', error: (error as Error).message.slice(0, 200) } });
    }
  }
}
