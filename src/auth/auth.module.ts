import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AccountsApiController, AccountsPagesController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';
import { AuthApiController, AuthPagesController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { SessionService } from './session.service.js';
import { UsersRepository } from './users.repository.js';

@Module({
  imports: [OrganisationsModule],
  controllers: [AuthPagesController, AuthApiController, AccountsPagesController, AccountsApiController],
  providers: [AuthService, AccountsService, SessionService, UsersRepository],
  exports: [AuthService, AccountsService, SessionService, UsersRepository],
})
export class AuthModule {}
