import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module.js';
import { RoundTableModule } from '../round-table/round-table.module.js';
import { SessionsApiController } from './sessions.api.controller.js';
import { SessionsPagesController } from './sessions.controller.js';
import { SessionDocumentsService } from './session-documents.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [CallsModule, RoundTableModule],
  controllers: [SessionsPagesController, SessionsApiController],
  providers: [SessionsService, SessionsRepository, SessionDocumentsService],
  exports: [SessionsService],
})
export class SessionsModule {}
