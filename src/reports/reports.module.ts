import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { AwardsModule } from '../awards/awards.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ReportRemindersRepository } from './report-reminders.repository.js';
import { ReportRemindersService } from './report-reminders.service.js';
import { ReportsApiController } from './reports.api.controller.js';
import { ReportsPagesController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';
import { UsageReportsApiController } from './usage-reports.api.controller.js';
import { UsageReportPageSection, UsageReportsPagesController } from './usage-reports.controller.js';
import { UsageReportsRepository } from './usage-reports.repository.js';
import { UsageReportsService } from './usage-reports.service.js';

@Module({
  imports: [AwardsModule, ApplicationsModule, OrganisationsModule],
  controllers: [ReportsApiController, ReportsPagesController, UsageReportsApiController, UsageReportsPagesController],
  providers: [ReportsService, ReportsRepository, ReportRemindersService, ReportRemindersRepository, UsageReportsService, UsageReportsRepository, UsageReportPageSection],
  exports: [UsageReportsService],
})
export class ReportsModule {}
