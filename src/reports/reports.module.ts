import { Module } from '@nestjs/common';
import { AwardsModule } from '../awards/awards.module.js';
import { ReportsApiController } from './reports.api.controller.js';
import { ReportsPagesController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

@Module({
  imports: [AwardsModule],
  controllers: [ReportsApiController, ReportsPagesController],
  providers: [ReportsService, ReportsRepository],
})
export class ReportsModule {}
