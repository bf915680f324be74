import { ARCHIVE_BLOCKERS, type ArchiveBlocker, type ArchiveOpenItem, type GrantArchiveFacts } from './call.types.js';

const CLOSED_REPORT = ['accepted', 'settled_with_claim'];

/**
 * What keeps a decided call from being archived. A grant is settled when nothing can change on it
 * any more: no decision is still a draft; every letter (decision, claim) has been issued by its job,
 * which stores it afterwards; a released award is final (bestandskräftig) and its usage
 * report closed (accepted, or settled with a claim that exists), unless the grantee withdrew or
 * declined it (no money, its report is never due); every repayment claim is released and its
 * refund booked; no payment request waits for confirmation or release; every payout went to the
 * treasury in an export; no site visit is planned without its record. Rejections settle nothing.
 */
export function archiveOpenItems(grants: readonly GrantArchiveFacts[]): ArchiveOpenItem[] {
  const items: ArchiveOpenItem[] = [];
  for (const grant of grants) {
    const open = (kind: ArchiveBlocker) =>
      items.push({ kind, decisionId: grant.decisionId, applicationId: grant.applicationId, referenceNumber: grant.referenceNumber, title: grant.title, reportId: grant.reportId });
    if (grant.decisionStatus === 'draft') {
      open('draftDecision');
      continue;
    }
    const claimLetterPending = grant.claimStatus !== null && grant.claimStatus !== 'draft' && !grant.claimLetterIssued;
    if (!grant.letterIssued || claimLetterPending) open('letterPending');
    if (grant.kind !== 'award') continue;
    const withdrawn = grant.applicationStatus === 'withdrawn';
    if (!withdrawn && grant.applicationStatus !== 'final') open('notFinal');
    if (!withdrawn && !CLOSED_REPORT.includes(grant.reportStatus ?? '')) open('reportOpen');
    if (grant.reportStatus === 'settled_with_claim' && grant.claimStatus === null) open('claimMissing');
    if (grant.claimStatus === 'draft' || grant.claimStatus === 'released') open('claimOpen');
    if (grant.openPayments > 0) open('paymentOpen');
    if (grant.unexportedPayouts > 0) open('payoutNotExported');
    if (grant.plannedVisits > 0) open('visitPlanned');
  }
  return items;
}

/** How many grants each kind holds up, every kind named (0 when none). */
export function countOpenItems(items: readonly ArchiveOpenItem[]): Record<ArchiveBlocker, number> {
  const counts = Object.fromEntries(ARCHIVE_BLOCKERS.map((kind) => [kind, 0])) as Record<ArchiveBlocker, number>;
  for (const item of items) counts[item.kind] += 1;
  return counts;
}
