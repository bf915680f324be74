import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ReviewApiController } from './review.api.controller.js';
import { ReviewPagesController } from './review.controller.js';
import { ReviewService } from './review.service.js';

@Module({
  imports: [ApplicationsModule, CallsModule, OrganisationsModule],
  controllers: [ReviewPagesController, ReviewApiController],
  providers: [ReviewService],
})
export class ReviewModule {}
