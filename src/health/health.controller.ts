import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/guards.js';
import { HealthRepository } from './health.repository.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly repository: HealthRepository) {}

  @Get()
  @Public()
  @ApiOperation({ summary: "The service's and its database's state (503 when the database does not answer)" })
  async health(@Res() res: Response) {
    const started = Date.now();
    try {
      const row = await this.repository.database();
      res.status(200).json({ status: 'ok', database: { status: 'up', latencyMs: Date.now() - started, version: row.version, migrations: row.migrations } });
    } catch (error) {
      res.status(503).json({ status: 'error', database: { status: 'down', error: (error as Error).message.slice(0, 200) } });
    }
  }
}
