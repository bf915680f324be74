import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/guards.js';
import { HealthRepository } from './health.repository.js';

/** /health answers within a second: the check gives up before that and the answer is 503. */
const CHECK_TIMEOUT_MS = 500;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly repository: HealthRepository) {}

  @Get()
  @Public()
  @ApiOperation({ summary: "The service's and its database's state (503 when the database does not answer within a second)" })
  async health(@Res() res: Response) {
    const started = Date.now();
    try {
      const { row, pool } = await this.repository.database(CHECK_TIMEOUT_MS);
      res.status(200).json({ status: 'ok', database: { status: 'up', latencyMs: Date.now() - started, version: row.version, migrations: row.migrations, pool } });
    } catch (error) {
      res.setHeader('Retry-After', '5');
      res.status(503).json({ status: 'unavailable', database: { status: 'down', error: (error as Error).message.slice(0, 200) } });
    }
  }
}
