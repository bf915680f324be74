import { describe, expect, it } from '@jest/globals';
import { archiveOpenItems, countOpenItems } from './archive.rules.js';
import type { GrantArchiveFacts } from './call.types.js';

/** A released award, final, its report accepted, its money paid out and exported: settled. */
const settled = (id: string, changes: Partial<GrantArchiveFacts> = {}): GrantArchiveFacts => ({
  decisionId: `d-${id}`,
  applicationId: `a-${id}`,
  referenceNumber: `NE-2027-${id}`,
  title: `Projekt ${id}`,
  kind: 'award',
  decisionStatus: 'released',
  applicationStatus: 'final',
  reportId: `r-${id}`,
  reportStatus: 'accepted',
  claimStatus: null,
  letterIssued: true,
  claimLetterIssued: null,
  openPayments: 0,
  unexportedPayouts: 0,
  plannedVisits: 0,
  ...changes,
});

const kinds = (grants: GrantArchiveFacts[]) => archiveOpenItems(grants).map((item) => `${item.kind}:${item.applicationId}`);

describe('archiving a call: which grants are settled', () => {
  it('finds nothing open when every award is final with its report closed and every rejection released', () => {
    expect(archiveOpenItems([
      settled('1'),
      settled('2', { reportStatus: 'settled_with_claim', claimStatus: 'repaid', claimLetterIssued: true }),
      settled('3', { kind: 'rejection', applicationStatus: 'rejection_notified', reportId: null, reportStatus: null }),
    ])).toEqual([]);
    expect(archiveOpenItems([])).toEqual([]);
  });

  it('counts a withdrawn or declined award as settled although its report stays due', () => {
    expect(kinds([settled('1', { applicationStatus: 'withdrawn', reportStatus: 'due' })])).toEqual([]);
  });

  it('still holds a withdrawn award whose payment request or claim is open', () => {
    expect(kinds([settled('1', { applicationStatus: 'withdrawn', reportStatus: 'due', openPayments: 1, claimStatus: 'released', claimLetterIssued: true })]))
      .toEqual(['claimOpen:a-1', 'paymentOpen:a-1']);
  });

  it('names a draft decision once, whatever else hangs on it', () => {
    expect(kinds([settled('1', { decisionStatus: 'draft', applicationStatus: 'approved', reportId: null, reportStatus: null })])).toEqual(['draftDecision:a-1']);
    expect(kinds([settled('1', { kind: 'rejection', decisionStatus: 'draft', reportStatus: null })])).toEqual(['draftDecision:a-1']);
  });

  it.each(['due', 'submitted', 'in_check', 'clarification_requested'])('holds an award whose report is %s', (reportStatus) => {
    expect(kinds([settled('1', { reportStatus })])).toEqual(['reportOpen:a-1']);
  });

  it('holds an award not yet final (the period for an action runs)', () => {
    expect(kinds([settled('1', { applicationStatus: 'awarded' })])).toEqual(['notFinal:a-1']);
  });

  it('holds a report settled with a claim until the claim is drafted, released and its refund booked', () => {
    expect(kinds([settled('1', { reportStatus: 'settled_with_claim' })])).toEqual(['claimMissing:a-1']);
    expect(kinds([settled('1', { reportStatus: 'settled_with_claim', claimStatus: 'draft' })])).toEqual(['claimOpen:a-1']);
    expect(kinds([settled('1', { reportStatus: 'settled_with_claim', claimStatus: 'released', claimLetterIssued: true })])).toEqual(['claimOpen:a-1']);
  });

  it('holds a released decision or claim whose letter the job has not stored yet (once per grant)', () => {
    expect(kinds([settled('1', { letterIssued: false })])).toEqual(['letterPending:a-1']);
    expect(kinds([settled('1', { kind: 'rejection', applicationStatus: 'rejection_notified', reportStatus: null, letterIssued: false })])).toEqual(['letterPending:a-1']);
    expect(kinds([settled('1', { reportStatus: 'settled_with_claim', claimStatus: 'repaid', claimLetterIssued: false })])).toEqual(['letterPending:a-1']);
    expect(kinds([settled('1', { letterIssued: false, reportStatus: 'settled_with_claim', claimStatus: 'repaid', claimLetterIssued: false })])).toEqual(['letterPending:a-1']);
  });

  it('holds payment requests not yet released, payouts not yet exported and visits planned without a record', () => {
    expect(kinds([settled('1', { openPayments: 2 }), settled('2', { unexportedPayouts: 1 }), settled('3', { plannedVisits: 1 })]))
      .toEqual(['paymentOpen:a-1', 'payoutNotExported:a-2', 'visitPlanned:a-3']);
  });

  it('counts the grants held per kind, every kind named', () => {
    const items = archiveOpenItems([settled('1', { reportStatus: 'due' }), settled('2', { reportStatus: 'in_check', openPayments: 1 }), settled('3')]);
    expect(countOpenItems(items)).toEqual({
      draftDecision: 0, letterPending: 0, notFinal: 0, reportOpen: 2, claimMissing: 0, claimOpen: 0, paymentOpen: 1, payoutNotExported: 0, visitPlanned: 0,
    });
    expect(items[0]).toEqual({ kind: 'reportOpen', decisionId: 'd-1', applicationId: 'a-1', referenceNumber: 'NE-2027-1', title: 'Projekt 1', reportId: 'r-1' });
  });
});
