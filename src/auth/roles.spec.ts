import { describe, expect, it } from '@jest/globals';
import { navigationFor } from '../web/navigation.js';
import { effectiveRoles, startPageFor } from './roles.js';

const actor = (roles: Parameters<typeof startPageFor>[0]) => ({ id: 'x', email: 'x', fullName: 'x', roles: [...roles], preferredLanguage: 'de' as const });

describe('roles', () => {
  it('each role has its start page', () => {
    expect(startPageFor(['applicant'])).toBe('/applications');
    expect(startPageFor(['voting_member'])).toBe('/member');
    expect(startPageFor(['advisory_member', 'chair'])).toBe('/member');
    expect(startPageFor(['office'])).toBe('/office');
    expect(startPageFor(['admin', 'office'])).toBe('/admin');
  });

  it('only voting members see the voting entry; applicants see no staff entries', () => {
    expect(navigationFor(actor(['voting_member'])).map((i) => i.href)).toContain('/voting');
    expect(navigationFor(actor(['advisory_member'])).map((i) => i.href)).not.toContain('/voting');
    expect(navigationFor(actor(['applicant'])).map((i) => i.href)).toEqual(['/applications', '/organisations', '/calls']);
    expect(navigationFor(undefined)).toEqual([]);
  });

  it('member rights come from the membership, never from the account alone', () => {
    expect(effectiveRoles(['voting_member', 'chair'], [])).toEqual([]);
    expect(effectiveRoles(['voting_member', 'chair'], ['voting_member'])).toEqual(['voting_member']);
    expect(effectiveRoles(['applicant', 'advisory_member'], ['advisory_member', 'chair'])).toEqual(['applicant', 'advisory_member', 'chair']);
    expect(effectiveRoles(['office', 'admin'], [])).toEqual(['office', 'admin']);
  });
});
