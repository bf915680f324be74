import { Module } from '@nestjs/common';
import { MonitoringApiController } from './monitoring.api.controller.js';
import { MonitoringPagesController } from './monitoring.controller.js';
import { MonitoringRepository } from './monitoring.repository.js';
import { MonitoringService } from './monitoring.service.js';

@Module({
  controllers: [MonitoringApiController, MonitoringPagesController],
  providers: [MonitoringService, MonitoringRepository],
})
export class MonitoringModule {}
