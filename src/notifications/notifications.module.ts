import { Global, Module } from '@nestjs/common';
import { JobsService } from './jobs.service.js';
import { MailService } from './mail.service.js';

@Global()
@Module({ providers: [JobsService, MailService], exports: [JobsService, MailService] })
export class NotificationsModule {}
