import { formatEuroCents, numberFormat } from '../common/money.js';
import type { CallIndicators, IndicatorGroup, Indicators, YearsIndicators } from '../monitoring/monitoring.types.js';
import type { BarChart } from './charts.js';
import type { DocumentLanguage } from './document-types.js';

/**
 * The monitoring's figures (chart, title, one-sentence summary and the table of the same figures),
 * built once from the indicators for the pages and the PDF alike. The texts come from `label`: the
 * page dictionary (templates/i18n) on pages, the letter texts (templates/letters) in the PDF; both
 * hold the same `monitoring.*` keys.
 */

export type Label = (key: string, params?: Record<string, unknown>) => string;

export interface FigureTable {
  /** Heading of the first column (the categories, as row headers). */
  category: string;
  columns: string[];
  rows: { label: string; cells: string[] }[];
}

export interface Figure {
  id: string;
  title: string;
  summary: string;
  chart: BarChart;
  table: FigureTable;
}

type Metric = { key: keyof Indicators; label: string };

export function formatCount(value: number, lang: DocumentLanguage): string {
  return numberFormat(lang === 'de' ? 'de-DE' : 'en-GB').format(value);
}

export function formatCents(cents: number, lang: DocumentLanguage): string {
  return formatEuroCents(cents, lang);
}

/** An indicator's value as text: amounts in euros, the rest as counts. */
export function formatIndicator(key: keyof Indicators, value: number, lang: DocumentLanguage): string {
  return key.endsWith('Cents') ? formatCents(value, lang) : formatCount(value, lang);
}

function figure(id: string, title: string, summary: string, category: string, groups: { label: string; indicators: Indicators }[], metrics: Metric[], lang: DocumentLanguage): Figure {
  const unit = metrics[0].key.endsWith('Cents') ? 'cents' : 'count';
  return {
    id,
    title,
    summary,
    chart: {
      title,
      unit,
      categories: groups.map((g) => g.label),
      series: metrics.map((m) => ({ name: m.label, values: groups.map((g) => g.indicators[m.key]) })),
    },
    table: {
      category,
      columns: metrics.map((m) => m.label),
      rows: groups.map((g) => ({ label: g.label, cells: metrics.map((m) => formatIndicator(m.key, g.indicators[m.key], lang)) })),
    },
  };
}

const metric = (t: Label, key: keyof Indicators): Metric => ({ key, label: t(`monitoring.indicator.${key}`) });

function groupLabel(t: Label, group: IndicatorGroup): string {
  return group.key ?? t('monitoring.none');
}

/** The figures of one call: participants by field of action and by district, projects, money, reports and visits. */
export function callFigures(data: CallIndicators, t: Label, lang: DocumentLanguage): Figure[] {
  const n = (value: number) => formatCount(value, lang);
  const total = data.total;
  const fields = data.byFieldOfAction.map((g) => ({ label: groupLabel(t, g), indicators: g.indicators }));
  const districts = data.byDistrict.map((g) => ({ label: groupLabel(t, g), indicators: g.indicators }));
  const fieldHeading = t('monitoring.fieldOfAction');
  const districtHeading = t('monitoring.district');
  const participants = [metric(t, 'participantsPlanned'), metric(t, 'participantsPlannedOfReported'), metric(t, 'participantsReached')];
  const participantSummary = t('monitoring.summary.participants', {
    reached: n(total.participantsReached), reports: n(total.reportsAccepted), plannedOfReported: n(total.participantsPlannedOfReported),
    planned: n(total.participantsPlanned), funded: n(total.funded),
  });
  const status = { label: t('monitoring.status'), indicators: total };
  return [
    figure('chart-participants-field', t('monitoring.chart.participantsByField'), participantSummary, fieldHeading, fields, participants, lang),
    figure('chart-participants-district', t('monitoring.chart.participantsByDistrict'), t('monitoring.summary.participantsByDistrict', {
      districts: n(data.byDistrict.filter((d) => d.key !== null && d.indicators.participantsReached > 0).length), reached: n(total.participantsReached),
    }), districtHeading, districts, participants, lang),
    figure('chart-projects-field', t('monitoring.chart.projectsByField'), t('monitoring.summary.projects', {
      applied: n(total.applied), eligible: n(total.eligible), funded: n(total.funded),
    }), fieldHeading, fields, [metric(t, 'applied'), metric(t, 'eligible'), metric(t, 'funded')], lang),
    figure('chart-projects-district', t('monitoring.chart.projectsByDistrict'), t('monitoring.summary.projectsByDistrict', {
      districts: n(data.byDistrict.filter((d) => d.key !== null && d.indicators.funded > 0).length), funded: n(total.funded),
    }), districtHeading, districts, [metric(t, 'applied'), metric(t, 'funded')], lang),
    figure('chart-money-field', t('monitoring.chart.moneyByField'), t('monitoring.summary.money', {
      requested: formatCents(total.requestedCents, lang), awarded: formatCents(total.awardedCents, lang), paid: formatCents(total.paidCents, lang), repaid: formatCents(total.repaidCents, lang),
    }), fieldHeading, fields, [metric(t, 'requestedCents'), metric(t, 'awardedCents'), metric(t, 'paidCents'), metric(t, 'repaidCents')], lang),
    figure('chart-reports', t('monitoring.chart.reports'), t('monitoring.summary.reports', {
      funded: n(total.funded), onTime: n(total.reportsOnTime), late: n(total.reportsLate), overdue: n(total.reportsOverdue), accepted: n(total.reportsAccepted),
    }), t('monitoring.scope'), [status], [metric(t, 'reportsOnTime'), metric(t, 'reportsLate'), metric(t, 'reportsOverdue'), metric(t, 'reportsNotYetDue'), metric(t, 'reportsAccepted')], lang),
    figure('chart-visits', t('monitoring.chart.visits'), t('monitoring.summary.visits', {
      funded: n(total.funded), made: n(total.visitsMade), planned: n(total.visitsPlanned), missing: n(total.visitsMissing),
    }), t('monitoring.scope'), [status], [metric(t, 'visitsMade'), metric(t, 'visitsPlanned'), metric(t, 'visitsMissing')], lang),
  ];
}

/** The comparison across years: participants, projects and money, one category per year. */
export function yearFigures(data: YearsIndicators, t: Label, lang: DocumentLanguage): Figure[] {
  const n = (value: number) => formatCount(value, lang);
  const years = [...data.years].sort((a, b) => a.year - b.year).map((y) => ({ label: String(y.year), indicators: y.indicators }));
  const first = years[0]?.label ?? '–';
  const last = years.at(-1)?.label ?? '–';
  const sum = (key: keyof Indicators) => years.reduce((total, y) => total + y.indicators[key], 0);
  const heading = t('monitoring.year');
  return [
    figure('chart-years-participants', t('monitoring.chart.participantsByYear'), t('monitoring.summary.participantsByYear', {
      first, last, reached: n(sum('participantsReached')), planned: n(sum('participantsPlanned')),
    }), heading, years, [metric(t, 'participantsPlanned'), metric(t, 'participantsReached')], lang),
    figure('chart-years-projects', t('monitoring.chart.projectsByYear'), t('monitoring.summary.projectsByYear', {
      first, last, applied: n(sum('applied')), funded: n(sum('funded')),
    }), heading, years, [metric(t, 'applied'), metric(t, 'eligible'), metric(t, 'funded')], lang),
    figure('chart-years-money', t('monitoring.chart.moneyByYear'), t('monitoring.summary.moneyByYear', {
      first, last, awarded: formatCents(sum('awardedCents'), lang), paid: formatCents(sum('paidCents'), lang), repaid: formatCents(sum('repaidCents'), lang),
    }), heading, years, [metric(t, 'requestedCents'), metric(t, 'awardedCents'), metric(t, 'paidCents'), metric(t, 'repaidCents')], lang),
  ];
}
