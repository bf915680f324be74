import { Global, Module } from '@nestjs/common';
import { SessionService } from './session.service.js';
import { UsersRepository } from './users.repository.js';

/** Who is signed in, and the accounts behind it: used by the request pipeline and every feature. */
@Global()
@Module({ providers: [SessionService, UsersRepository], exports: [SessionService, UsersRepository] })
export class AccessModule {}
