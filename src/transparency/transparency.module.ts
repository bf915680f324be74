import { Module } from '@nestjs/common';
import { TransparencyApiController } from './transparency.api.controller.js';
import { TransparencyPagesController } from './transparency.controller.js';
import { TransparencyRepository } from './transparency.repository.js';
import { TransparencyService } from './transparency.service.js';

@Module({
  controllers: [TransparencyApiController, TransparencyPagesController],
  providers: [TransparencyService, TransparencyRepository],
})
export class TransparencyModule {}
