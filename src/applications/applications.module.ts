import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ApplicationPageSections } from './application-page-sections.js';
import { ApplicationsApiController } from './applications.api.controller.js';
import { ApplicationsPagesController } from './applications.controller.js';
import { ApplicationsRepository } from './applications.repository.js';
import { ApplicationsService } from './applications.service.js';

@Module({
  imports: [CallsModule, OrganisationsModule],
  controllers: [ApplicationsPagesController, ApplicationsApiController],
  providers: [ApplicationsService, ApplicationsRepository, ApplicationPageSections],
  exports: [ApplicationsService, ApplicationsRepository, ApplicationPageSections],
})
export class ApplicationsModule {}
