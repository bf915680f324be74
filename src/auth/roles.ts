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
