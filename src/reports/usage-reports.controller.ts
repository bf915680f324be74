import { Body, Controller, Get, Injectable, Param, Post, Query, Req, Res, UseInterceptors, type OnModuleInit } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApplicationPageSections } from '../applications/application-page-sections.js';
import type { ApplicationView } from '../applications/applications.service.js';
import { UPLOAD_OPTIONS, type UploadedFileData } from '../applications/attachment-types.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { AwardsService } from '../awards/awards.service.js';
import { ValidationFailed } from '../common/errors.js';
import { centsToEuroInput } from '../common/money.js';
import { parseDto } from '../common/validation.js';
import { FormUploadInterceptor } from '../web/form-upload.js';
import { translate, type Language } from '../web/i18n.js';
import { handleForm, sendPage } from '../web/page.js';
import { ClarificationDto, parseCount, ReceiptFindingDto, ReceiptListDto, ReportCheckDto, SaveUsageReportDto } from './dto/usage-report.dto.js';
import { problemFields, UsageReportsService, WORKLIST_FILTERS, type UsageReportView } from './usage-reports.service.js';

const REPORT = 'pages/reports/usage-report.njk';
const CHECK = 'pages/reports/usage-report-check.njk';
const WORKLIST = 'pages/reports/usage-reports.njk';
/** Empty rows the forms offer below the entered ones. */
const EMPTY_RECEIPT_ROWS = 3;
const EMPTY_GROUP_ROWS = 2;

/** An upload over the limit is shown on the form as a message at the file field, not as a bare 413 page. */
const ReportUploadInterceptor = FormUploadInterceptor(UPLOAD_OPTIONS);

/** The link to the usage report on the organisation's application page, once the award is released. */
@Injectable()
export class UsageReportPageSection implements OnModuleInit {
  constructor(
    private readonly sections: ApplicationPageSections,
    private readonly awards: AwardsService,
    private readonly reports: UsageReportsService,
  ) {}

  onModuleInit(): void {
    this.sections.register((actor, view) => this.context(actor, view));
  }

  private async context(actor: Actor, view: ApplicationView): Promise<{ usageReport?: { id: string; status: string; dueOn: string } }> {
    if (view.audience !== 'applicant') return {};
    const decision = await this.awards.forApplication(actor, view.application.id);
    if (!decision || decision.kind !== 'award' || decision.status !== 'released') return {};
    const report = await this.reports.forDecision(actor, decision.id);
    return report ? { usageReport: report } : {};
  }
}

/**
 * The usage report's pages: the grantee fills it in and submits it (/reports/:id); the office works
 * through its worklist (/office/reports) and checks each report (/office/reports/:id). Every form
 * answers with the page again (POST-redirect-GET; 422 and 409 show the page with the messages).
 */
@ApiExcludeController()
@Controller()
export class UsageReportsPagesController {
  constructor(private readonly reports: UsageReportsService) {}

  @Get('reports/receipt-template.csv')
  @Roles('applicant', 'office', 'admin')
  template(@Res() res: Response) {
    res.type('text/csv; charset=utf-8').attachment('Belegliste-Vorlage.csv').send(this.reports.receiptTemplate());
  }

  @Get('reports/:id')
  @Roles('applicant')
  async show(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const report = await this.reports.get(actor, id);
    sendPage(res, REPORT, { ...granteeContext(report, res), values: formValues(report) });
  }

  @Post('reports/:id')
  @Roles('applicant')
  async save(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const report = await this.reports.get(actor, id);
    await handleForm(res, { template: REPORT, context: granteeContext(report, res), values: flatForm(body) }, async () => {
      const saved = await this.reports.save(actor, id, await parseDto(SaveUsageReportDto, reportFromForm(body, report)));
      res.redirect(303, `/reports/${id}?notice=${saved.problems.length ? 'reports.savedWithProblems' : 'reports.saved'}#checks`);
    });
  }

  @Post('reports/:id/receipts')
  @Roles('applicant')
  async saveReceipts(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const report = await this.reports.get(actor, id);
    await handleForm(res, { template: REPORT, context: { ...granteeContext(report, res), receiptErrors: true }, values: flatForm(body) }, async () => {
      const rows = (Array.isArray(body.receipts) ? body.receipts : []).filter((row) => row && typeof row === 'object' && Object.values(row as object).some((value) => typeof value === 'string' && value.trim() !== ''));
      const dto = await parseDto(ReceiptListDto, { version: body.version, receipts: rows });
      await this.reports.replaceReceipts(actor, id, dto.version, dto.receipts);
      res.redirect(303, `/reports/${id}?notice=reports.receiptsSaved#receipts`);
    });
  }

  @Post('reports/:id/receipts-import')
  @Roles('applicant')
  @UseInterceptors(ReportUploadInterceptor)
  async importReceipts(
    @CurrentActor() actor: Actor, @Param('id') id: string, @Req() req: Request & { uploadTooLarge?: boolean; file?: UploadedFileData }, @Body() body: Record<string, unknown>, @Res() res: Response,
  ) {
    const report = await this.reports.get(actor, id);
    await handleForm(res, { template: REPORT, context: granteeContext(report, res), values: formValues(report) }, async () => {
      if (req.uploadTooLarge) throw new ValidationFailed({ file: ['validation.fileTooLarge'] });
      await this.reports.importReceipts(actor, id, req.file, typeof body.version === 'string' && /^\d{1,9}$/.test(body.version) ? Number(body.version) : undefined);
      res.redirect(303, `/reports/${id}?notice=reports.receiptsImported#receipts`);
    });
  }

  @Post('reports/:id/files')
  @Roles('applicant')
  @UseInterceptors(ReportUploadInterceptor)
  async addFile(@CurrentActor() actor: Actor, @Param('id') id: string, @Req() req: Request & { uploadTooLarge?: boolean; file?: UploadedFileData }, @Res() res: Response) {
    const report = await this.reports.get(actor, id);
    await handleForm(res, { template: REPORT, context: granteeContext(report, res), values: formValues(report) }, async () => {
      if (req.uploadTooLarge) throw new ValidationFailed({ file: ['validation.fileTooLarge'] });
      await this.reports.addFile(actor, id, req.file);
      res.redirect(303, `/reports/${id}?notice=reports.fileAdded#files`);
    });
  }

  @Post('reports/:id/files/:fileId/delete')
  @Roles('applicant')
  async removeFile(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('fileId') fileId: string, @Res() res: Response) {
    const report = await this.reports.get(actor, id);
    await handleForm(res, { template: REPORT, context: granteeContext(report, res), values: formValues(report) }, async () => {
      await this.reports.removeFile(actor, id, fileId);
      res.redirect(303, `/reports/${id}?notice=reports.fileRemoved#files`);
    });
  }

  @Post('reports/:id/submit')
  @Roles('applicant')
  async submit(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const report = await this.reports.get(actor, id);
    const reload = async () => granteeContext(await this.reports.get(actor, id), res);
    await handleForm(res, { template: REPORT, context: granteeContext(report, res), values: formValues(report), reload }, async () => {
      await this.reports.submit(actor, id);
      res.redirect(303, `/reports/${id}?notice=reports.submitted`);
    });
  }

  @Get('office/reports')
  @Roles('office', 'admin')
  async worklist(@CurrentActor() actor: Actor, @Query('callId') callId: unknown, @Query('status') status: unknown, @Query('page') page: unknown, @Res() res: Response) {
    sendPage(res, WORKLIST, await this.worklistContext(actor, callId, status, page));
  }

  @Get('office/reports.csv')
  @Roles('office', 'admin')
  async csv(@CurrentActor() actor: Actor, @Query('callId') callId: unknown, @Query('status') status: unknown, @Res() res: Response) {
    const lang = (res.locals.lang as Language) ?? 'de';
    const csv = await this.reports.worklistCsv(actor, filterOf(callId, status), (key) => translate(lang, key));
    res.type('text/csv; charset=utf-8').attachment('Verwendungsnachweise.csv').send(csv);
  }

  @Get('office/reports/:id')
  @Roles('office', 'admin')
  async check(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, CHECK, await this.checkContext(actor, id));
  }

  @Get('office/reports/:id/files/:fileId')
  @Roles('office')
  async file(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('fileId') fileId: string, @Res() res: Response) {
    const file = await this.reports.file(actor, id, fileId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type(file.contentType).attachment(file.filename).send(file.content);
  }

  @Post('office/reports/:id/start-check')
  @Roles('office')
  async startCheck(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    await handleForm(res, { template: CHECK, context: await this.checkContext(actor, id), values: {}, reload: () => this.checkContext(actor, id) }, async () => {
      await this.reports.startCheck(actor, id);
      res.redirect(303, `/office/reports/${id}?notice=reports.checkStarted`);
    });
  }

  @Post('office/reports/:id/receipts/:receiptId/finding')
  @Roles('office')
  async finding(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('receiptId') receiptId: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const values = { finding: body.finding, admittedCents: body.admittedCents, reason: body.reason };
    await handleForm(res, { template: CHECK, context: { ...(await this.checkContext(actor, id)), failedId: receiptId }, values }, async () => {
      await this.reports.setFinding(actor, id, receiptId, await parseDto(ReceiptFindingDto, values));
      res.redirect(303, `/office/reports/${id}?notice=reports.findingSaved#receipt-${receiptId}`);
    });
  }

  @Post('office/reports/:id/checks')
  @Roles('office')
  async recordCheck(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await handleForm(res, { template: CHECK, context: await this.checkContext(actor, id), values: {}, reload: () => this.checkContext(actor, id) }, async () => {
      await this.reports.recordCheck(actor, id, await parseDto(ReportCheckDto, { part: body.part }));
      res.redirect(303, `/office/reports/${id}?notice=reports.checkRecorded#checks`);
    });
  }

  @Post('office/reports/:id/clarification')
  @Roles('office')
  async clarification(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const values = { message: body.message };
    await handleForm(res, { template: CHECK, context: await this.checkContext(actor, id), values }, async () => {
      await this.reports.requestClarification(actor, id, await parseDto(ClarificationDto, values));
      res.redirect(303, `/office/reports/${id}?notice=reports.clarificationRequested`);
    });
  }

  @Post('office/reports/:id/close')
  @Roles('office')
  async close(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    await handleForm(res, { template: CHECK, context: await this.checkContext(actor, id), values: {}, reload: () => this.checkContext(actor, id) }, async () => {
      await this.reports.close(actor, id);
      res.redirect(303, `/office/reports/${id}?notice=reports.closed#settlement`);
    });
  }

  private async checkContext(actor: Actor, id: string) {
    const report = await this.reports.get(actor, id);
    return { report, canAct: actor.roles.includes('office'), findings: ['admitted', 'reduced', 'refused'] };
  }

  private async worklistContext(actor: Actor, callId: unknown, status: unknown, page: unknown) {
    const worklist = await this.reports.worklist(actor, { ...filterOf(callId, status), page: typeof page === 'string' ? page : page === undefined ? undefined : 'x' });
    const calls = await this.reports.calls(actor);
    const query = new URLSearchParams(Object.entries(worklist.filter).filter(([, value]) => value) as [string, string][]).toString();
    return { ...worklist, calls, statuses: WORKLIST_FILTERS, query, csvLink: `/office/reports.csv${query ? `?${query}` : ''}` };
  }
}

function filterOf(callId: unknown, status: unknown): { callId?: string; status?: string } {
  const text = (value: unknown, name: string) => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new ValidationFailed({ [name]: ['validation.singleValue'] });
    return value;
  };
  return { callId: text(callId, 'callId'), status: text(status, 'status') };
}

function granteeContext(report: UsageReportView, res: Response) {
  const receiptRows = report.receipts.length + EMPTY_RECEIPT_ROWS;
  const groupRows = report.participantGroups.length + EMPTY_GROUP_ROWS;
  return { report, problemMessages: problemFields(report.problems), receiptRows, groupRows, labels: rowLabels((res.locals.lang as Language) ?? 'de', report, receiptRows, groupRows) };
}

/** Names of the table cells in the error summary: "Beleg 2: Betrag", "Position 1: Tatsächlich". */
function rowLabels(lang: Language, report: UsageReportView, receiptRows: number, groupRows: number): Record<string, string> {
  const t = (key: string, params?: Record<string, unknown>) => translate(lang, key, params);
  const labels: Record<string, string> = {};
  const receiptFields = { date: 'reports.receiptDate', payee: 'reports.payee', purpose: 'reports.purpose', amountCents: 'reports.amount', costLine: 'field.costLine', paidOn: 'reports.paidOn' };
  for (let i = 0; i < receiptRows; i++) {
    for (const [field, key] of Object.entries(receiptFields)) labels[`receipts.${i}.${field}`] = `${t('reports.receiptRow', { row: i + 1 })}: ${t(key)}`;
  }
  for (let i = 0; i < groupRows; i++) {
    for (const [field, key] of Object.entries({ label: 'reports.groupLabel', count: 'reports.count', breakdown: 'field.participantBreakdown' })) labels[`participantGroups.${i}.${field}`] = `${t('reports.groupRow', { row: i + 1 })}: ${t(key)}`;
  }
  report.lines.forEach((line, i) => (labels[`lines.${i}.actualCents`] = `${t('reports.line')} ${line.key} (${line.category}): ${t('reports.actual')}`));
  return labels;
}

/** The report as the form shows it: money in euros with comma, keyed by the fields' form names. */
function formValues(report: UsageReportView): Record<string, unknown> {
  const values: Record<string, unknown> = { version: report.version };
  for (const [key, value] of Object.entries(report.narrative)) {
    values[`narrative[${key}]`] = key === 'openToAll' ? (value === true ? 'yes' : value === false ? 'no' : '') : value;
  }
  report.lines.forEach((line, i) => (values[`lines[${i}][actualCents]`] = centsToEuroInput(line.actualCents)));
  for (const field of ['ownFundsCents', 'thirdPartyCents', 'otherIncomeCents'] as const) values[field] = centsToEuroInput(report[field]);
  values.participantsTotal = report.participantsTotal ?? '';
  report.participantGroups.forEach((group, i) => {
    values[`participantGroups[${i}][label]`] = group.label;
    values[`participantGroups[${i}][count]`] = group.count;
    report.call.participantBreakdown.forEach((field, j) => (values[`participantGroups[${i}][b][${j}]`] = group.breakdown[field] ?? ''));
  });
  report.receipts.forEach((receipt, i) => {
    values[`receipts[${i}][date]`] = receipt.date;
    values[`receipts[${i}][payee]`] = receipt.payee;
    values[`receipts[${i}][purpose]`] = receipt.purpose;
    values[`receipts[${i}][amountCents]`] = centsToEuroInput(receipt.amountCents);
    values[`receipts[${i}][costLine]`] = receipt.costLine;
    values[`receipts[${i}][paidOn]`] = receipt.paidOn;
  });
  return values;
}

/** A posted form (nested by qs) back into the flat names the form uses, to show it again as entered. */
function flatForm(body: unknown, prefix = ''): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (body === null || typeof body !== 'object') return values;
  for (const [key, value] of Object.entries(body)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (value !== null && typeof value === 'object') Object.assign(values, flatForm(value, name));
    else values[name] = value;
  }
  return values;
}

/** The report form → the save DTO's input: empty group rows dropped, breakdown columns named by the call's fields. */
function reportFromForm(body: Record<string, unknown>, report: UsageReportView): Record<string, unknown> {
  const object = (value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  // The breakdown cells are named b[0], b[1], …: the body parser makes those an array.
  const cells = (value: unknown): Record<string, unknown> => (Array.isArray(value) ? { ...value } : object(value));
  const lines = Array.isArray(body.lines) ? body.lines : [];
  const groups = (Array.isArray(body.participantGroups) ? body.participantGroups : [])
    .map(object)
    .filter((group) => [group.label, group.count, ...Object.values(cells(group.b))].some((value) => typeof value === 'string' && value.trim() !== ''))
    .map((group) => {
      const counts = cells(group.b);
      const breakdown = Object.fromEntries(
        report.call.participantBreakdown.flatMap((field, j) => {
          const value = counts[String(j)];
          if (value === undefined || value === '') return [];
          return [[field, typeof value === 'string' ? (parseCount(value.trim()) ?? value) : value]];
        }),
      );
      return { label: group.label, count: group.count, breakdown };
    });
  const narrative = object(body.narrative);
  return {
    version: body.version,
    narrative: {
      ...Object.fromEntries(['activities', 'goalsReached', 'reached', 'problems', 'learnings', 'opennessNote'].map((key) => [key, typeof narrative[key] === 'string' && (narrative[key] as string).trim() !== '' ? narrative[key] : null])),
      openToAll: narrative.openToAll === undefined ? null : narrative.openToAll,
    },
    lines: lines.map(object).map((line) => ({ key: line.key, actualCents: line.actualCents ?? '' })),
    ownFundsCents: body.ownFundsCents ?? '',
    thirdPartyCents: body.thirdPartyCents ?? '',
    otherIncomeCents: body.otherIncomeCents ?? '',
    participantsTotal: body.participantsTotal ?? '',
    participantGroups: groups,
  };
}

