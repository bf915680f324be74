import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { AwardsModule } from '../awards/awards.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { GrantPageSection } from './grant-page.js';
import { GrantPagesController } from './grant-pages.controller.js';
import { PaymentsPagesController } from './payments.controller.js';
import { PaymentsApiController } from './payments.api.controller.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsService } from './payments.service.js';

@Module({
  imports: [ApplicationsModule, AwardsModule, CallsModule, OrganisationsModule],
  controllers: [PaymentsApiController, PaymentsPagesController, GrantPagesController],
  providers: [PaymentsService, PaymentsRepository, GrantPageSection],
  exports: [PaymentsService],
})
export class PaymentsModule {}
