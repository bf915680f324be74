import { Module } from '@nestjs/common';
import { CallsApiController } from './calls.api.controller.js';
import { CallsPagesController } from './calls.controller.js';
import { CallsRepository } from './calls.repository.js';
import { CallsService } from './calls.service.js';

@Module({
  controllers: [CallsPagesController, CallsApiController],
  providers: [CallsService, CallsRepository],
  exports: [CallsService, CallsRepository],
})
export class CallsModule {}
