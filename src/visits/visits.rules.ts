import { addDays, assertCalendarDay } from '../awards/calendar-days.js';

/**
 * Site visits (Vor-Ort-Besuche) to funded projects: the protocol's checklist and the coverage of a
 * call's projects by visits.
 */

/** The points the office checks on a visit, in the order of the protocol. */
export const VISIT_CHECKLIST = [
  'activity_as_described',
  'target_group_reached',
  'open_to_everyone',
  'participants_present',
  'publicity_names_city',
] as const;
export type VisitChecklistItem = (typeof VISIT_CHECKLIST)[number];

/** A checklist point's finding; "not assessed" when the visit could not judge it (e.g. no session that day). */
export const VISIT_CHECK_RESULTS = ['yes', 'partly', 'no', 'not_assessed'] as const;
export type VisitCheckResult = (typeof VISIT_CHECK_RESULTS)[number];

export const VISIT_STATUSES = ['planned', 'done'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/** Projects whose period ends within this many days without a visit are flagged on the office's start page. */
export const VISIT_WARNING_DAYS = 30;

export interface VisitInput {
  status: VisitStatus;
  /** The visit's day (YYYY-MM-DD): the planned day, or the day it took place. */
  on: string;
}

export interface CoverageProjectInput {
  applicationId: string;
  /** Last day of the funded period (YYYY-MM-DD). */
  periodEnd: string;
  visits: readonly VisitInput[];
}

export type CoverageStatus = 'visited' | 'planned' | 'missing';

export interface ProjectCoverage {
  applicationId: string;
  periodEnd: string;
  status: CoverageStatus;
  /** Days from today to the period's last day; negative once it has ended. */
  daysToEnd: number;
  /** The latest visit done within the period. */
  lastVisitOn: string | null;
  /** The earliest planned visit within the period, while a visit can still take place. */
  nextPlannedOn: string | null;
  /** Visits (done or planned) dated after the period's end: they did not see the project running. */
  visitsAfterEnd: number;
}

export interface EndingSoonWithoutVisit {
  applicationId: string;
  periodEnd: string;
  daysToEnd: number;
  nextPlannedOn: string | null;
}

export interface VisitCoverage {
  /** In the order given. */
  projects: ProjectCoverage[];
  counts: { total: number; visited: number; planned: number; missing: number };
  /** Ending within VISIT_WARNING_DAYS days (today and the 30th day included) without a visit done; soonest first. */
  endingSoonWithoutVisit: EndingSoonWithoutVisit[];
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string): number => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;

/**
 * The coverage of one call's funded projects by site visits, as of `today` (YYYY-MM-DD, Berlin):
 *
 * - visited: a visit was done within the period (on or before its last day). A visit after the end
 *   no longer saw the activity, so it does not count; it is reported in `visitsAfterEnd`.
 * - planned: no visit done yet, the period has not ended, and a visit is planned within it (also a
 *   planned day already past whose protocol is not recorded yet: the office still has to act on it).
 * - missing: neither; a project whose period ended without a visit stays missing, whatever was planned.
 *
 * A project is flagged when its period ends today or within the next 30 days and no visit was done,
 * a planned visit included: until it has happened, the office has to make sure it does.
 * Invalid days, statuses or repeated projects throw a RangeError (callers validate user input first).
 */
export function visitCoverage(projects: readonly CoverageProjectInput[], today: string): VisitCoverage {
  assertCalendarDay(today);
  const seen = new Set<string>();
  const result: ProjectCoverage[] = projects.map((project) => {
    if (typeof project.applicationId !== 'string' || project.applicationId === '' || seen.has(project.applicationId)) {
      throw new RangeError(`Project id missing or repeated: ${String(project.applicationId)}`);
    }
    seen.add(project.applicationId);
    assertCalendarDay(project.periodEnd);
    const done: string[] = [];
    const planned: string[] = [];
    let visitsAfterEnd = 0;
    for (const visit of project.visits) {
      assertCalendarDay(visit.on);
      if (!VISIT_STATUSES.includes(visit.status)) throw new RangeError(`Unknown visit status: ${String(visit.status)}`);
      if (visit.on > project.periodEnd) visitsAfterEnd++;
      else (visit.status === 'done' ? done : planned).push(visit.on);
    }
    // YYYY-MM-DD days sort as strings.
    const lastVisitOn = done.sort().at(-1) ?? null;
    const nextPlannedOn = planned.sort()[0] ?? null;
    const daysToEnd = daysBetween(today, project.periodEnd);
    const running = daysToEnd >= 0;
    const status: CoverageStatus = lastVisitOn !== null ? 'visited' : running && nextPlannedOn !== null ? 'planned' : 'missing';
    return { applicationId: project.applicationId, periodEnd: project.periodEnd, status, daysToEnd, lastVisitOn, nextPlannedOn: running ? nextPlannedOn : null, visitsAfterEnd };
  });

  const counts = { total: result.length, visited: 0, planned: 0, missing: 0 };
  for (const project of result) counts[project.status]++;
  const warnUntil = addDays(today, VISIT_WARNING_DAYS);
  const endingSoonWithoutVisit = result
    .filter((project) => project.status !== 'visited' && project.periodEnd >= today && project.periodEnd <= warnUntil)
    .sort((a, b) => a.daysToEnd - b.daysToEnd || a.applicationId.localeCompare(b.applicationId))
    .map(({ applicationId, periodEnd, daysToEnd, nextPlannedOn }) => ({ applicationId, periodEnd, daysToEnd, nextPlannedOn }));
  return { projects: result, counts, endingSoonWithoutVisit };
}
