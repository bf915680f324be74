import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { ApplicationsService } from './applications.service.js';
import { UPLOAD_OPTIONS, type UploadedFileData } from './attachment-types.js';
import { CreateApplicationDto, SubmitApplicationDto, UpdateApplicationDto } from './dto/application.dto.js';
import { OptionalChoiceQuery, PositiveIntParam } from '../common/param-pipes.js';
import { APPLICATION_STATUSES } from './application.machine.js';

/** The states a list can be filtered by, including the one applicants see for deliberation. */
const LIST_STATUSES = [...APPLICATION_STATUSES, 'under_deliberation'];

@ApiTags('applications')
@ApiCookieAuth()
@Controller('api/v1/applications')
@Roles('applicant', 'office', 'admin', 'voting_member', 'advisory_member', 'chair')
export class ApplicationsApiController {
  constructor(private readonly applications: ApplicationsService) {}

  @Get()
  @Roles('applicant', 'office', 'admin')
  @ApiOperation({ summary: "An applicant's own applications; staff: all (filter by callId, status, fieldOfAction)" })
  list(@CurrentActor() actor: Actor, @Query('callId') callId?: string, @Query('status', new OptionalChoiceQuery(LIST_STATUSES)) status?: string, @Query('fieldOfAction') fieldOfAction?: string) {
    return this.applications.list(actor, { callId, status, fieldOfAction });
  }

  @Post()
  @Roles('applicant')
  @ApiOperation({ summary: 'Start a draft (it may be incomplete)' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateApplicationDto) {
    return this.applications.create(actor, dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The application with its call, organisation, attachments, versions and what is still missing for submission' })
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.applications.view(actor, id);
  }

  @Put(':id')
  @Roles('applicant')
  @ApiOperation({ summary: 'Save the content (draft or after a change request); `version` must be current' })
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpdateApplicationDto) {
    return this.applications.update(actor, id, dto);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('applicant')
  @ApiOperation({ summary: 'Submit before the deadline (409 when late, 422 naming every broken rule); repeating it changes nothing. After a change request, `replyMessage` answers it.' })
  submit(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: SubmitApplicationDto) {
    return this.applications.submit(actor, id, dto.replyMessage);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('applicant')
  @ApiOperation({ summary: 'Withdraw a submitted application (until an award); a draft is deleted instead (409)' })
  withdraw(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.applications.withdraw(actor, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('applicant')
  @ApiOperation({ summary: 'Delete a draft with its attachments (only the audit row remains); 409 once submitted' })
  async remove(@CurrentActor() actor: Actor, @Param('id') id: string) {
    await this.applications.deleteDraft(actor, id);
  }

  @Post(':id/attachments')
  @Roles('applicant')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, kind: { type: 'string' } } } })
  @ApiOperation({ summary: 'Upload a PDF, JPEG or PNG (judged by content; 413 over 10 MB, 422 for other types)' })
  @UseInterceptors(FileInterceptor('file', UPLOAD_OPTIONS))
  upload(@CurrentActor() actor: Actor, @Param('id') id: string, @UploadedFile() file: UploadedFileData | undefined, @Body('kind') kind: unknown) {
    return this.applications.addAttachment(actor, id, file, kind);
  }

  @Delete(':id/attachments/:attachmentId')
  @HttpCode(204)
  @Roles('applicant')
  async removeAttachment(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('attachmentId') attachmentId: string) {
    await this.applications.removeAttachment(actor, id, attachmentId);
  }

  @Get(':id/attachments/:attachmentId')
  async download(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('attachmentId') attachmentId: string, @Res() res: Response) {
    const file = await this.applications.attachmentFile(actor, id, attachmentId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type(file.contentType).attachment(file.filename).send(file.content);
  }

  @Get(':id/versions/:number/receipt.pdf')
  @ApiProduces('application/pdf')
  async receipt(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('number', PositiveIntParam) number: number, @Query('lang') lang: string | undefined, @Res() res: Response) {
    const { referenceNumber, pdf } = await this.applications.receipt(actor, id, number, lang === 'en' ? 'en' : 'de');
    res.type('application/pdf').attachment(`Eingangsbestaetigung-${referenceNumber}-${number}.pdf`).send(pdf);
  }
}
