import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { UPLOAD_OPTIONS, type UploadedFileData } from '../applications/attachment-types.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { ValidationFailed } from '../common/errors.js';
import { translate, type Language } from '../web/i18n.js';
import { ClarificationDto, ReceiptFindingDto, ReceiptListDto, ReportCheckDto, SaveUsageReportDto } from './dto/usage-report.dto.js';
import { UsageReportsService, WORKLIST_FILTERS } from './usage-reports.service.js';

@ApiTags('usage reports')
@ApiCookieAuth()
@Controller('api/v1')
export class UsageReportsApiController {
  constructor(private readonly reports: UsageReportsService) {}

  @Get('usage-reports')
  @Roles('office', 'admin')
  @ApiQuery({ name: 'callId', required: false, type: String })
  @ApiQuery({ name: 'status', required: false, enum: WORKLIST_FILTERS })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number })
  @ApiOperation({ summary: 'The usage reports across calls, filtered by call and status ("overdue": due before today and not submitted), a page at a time (`page` from 1, `pageSize` up to 200, default 50) with the number matching (`total`)' })
  worklist(@CurrentActor() actor: Actor, @Query('callId') callId?: string, @Query('status') status?: string, @Query('page') page?: string, @Query('pageSize') pageSize?: string) {
    return this.reports.worklist(actor, { callId: single(callId, 'callId'), status: single(status, 'status'), page: single(page, 'page'), pageSize: single(pageSize, 'pageSize') });
  }

  @Get('usage-reports.csv')
  @Roles('office', 'admin')
  @ApiProduces('text/csv')
  @ApiQuery({ name: 'callId', required: false, type: String })
  @ApiQuery({ name: 'status', required: false, enum: WORKLIST_FILTERS })
  @ApiOperation({ summary: 'The filtered worklist as CSV (semicolons, UTF-8 with BOM)' })
  async csv(@CurrentActor() actor: Actor, @Query('callId') callId: string | undefined, @Query('status') status: string | undefined, @Res() res: Response) {
    const lang = (res.locals.lang as Language) ?? 'de';
    const csv = await this.reports.worklistCsv(actor, { callId: single(callId, 'callId'), status: single(status, 'status') }, (key) => translate(lang, key));
    res.type('text/csv; charset=utf-8').attachment('Verwendungsnachweise.csv').send(csv);
  }

  @Get('usage-reports/receipt-template.csv')
  @Roles('applicant', 'office', 'admin')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The receipt list template to fill in a spreadsheet and import' })
  template(@Res() res: Response) {
    res.type('text/csv; charset=utf-8').attachment('Belegliste-Vorlage.csv').send(this.reports.receiptTemplate());
  }

  @Get('usage-reports/:id')
  @Roles('applicant', 'office', 'admin')
  @ApiOperation({ summary: 'The usage report with the approved plan beside the actual figures, the receipts, the participant list names and the checks still failing' })
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.reports.get(actor, id);
  }

  @Put('usage-reports/:id')
  @Roles('applicant')
  @ApiOperation({ summary: 'Saves the draft (parts left out stay); 409 on a stale version or once submitted; answers the report with its checks' })
  save(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: SaveUsageReportDto) {
    return this.reports.save(actor, id, dto);
  }

  @Put('usage-reports/:id/receipts')
  @Roles('applicant')
  @ApiOperation({ summary: 'Replaces the receipt list with the one sent' })
  receipts(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ReceiptListDto) {
    return this.reports.replaceReceipts(actor, id, dto.version, dto.receipts);
  }

  @Post('usage-reports/:id/receipts.csv')
  @HttpCode(200)
  @Roles('applicant')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, version: { type: 'integer' } } } })
  @ApiOperation({ summary: 'Imports the receipt list from CSV, all or nothing: 422 naming line and column of every unreadable cell' })
  @UseInterceptors(FileInterceptor('file', UPLOAD_OPTIONS))
  import(@CurrentActor() actor: Actor, @Param('id') id: string, @UploadedFile() file: UploadedFileData | undefined, @Body('version') version: unknown) {
    return this.reports.importReceipts(actor, id, file, optionalVersion(version));
  }

  @Post('usage-reports/:id/files')
  @Roles('applicant')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: 'Uploads a signed participant list (PDF, JPEG or PNG) where the call asks for them' })
  @UseInterceptors(FileInterceptor('file', UPLOAD_OPTIONS))
  addFile(@CurrentActor() actor: Actor, @Param('id') id: string, @UploadedFile() file: UploadedFileData | undefined) {
    return this.reports.addFile(actor, id, file);
  }

  @Delete('usage-reports/:id/files/:fileId')
  @HttpCode(204)
  @Roles('applicant')
  @ApiOperation({ summary: 'Removes a participant list while the report can be changed' })
  async removeFile(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('fileId') fileId: string) {
    await this.reports.removeFile(actor, id, fileId);
  }

  @Get('usage-reports/:id/files/:fileId')
  @Roles('applicant', 'office', 'admin')
  @ApiOperation({ summary: 'Downloads a participant list: personal data, for the office only (403 for everyone else)' })
  async file(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('fileId') fileId: string, @Res() res: Response) {
    const file = await this.reports.file(actor, id, fileId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type(file.contentType).attachment(file.filename).send(file.content);
  }

  @Post('usage-reports/:id/submit')
  @HttpCode(200)
  @Roles('applicant')
  @ApiOperation({ summary: 'Submits the report; 422 listing the problems while any remain' })
  submit(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.reports.submit(actor, id);
  }

  @Post('usage-reports/:id/start-check')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Starts the office\'s check of a submitted report' })
  startCheck(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.reports.startCheck(actor, id);
  }

  @Put('usage-reports/:id/receipts/:receiptId/finding')
  @Roles('office')
  @ApiOperation({ summary: 'The finding on one receipt: admitted, reduced (amount and reason) or refused (reason)' })
  finding(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('receiptId') receiptId: string, @Body() dto: ReceiptFindingDto) {
    return this.reports.setFinding(actor, id, receiptId, dto);
  }

  @Post('usage-reports/:id/checks')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Records the content check (narrative, participants) or the figures check (statement, receipts) with who and when' })
  check(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ReportCheckDto) {
    return this.reports.recordCheck(actor, id, dto);
  }

  @Post('usage-reports/:id/clarification')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Sends the report back to the grantee with a question; the organisation is mailed' })
  clarification(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ClarificationDto) {
    return this.reports.requestClarification(actor, id, dto);
  }

  @Post('usage-reports/:id/close')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Closes the check with the final settlement (both checks recorded, a finding on every receipt; 409 otherwise)' })
  close(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.reports.close(actor, id);
  }
}

/** A query parameter given once; repeated or structured it is refused (422). */
function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ValidationFailed({ [name]: ['validation.singleValue'] });
  return value;
}

function optionalVersion(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(number >= 1)) throw new ValidationFailed({ version: ['validation.integer'] });
  return number;
}
