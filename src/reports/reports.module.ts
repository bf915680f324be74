import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { AwardsModule } from '../awards/awards.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ClaimsApiController } from './claims.api.controller.js';
import { ClaimsPagesController } from './claims.controller.js';
import { ClaimsRepository } from './claims.repository.js';
import { ClaimPageSection, ClaimsService } from './claims.service.js';
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
  imports: [ApplicationsModule, AwardsModule, OrganisationsModule],
  controllers: [ReportsApiController, ReportsPagesController, ClaimsApiController, ClaimsPagesController, UsageReportsApiController, UsageReportsPagesController],
  providers: [
    ReportsService, ReportsRepository, ReportRemindersService, ReportRemindersRepository, ClaimsService, ClaimsRepository, ClaimPageSection,
    UsageReportsService, UsageReportsRepository, UsageReportPageSection,
  ],
  exports: [UsageReportsService],
})
export class ReportsModule {}
