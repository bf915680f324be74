import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { RoundTableModule } from '../round-table/round-table.module.js';
import { SessionsApiController } from './sessions.api.controller.js';
import { SessionsPagesController } from './sessions.controller.js';
import { SessionDocumentsService } from './session-documents.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [ApplicationsModule, CallsModule, RoundTableModule],
  controllers: [SessionsPagesController, SessionsApiController],
  providers: [SessionsService, SessionsRepository, SessionDocumentsService],
  exports: [SessionsService, SessionsRepository],
})
export class SessionsModule {}
