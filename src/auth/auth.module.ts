import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AccountsApiController, AccountsPagesController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';
import { AuthApiController, AuthPagesController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { ThrottleRepository } from './throttle.repository.js';
import { ThrottleService } from './throttle.service.js';

@Module({
  imports: [OrganisationsModule],
  controllers: [AuthPagesController, AuthApiController, AccountsPagesController, AccountsApiController],
  providers: [AuthService, AccountsService, ThrottleService, ThrottleRepository],
  exports: [AuthService, AccountsService],
})
export class AuthModule {}
