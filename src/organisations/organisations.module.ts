import { Module } from '@nestjs/common';
import { OrganisationsApiController } from './organisations.api.controller.js';
import { OrganisationsPagesController } from './organisations.controller.js';
import { OrganisationsRepository } from './organisations.repository.js';
import { OrganisationsService } from './organisations.service.js';

@Module({
  controllers: [OrganisationsPagesController, OrganisationsApiController],
  providers: [OrganisationsService, OrganisationsRepository],
  exports: [OrganisationsService, OrganisationsRepository],
})
export class OrganisationsModule {}
