import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { barChartSvg } from '../documents/charts.js';
import { callFigures, formatIndicator, yearFigures, type Figure } from '../documents/monitoring-figures.js';
import { translate, type Language } from '../web/i18n.js';
import { sendPage } from '../web/page.js';
import { INDICATOR_KEYS, type Indicators } from './monitoring.types.js';
import { MonitoringService } from './monitoring.service.js';

const READERS = ['office', 'admin', 'chair', 'voting_member', 'advisory_member'] as const;

/** The monitoring pages: across years with the list of calls, one call's indicators, and their CSV and PDF. */
@ApiExcludeController()
@Controller('monitoring')
export class MonitoringPagesController {
  constructor(private readonly monitoring: MonitoringService) {}

  @Get()
  @Roles(...READERS)
  async years(@CurrentActor() actor: Actor, @Res() res: Response) {
    const lang = languageOf(res);
    const data = await this.monitoring.ofYears(actor);
    sendPage(res, 'pages/monitoring/years.njk', { ...data, figures: data.years.length ? withSvg(yearFigures(data, label(lang), lang), lang) : [], rows: indicatorRows(lang, data.years.map((y) => y.indicators)) });
  }

  @Get('indicators.csv')
  @Roles(...READERS)
  async yearsCsv(@CurrentActor() actor: Actor, @Res() res: Response) {
    res.type('text/csv; charset=utf-8').attachment('Monitoring-Jahre.csv').send(await this.monitoring.yearsCsv(actor));
  }

  @Get('report.pdf')
  @Roles(...READERS)
  async yearsReport(@CurrentActor() actor: Actor, @Res() res: Response) {
    res.type('application/pdf').attachment('Monitoring-Jahre.pdf').send(await this.monitoring.yearsReport(actor, languageOf(res)));
  }

  @Get('calls/:id')
  @Roles(...READERS)
  async call(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const lang = languageOf(res);
    const data = await this.monitoring.ofCall(actor, id);
    // A call without applications shows one sentence instead of charts: none are drawn.
    const figures = data.total.applied ? withSvg(callFigures(data, label(lang), lang), lang) : [];
    sendPage(res, 'pages/monitoring/call.njk', { ...data, figures, rows: indicatorRows(lang, [data.total]) });
  }

  @Get('calls/:id/indicators.csv')
  @Roles(...READERS)
  async callCsv(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const { call, csv } = await this.monitoring.callCsv(actor, id);
    res.type('text/csv; charset=utf-8').attachment(`Monitoring-${call.year}.csv`).send(csv);
  }

  @Get('calls/:id/report.pdf')
  @Roles(...READERS)
  async callReport(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const { call, pdf } = await this.monitoring.callReport(actor, id, languageOf(res));
    res.type('application/pdf').attachment(`Monitoring-${call.year}.pdf`).send(pdf);
  }
}

function languageOf(res: Response): Language {
  return (res.locals.lang as Language) ?? 'de';
}

const label = (lang: Language) => (key: string, params?: Record<string, unknown>) => translate(lang, key, params);

function withSvg(figures: Figure[], lang: Language): (Figure & { svg: string })[] {
  return figures.map((figure) => ({ ...figure, svg: barChartSvg(figure.chart, { id: figure.id, lang, forPage: true }) }));
}

/** Every indicator as a row: its name and its value in each column given. */
function indicatorRows(lang: Language, columns: Indicators[]): { key: string; label: string; values: string[] }[] {
  return INDICATOR_KEYS.map((key) => ({ key, label: translate(lang, `monitoring.indicator.${key}`), values: columns.map((c) => formatIndicator(key, c[key], lang)) }));
}
