import { describe, expect, it } from '@jest/globals';
import { aggregate, emptyIndicators, groupBy, reportStanding } from './monitoring.rules.js';
import type { ApplicationFacts } from './monitoring.types.js';

const TODAY = '2027-06-01';

function facts(id: string, overrides: Partial<ApplicationFacts> = {}): ApplicationFacts {
  return {
    applicationId: id, callId: 'call', year: 2027, fieldOfAction: 'Sprachförderung', district: 'Erfttal', applied: true, eligible: true, funded: true,
    requestedCents: 300_000, awardedCents: 280_000, paidCents: 100_000, repaidCents: 0, participantsPlanned: 40, periodEnd: '2027-12-31',
    report: { status: 'due', dueOn: '2028-06-30', firstSubmittedOn: null, participantsTotal: null }, lastVisitDoneOn: null, nextVisitPlannedOn: null,
    ...overrides,
  };
}

describe('report standing', () => {
  it('is on time up to and including the deadline, late after it; unsubmitted reports are overdue only after the deadline', () => {
    const report = (status: 'due' | 'submitted', firstSubmittedOn: string | null) => ({ status, dueOn: TODAY, firstSubmittedOn, participantsTotal: null });
    expect(reportStanding(report('submitted', TODAY), '2026-12-31', TODAY)).toBe('onTime');
    expect(reportStanding(report('submitted', '2027-06-02'), '2026-12-31', '2027-07-01')).toBe('late');
    expect(reportStanding(report('due', null), '2026-12-31', TODAY)).toBe('notYetDue');
    expect(reportStanding(report('due', null), '2026-12-31', '2027-06-02')).toBe('overdue');
    // An award without a report row: due on the period's last day.
    expect(reportStanding(null, '2027-05-31', TODAY)).toBe('overdue');
    expect(reportStanding(null, TODAY, TODAY)).toBe('notYetDue');
  });
});

describe('aggregate', () => {
  it('counts participants only from accepted reports and money only for funded projects', () => {
    const result = aggregate([
      facts('a', { report: { status: 'accepted', dueOn: '2028-06-30', firstSubmittedOn: '2027-05-01', participantsTotal: 42 }, lastVisitDoneOn: '2027-05-10' }),
      facts('b', { report: { status: 'submitted', dueOn: '2028-06-30', firstSubmittedOn: '2027-05-01', participantsTotal: 99 }, nextVisitPlannedOn: '2027-09-01' }),
      facts('c', { funded: false, awardedCents: 0, paidCents: 0, periodEnd: null, report: null, eligible: false }),
    ], TODAY);
    expect(result).toEqual({
      ...emptyIndicators(), applied: 3, eligible: 2, funded: 2, requestedCents: 900_000, awardedCents: 560_000, paidCents: 200_000,
      participantsPlanned: 80, participantsPlannedOfReported: 40, participantsReached: 42, reportsOnTime: 2, reportsAccepted: 1,
      visitsMade: 1, visitsPlanned: 1,
    });
  });
});

describe('groupBy', () => {
  it('lists the known keys first (also empty ones), then the others alphabetically, then those without a value', () => {
    const groups = groupBy([facts('a', { district: 'Norf' }), facts('b', { district: '' }), facts('c', { district: 'Allerheiligen' }), facts('d', { district: 'Erfttal' })], (f) => f.district, TODAY, ['Weckhoven', 'Erfttal']);
    expect(groups.map((g) => [g.key, g.indicators.applied])).toEqual([['Weckhoven', 0], ['Erfttal', 1], ['Allerheiligen', 1], ['Norf', 1], [null, 1]]);
  });
});
