import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AccessReportService } from './access-report.service.js';
import { PrivacyApiController } from './privacy.api.controller.js';
import { PrivacyPagesController } from './privacy.controller.js';
import { PrivacyRepository } from './privacy.repository.js';
import { RetentionService } from './retention.service.js';

/** Data protection (DSGVO): the retention job and its page, and the access report (Art. 15). */
@Module({
  imports: [ApplicationsModule, OrganisationsModule],
  controllers: [PrivacyApiController, PrivacyPagesController],
  providers: [RetentionService, AccessReportService, PrivacyRepository],
  exports: [RetentionService],
})
export class PrivacyModule {}
