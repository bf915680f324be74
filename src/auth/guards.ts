import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Forbidden, NotFound, Unauthenticated } from '../common/errors.js';
import type { Actor } from './actor.js';
import { hasAnyRole, type Role } from './roles.js';

const ROLES_KEY = 'foerdertisch:roles';
const PUBLIC_KEY = 'foerdertisch:public';
const VISIBLE_KEY = 'foerdertisch:visible';

/** Only signed-in people holding one of these roles reach the handler (403 otherwise). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/**
 * Only people holding one of these roles learn that the resource exists: anybody else signed in
 * gets a 404, not a 403 (checked before @Roles, which then answers 403 to those who may see it).
 */
export const VisibleTo = (...roles: Role[]) => SetMetadata(VISIBLE_KEY, roles);
/** Reachable without login (login page, public pages, health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export type RequestWithActor = Request & { actor?: Actor; sessionToken?: string };

/** Global guard: everything needs a login unless marked @Public(); @Roles narrows it further. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
    if (!actor) throw new Unauthenticated();
    const visibleTo = this.reflector.getAllAndOverride<Role[]>(VISIBLE_KEY, targets);
    if (visibleTo?.length && !hasAnyRole(actor.roles, visibleTo)) throw new NotFound();
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (roles?.length && !hasAnyRole(actor.roles, roles)) throw new Forbidden();
    return true;
  }
}

/** The signed-in actor (guaranteed by AccessGuard on non-public routes). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Unauthenticated();
  return actor;
});

export const OptionalActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor | undefined => context.switchToHttp().getRequest<RequestWithActor>().actor,
);
