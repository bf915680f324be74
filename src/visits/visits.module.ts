import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { GrantVisitsSection } from './grant-visits.js';
import { VisitsPagesController } from './visits.controller.js';
import { VisitsApiController } from './visits.api.controller.js';
import { VisitsRepository } from './visits.repository.js';
import { VisitsService } from './visits.service.js';

@Module({
  imports: [ApplicationsModule, CallsModule, OrganisationsModule],
  controllers: [VisitsApiController, VisitsPagesController],
  providers: [VisitsService, VisitsRepository, GrantVisitsSection],
  exports: [VisitsService],
})
export class VisitsModule {}
