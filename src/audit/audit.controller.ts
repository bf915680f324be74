import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiExcludeEndpoint, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/guards.js';
import { sendPage } from '../web/page.js';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@ApiCookieAuth()
@Controller()
@Roles('admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('admin')
  @ApiExcludeEndpoint()
  async page(@Query('entityType') entityType: string | undefined, @Query('before') before: string | undefined, @Res() res: Response) {
    const events = await this.audit.list({ entityType: entityType || undefined, beforeId: before, limit: 100 });
    sendPage(res, 'pages/admin/audit.njk', { events, entityType, nextBefore: events.length === 100 ? events[events.length - 1].id : undefined });
  }

  @Get('api/v1/audit')
  @ApiQuery({ name: 'entityType', required: false })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'before', required: false, description: 'Only events with a smaller id (paging)' })
  list(@Query('entityType') entityType?: string, @Query('entityId') entityId?: string, @Query('before') before?: string) {
    return this.audit.list({ entityType, entityId, beforeId: before });
  }
}
