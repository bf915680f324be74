import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { requireRole, SESSION_READERS } from '../auth/roles.js';
import { toCsv } from '../common/csv.js';
import { berlinDay } from '../common/dates.js';
import { NotFound } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import type { DocumentLanguage } from '../documents/document-types.js';
import { DocumentRenderer } from '../renderer/document-renderer.js';
import { translate } from '../web/i18n.js';
import { aggregate, emptyIndicators, groupBy } from './monitoring.rules.js';
import { MonitoringRepository, type MonitoredCall } from './monitoring.repository.js';
import { INDICATOR_KEYS, type CallIndicators, type IndicatorGroup, type Indicators, type YearsIndicators } from './monitoring.types.js';

/**
 * The monitoring (indicator 11 and the other figures of issue 11) for the office, the chair and the
 * round table's members: per call by field of action and district, and per year across all calls.
 * Every figure is computed from the current rows (monitoring.rules.ts); drafts of calls have none,
 * archived calls keep theirs.
 */
@Injectable()
export class MonitoringService {
  constructor(
    private readonly monitoring: MonitoringRepository,
    private readonly renderer: DocumentRenderer,
  ) {}

  async ofCall(actor: Actor, callId: string): Promise<CallIndicators> {
    requireRole(actor, SESSION_READERS);
    const call = await this.callOrNotFound(callId);
    const facts = await this.monitoring.factsOfCall(call.id);
    const today = berlinDay(new Date());
    return {
      call: { id: call.id, title: call.title, year: call.year, status: call.status, fieldsOfAction: call.fieldsOfAction },
      asOf: today,
      total: aggregate(facts, today),
      byFieldOfAction: groupBy(facts, (f) => f.fieldOfAction, today, call.fieldsOfAction),
      byDistrict: groupBy(facts, (f) => f.district, today),
    };
  }

  /** One row per year with the calls of that year together, oldest first. */
  async ofYears(actor: Actor): Promise<YearsIndicators> {
    requireRole(actor, SESSION_READERS);
    const today = berlinDay(new Date());
    const [calls, sums] = await Promise.all([this.monitoring.calls(), this.monitoring.yearSums(today)]);
    const byYear = new Map(sums.map(({ year, ...indicators }) => [year, indicators]));
    const years = [...new Set(calls.map((c) => c.year))].sort((a, b) => a - b);
    return {
      asOf: today,
      years: years.map((year) => ({ year, calls: calls.filter((c) => c.year === year).length, indicators: byYear.get(year) ?? emptyIndicators() })),
      calls: calls.map(({ id, title, year, status }) => ({ id, title, year, status })),
    };
  }

  /** The call's indicators for spreadsheets: the call, then each field of action and district. */
  async callCsv(actor: Actor, callId: string): Promise<{ call: { year: number }; csv: string }> {
    const data = await this.ofCall(actor, callId);
    const none = translate('de', 'monitoring.none');
    const rows = [
      [translate('de', 'monitoring.scope'), translate('de', 'monitoring.group'), ...INDICATOR_KEYS.map((key) => csvHeader(key))],
      csvRow(translate('de', 'monitoring.scopeCall'), `${data.call.year} ${data.call.title}`, data.total),
      ...data.byFieldOfAction.map((g: IndicatorGroup) => csvRow(translate('de', 'monitoring.fieldOfAction'), g.key ?? none, g.indicators)),
      ...data.byDistrict.map((g: IndicatorGroup) => csvRow(translate('de', 'monitoring.district'), g.key ?? none, g.indicators)),
    ];
    return { call: data.call, csv: toCsv(rows) };
  }

  async yearsCsv(actor: Actor): Promise<string> {
    const data = await this.ofYears(actor);
    const rows = [
      [translate('de', 'monitoring.year'), translate('de', 'monitoring.callsCount'), ...INDICATOR_KEYS.map((key) => csvHeader(key))],
      ...data.years.map((y) => [y.year, y.calls, ...csvValues(y.indicators)]),
    ];
    return toCsv(rows);
  }

  /** The monitoring report for the Integrationsausschuss (PDF, rendered in a worker thread). */
  async callReport(actor: Actor, callId: string, lang: DocumentLanguage): Promise<{ call: { year: number }; pdf: Buffer }> {
    const data = await this.ofCall(actor, callId);
    return { call: data.call, pdf: await this.renderer.render('monitoringReport', { kind: 'call', data }, lang) };
  }

  async yearsReport(actor: Actor, lang: DocumentLanguage): Promise<Buffer> {
    const data = await this.ofYears(actor);
    return this.renderer.render('monitoringReport', { kind: 'years', data }, lang);
  }

  private async callOrNotFound(callId: string): Promise<MonitoredCall> {
    const call = isUuid(callId) ? await this.monitoring.call(callId) : null;
    if (!call) throw new NotFound('call');
    return call;
  }
}

/** Amounts in euros with a decimal comma, like the other CSV exports; the header says the unit. */
function csvHeader(key: keyof Indicators): string {
  const label = translate('de', `monitoring.indicator.${key}`);
  return key.endsWith('Cents') ? `${label} (EUR)` : label;
}

function csvValues(indicators: Indicators): string[] {
  return INDICATOR_KEYS.map((key) => (key.endsWith('Cents') ? (indicators[key] / 100).toFixed(2).replace('.', ',') : String(indicators[key])));
}

function csvRow(scope: string, group: string, indicators: Indicators): string[] {
  return [scope, group, ...csvValues(indicators)];
}
