import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { AwardsModule } from '../awards/awards.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { PaymentsPagesController } from './payments.controller.js';
import { PaymentsApiController } from './payments.api.controller.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsService } from './payments.service.js';

@Module({
  imports: [ApplicationsModule, AwardsModule, CallsModule, OrganisationsModule],
  controllers: [PaymentsApiController, PaymentsPagesController],
  providers: [PaymentsService, PaymentsRepository],
  exports: [PaymentsService],
})
export class PaymentsModule {}
