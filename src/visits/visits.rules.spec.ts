import { describe, expect, it } from '@jest/globals';
import { type CoverageProjectInput, VISIT_CHECKLIST, VISIT_WARNING_DAYS, visitCoverage } from './visits.rules.js';

const TODAY = '2027-06-01';
const project = (applicationId: string, periodEnd: string, visits: CoverageProjectInput['visits'] = []): CoverageProjectInput => ({ applicationId, periodEnd, visits });

describe('site-visit checklist', () => {
  it('names the five points of the protocol in order', () => {
    expect(VISIT_CHECKLIST).toEqual(['activity_as_described', 'target_group_reached', 'open_to_everyone', 'participants_present', 'publicity_names_city']);
    expect(VISIT_WARNING_DAYS).toBe(30);
  });
});

describe('visit coverage', () => {
  it('sorts each project into visited, planned or missing and counts them per call', () => {
    const coverage = visitCoverage([
      project('a', '2027-12-31', [{ status: 'done', on: '2027-05-10' }, { status: 'done', on: '2027-03-02' }]),
      project('b', '2027-12-31', [{ status: 'planned', on: '2027-09-15' }, { status: 'planned', on: '2027-07-01' }]),
      project('c', '2027-12-31'),
    ], TODAY);
    expect(coverage.projects).toEqual([
      { applicationId: 'a', periodEnd: '2027-12-31', status: 'visited', daysToEnd: 213, lastVisitOn: '2027-05-10', nextPlannedOn: null, visitsAfterEnd: 0 },
      { applicationId: 'b', periodEnd: '2027-12-31', status: 'planned', daysToEnd: 213, lastVisitOn: null, nextPlannedOn: '2027-07-01', visitsAfterEnd: 0 },
      { applicationId: 'c', periodEnd: '2027-12-31', status: 'missing', daysToEnd: 213, lastVisitOn: null, nextPlannedOn: null, visitsAfterEnd: 0 },
    ]);
    expect(coverage.counts).toEqual({ total: 3, visited: 1, planned: 1, missing: 1 });
    expect(coverage.endingSoonWithoutVisit).toEqual([]);
  });

  it('flags a project ending exactly in 30 days, and not one ending in 31', () => {
    // 1 June + 30 days = 1 July.
    const coverage = visitCoverage([project('in-31', '2027-07-02'), project('in-30', '2027-07-01')], TODAY);
    expect(coverage.endingSoonWithoutVisit).toEqual([{ applicationId: 'in-30', periodEnd: '2027-07-01', daysToEnd: 30, nextPlannedOn: null }]);
  });

  it('flags a project ending today, but not one that has already ended', () => {
    const coverage = visitCoverage([project('ended', '2027-05-31'), project('today', TODAY)], TODAY);
    expect(coverage.endingSoonWithoutVisit.map((flag) => [flag.applicationId, flag.daysToEnd])).toEqual([['today', 0]]);
    expect(coverage.projects.find((p) => p.applicationId === 'ended')).toMatchObject({ status: 'missing', daysToEnd: -1 });
  });

  it('counts a planned visit not yet done as planned and still flags the project, naming the planned day', () => {
    const coverage = visitCoverage([
      project('planned', '2027-06-20', [{ status: 'planned', on: '2027-06-10' }]),
      project('done', '2027-06-20', [{ status: 'done', on: '2027-06-01' }]),
    ], TODAY);
    expect(coverage.counts).toEqual({ total: 2, visited: 1, planned: 1, missing: 0 });
    expect(coverage.endingSoonWithoutVisit).toEqual([{ applicationId: 'planned', periodEnd: '2027-06-20', daysToEnd: 19, nextPlannedOn: '2027-06-10' }]);
  });

  it('keeps a planned day already past as planned while the project runs, and missing once it has ended', () => {
    const visits = [{ status: 'planned' as const, on: '2027-05-20' }];
    expect(visitCoverage([project('p', '2027-06-30', visits)], TODAY).projects[0]).toMatchObject({ status: 'planned', nextPlannedOn: '2027-05-20' });
    expect(visitCoverage([project('p', '2027-05-25', visits)], TODAY).projects[0]).toMatchObject({ status: 'missing', nextPlannedOn: null });
  });

  it('does not count a visit done after the end of the period, and reports it', () => {
    const coverage = visitCoverage([
      project('late', '2027-05-15', [{ status: 'done', on: '2027-05-16' }]),
      project('last-day', '2027-05-15', [{ status: 'done', on: '2027-05-15' }]),
    ], TODAY);
    expect(coverage.projects[0]).toMatchObject({ status: 'missing', lastVisitOn: null, visitsAfterEnd: 1 });
    expect(coverage.projects[1]).toMatchObject({ status: 'visited', lastVisitOn: '2027-05-15', visitsAfterEnd: 0 });
  });

  it('does not let a visit planned after the end cover a project ending soon', () => {
    const coverage = visitCoverage([project('p', '2027-06-10', [{ status: 'planned', on: '2027-06-11' }])], TODAY);
    expect(coverage.projects[0]).toMatchObject({ status: 'missing', nextPlannedOn: null, visitsAfterEnd: 1 });
    expect(coverage.endingSoonWithoutVisit).toEqual([{ applicationId: 'p', periodEnd: '2027-06-10', daysToEnd: 9, nextPlannedOn: null }]);
  });

  it('lists the flagged projects soonest first', () => {
    const coverage = visitCoverage([project('b', '2027-06-25'), project('c', '2027-06-05'), project('a', '2027-06-25')], TODAY);
    expect(coverage.endingSoonWithoutVisit.map((flag) => flag.applicationId)).toEqual(['c', 'a', 'b']);
  });

  it('gives empty coverage for a call without funded projects', () => {
    expect(visitCoverage([], TODAY)).toEqual({ projects: [], counts: { total: 0, visited: 0, planned: 0, missing: 0 }, endingSoonWithoutVisit: [] });
  });

  it('refuses invalid days, statuses and repeated projects', () => {
    expect(() => visitCoverage([], '2027-02-30')).toThrow(RangeError);
    expect(() => visitCoverage([project('p', '2027-13-01')], TODAY)).toThrow(RangeError);
    expect(() => visitCoverage([project('p', '2027-07-01', [{ status: 'done', on: '1.6.2027' }])], TODAY)).toThrow(RangeError);
    expect(() => visitCoverage([project('p', '2027-07-01', [{ status: 'cancelled' as 'done', on: '2027-06-01' }])], TODAY)).toThrow(RangeError);
    expect(() => visitCoverage([project('p', '2027-07-01'), project('p', '2027-08-01')], TODAY)).toThrow(RangeError);
  });
});
