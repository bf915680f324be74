import { visitCoverage } from '../visits/visits.rules.js';
import type { ApplicationFacts, IndicatorGroup, Indicators, UsageReportStatus } from './monitoring.types.js';

/**
 * How the monitoring counts (pure; the figures of page, API, CSV and PDF all come from here):
 *
 * - applied: submitted at least once; eligible: passed the formal check; funded: released award.
 * - requested sums what the applied projects asked for; awarded, paid and repaid only concern
 *   funded projects (released award, released payouts, repayment claims booked as repaid).
 * - Participants (indicator 11) are reached when the usage report is accepted (or settled with a
 *   claim): only checked figures count. Planned is what all funded projects expected; "planned of
 *   reported" is what the projects with an accepted report expected, to set beside reached.
 * - A funded project's usage report is on time when first submitted on or before its deadline, late
 *   when after it, overdue when still not submitted after it, else not yet due. An award released
 *   before the reports existed has no report row: it counts as due on the period's last day.
 * - Visits follow the visit coverage (visitCoverage): visited within the period, planned, missing.
 */

const ACCEPTED: UsageReportStatus[] = ['accepted', 'settled_with_claim'];

export function emptyIndicators(): Indicators {
  return {
    applied: 0, eligible: 0, funded: 0, requestedCents: 0, awardedCents: 0, paidCents: 0, repaidCents: 0,
    participantsReached: 0, participantsPlanned: 0, participantsPlannedOfReported: 0,
    reportsOnTime: 0, reportsLate: 0, reportsOverdue: 0, reportsNotYetDue: 0, reportsAccepted: 0,
    visitsMade: 0, visitsPlanned: 0, visitsMissing: 0,
  };
}

/** The report's standing on `today` (YYYY-MM-DD, Berlin). */
export function reportStanding(report: ApplicationFacts['report'], periodEnd: string, today: string): 'onTime' | 'late' | 'overdue' | 'notYetDue' {
  const status = report?.status ?? 'due';
  const dueOn = report?.dueOn ?? periodEnd;
  if (status !== 'due' && report?.firstSubmittedOn) return report.firstSubmittedOn <= dueOn ? 'onTime' : 'late';
  return dueOn < today ? 'overdue' : 'notYetDue';
}

const STANDING_KEY = { onTime: 'reportsOnTime', late: 'reportsLate', overdue: 'reportsOverdue', notYetDue: 'reportsNotYetDue' } as const;
const COVERAGE_KEY = { visited: 'visitsMade', planned: 'visitsPlanned', missing: 'visitsMissing' } as const;

/** The indicators of a set of applications, as of `today` (YYYY-MM-DD, Berlin). */
export function aggregate(facts: readonly ApplicationFacts[], today: string): Indicators {
  const sum = emptyIndicators();
  const funded = facts.filter((f) => f.funded && f.periodEnd !== null);
  const coverage = visitCoverage(
    funded.map((f) => ({
      applicationId: f.applicationId,
      periodEnd: f.periodEnd!,
      visits: [
        ...(f.lastVisitDoneOn ? [{ status: 'done' as const, on: f.lastVisitDoneOn }] : []),
        ...(f.nextVisitPlannedOn ? [{ status: 'planned' as const, on: f.nextVisitPlannedOn }] : []),
      ],
    })),
    today,
  );
  for (const project of coverage.projects) sum[COVERAGE_KEY[project.status]]++;

  for (const f of facts) {
    if (f.applied) {
      sum.applied++;
      sum.requestedCents += f.requestedCents;
    }
    if (f.eligible) sum.eligible++;
    if (!f.funded || f.periodEnd === null) continue;
    sum.funded++;
    sum.awardedCents += f.awardedCents;
    sum.paidCents += f.paidCents;
    sum.repaidCents += f.repaidCents;
    sum.participantsPlanned += f.participantsPlanned ?? 0;
    sum[STANDING_KEY[reportStanding(f.report, f.periodEnd, today)]]++;
    if (f.report && ACCEPTED.includes(f.report.status)) {
      sum.reportsAccepted++;
      sum.participantsReached += f.report.participantsTotal ?? 0;
      sum.participantsPlannedOfReported += f.participantsPlanned ?? 0;
    }
  }
  return sum;
}

/**
 * The indicators per value of `keyOf` (field of action, district, year), in the order of `known`
 * first (e.g. the call's fields of action, also those nobody applied for), then the other values
 * met, alphabetically, and last the applications without a value (key null).
 */
export function groupBy(facts: readonly ApplicationFacts[], keyOf: (f: ApplicationFacts) => string | null, today: string, known: readonly string[] = []): IndicatorGroup[] {
  const groups = new Map<string | null, ApplicationFacts[]>(known.map((key) => [key, []]));
  for (const f of facts) {
    const raw = keyOf(f);
    const key = raw === null || raw.trim() === '' ? null : raw;
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  const knownSet = new Set(known);
  const others = [...groups.keys()].filter((key): key is string => key !== null && !knownSet.has(key)).sort((a, b) => a.localeCompare(b, 'de'));
  const order: (string | null)[] = [...known, ...others, ...(groups.has(null) ? [null] : [])];
  return order.map((key) => ({ key, indicators: aggregate(groups.get(key)!, today) }));
}
