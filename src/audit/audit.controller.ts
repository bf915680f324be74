import { Controller, Get, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/guards.js';
import { OptionalBigintQuery } from '../common/param-pipes.js';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@ApiCookieAuth()
@Controller()
@Roles('admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('api/v1/audit')
  @ApiQuery({ name: 'entityType', required: false })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'before', required: false, description: 'Only events with a smaller id (paging)' })
  list(@Query('entityType') entityType?: string, @Query('entityId') entityId?: string, @Query('before', OptionalBigintQuery) before?: string) {
    return this.audit.list({ entityType, entityId, beforeId: before });
  }
}
