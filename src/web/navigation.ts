import type { Actor } from '../auth/actor.js';
import type { Role } from '../auth/roles.js';

export interface NavItem {
  href: string;
  key: string;
}

const NAVIGATION: [Role[], NavItem][] = [
  [['applicant'], { href: '/applications', key: 'nav.myApplications' }],
  [['applicant'], { href: '/organisations', key: 'nav.myOrganisations' }],
  [['applicant'], { href: '/calls', key: 'nav.calls' }],
  [['voting_member', 'advisory_member', 'chair'], { href: '/member', key: 'nav.memberArea' }],
  [['voting_member'], { href: '/voting', key: 'nav.voting' }],
  [['office'], { href: '/office', key: 'nav.office' }],
  [['office', 'admin'], { href: '/office/calls', key: 'nav.officeCalls' }],
  [['voting_member', 'advisory_member', 'chair', 'office', 'admin'], { href: '/sessions', key: 'nav.sessions' }],
  [['voting_member', 'advisory_member', 'chair', 'office', 'admin'], { href: '/monitoring', key: 'monitoring.nav' }],
  [['office', 'admin'], { href: '/office/payment-exports', key: 'nav.paymentExports' }],
  [['office', 'admin'], { href: '/office/reports', key: 'nav.usageReports' }],
  [['office', 'admin'], { href: '/office/organisations', key: 'nav.organisations' }],
  [['office', 'admin'], { href: '/office/members', key: 'nav.members' }],
  [['office', 'admin'], { href: '/office/accounts', key: 'nav.accounts' }],
  [['office', 'admin'], { href: '/office/base-rates', key: 'nav.baseRates' }],
  [['office', 'admin'], { href: '/admin/retention', key: 'privacy.nav' }],
  [['admin'], { href: '/admin', key: 'nav.admin' }],
];

/** The menu a person sees: one entry per place their roles open. */
export function navigationFor(actor: Actor | undefined): NavItem[] {
  if (!actor) return [];
  return NAVIGATION.filter(([roles]) => roles.some((role) => actor.roles.includes(role))).map(([, item]) => item);
}
