import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AwardsPagesController } from './awards.controller.js';
import { AwardsApiController } from './awards.api.controller.js';
import { AwardsRepository } from './awards.repository.js';
import { AwardsService } from './awards.service.js';

@Module({
  imports: [ApplicationsModule, CallsModule, OrganisationsModule, SessionsModule],
  controllers: [AwardsApiController, AwardsPagesController],
  providers: [AwardsService, AwardsRepository],
  exports: [AwardsService, AwardsRepository],
})
export class AwardsModule {}
