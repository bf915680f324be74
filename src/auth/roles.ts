import { Forbidden } from '../common/errors.js';
/** What a person may do. One account can hold several roles (an office clerk may also administer). */
export const ROLES = ['applicant', 'voting_member', 'advisory_member', 'chair', 'office', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The page each role lands on after login, in order of precedence. */
export const START_PAGES: [Role, string][] = [
  ['admin', '/admin'],
  ['office', '/office'],
  ['chair', '/member'],
  ['voting_member', '/member'],
  ['advisory_member', '/member'],
  ['applicant', '/applications'],
];

export function startPageFor(roles: readonly Role[]): string {
  return START_PAGES.find(([role]) => roles.includes(role))?.[1] ?? '/';
}

export function hasAnyRole(roles: readonly Role[], wanted: readonly Role[]): boolean {
  return wanted.some((role) => roles.includes(role));
}

/** Office staff and administrators see every organisation and membership. */
export const STAFF_ROLES: Role[] = ['office', 'admin'];

/** The rights that come from a round-table membership, never from the account alone. */
export const MEMBER_ROLES: Role[] = ['voting_member', 'advisory_member', 'chair'];

/**
 * The roles an account acts with: its own roles except the member rights, which come only from its
 * active round-table membership (voting or advisory right, chair flag). An account invited with a
 * member role but without a membership row holds no member right.
 */
export function effectiveRoles(accountRoles: readonly Role[], membershipRoles: readonly Role[]): Role[] {
  const own = accountRoles.filter((role) => !MEMBER_ROLES.includes(role));
  return [...own, ...MEMBER_ROLES.filter((role) => membershipRoles.includes(role))];
}

/** Who may know of the round table's sessions, agendas and votes: members and staff. */
export const SESSION_READERS: Role[] = [...MEMBER_ROLES, ...STAFF_ROLES];

/** 403 unless the actor holds one of the roles. */
export function requireRole(actor: { roles: readonly Role[] }, roles: readonly Role[]): void {
  if (!hasAnyRole(actor.roles as Role[], roles as Role[])) throw new Forbidden();
}

/** 403 unless the actor works in the office (administrators read, the office acts). */
export function requireOffice(actor: { roles: readonly Role[] }): void {
  requireRole(actor, ['office']);
}

/** 403 unless the actor is staff: office or administration. */
export function requireStaff(actor: { roles: readonly Role[] }): void {
  requireRole(actor, STAFF_ROLES);
}
