import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ApplicationsApiController } from './applications.api.controller.js';
import { ApplicationsPagesController } from './applications.controller.js';
import { ApplicationsRepository } from './applications.repository.js';
import { ApplicationsService } from './applications.service.js';

@Module({
  imports: [AuthModule, CallsModule, OrganisationsModule],
  controllers: [ApplicationsPagesController, ApplicationsApiController],
  providers: [ApplicationsService, ApplicationsRepository],
  exports: [ApplicationsService, ApplicationsRepository],
})
export class ApplicationsModule {}
