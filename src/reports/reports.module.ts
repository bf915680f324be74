import { Module } from '@nestjs/common';
import { AwardsModule } from '../awards/awards.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ReportRemindersRepository } from './report-reminders.repository.js';
import { ReportRemindersService } from './report-reminders.service.js';
import { ReportsApiController } from './reports.api.controller.js';
import { ReportsPagesController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

@Module({
  imports: [AwardsModule, OrganisationsModule],
  controllers: [ReportsApiController, ReportsPagesController],
  providers: [ReportsService, ReportsRepository, ReportRemindersService, ReportRemindersRepository],
})
export class ReportsModule {}
