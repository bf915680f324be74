import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { CallsService } from '../calls/calls.service.js';
import { ValidationFailed } from '../common/errors.js';
import { centsToEuroInput } from '../common/money.js';
import { NEUSS_DISTRICTS } from '../common/neuss.js';
import { parseDto } from '../common/validation.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import type { Language } from '../web/i18n.js';
import { handleForm, sendPage, translateFieldErrors } from '../web/page.js';
import type { Application } from './application.entities.js';
import { ApplicationsService, type ApplicationView } from './applications.service.js';
import { MAX_ATTACHMENT_BYTES, type UploadedFileData } from './attachment-types.js';
import { CreateApplicationDto, UpdateApplicationDto } from './dto/application.dto.js';

const EMPTY_COST_ROWS = 3;
const EMPTY_THIRD_PARTY_ROWS = 2;

/** The form shows amounts in euros and offers a few empty rows for new lines. */
function formValues(application: Application): Record<string, unknown> {
  return {
    ...application,
    ownFundsCents: centsToEuroInput(application.ownFundsCents),
    requestedCents: centsToEuroInput(application.requestedCents),
    costLines: application.costLines.map((line) => ({ ...line, amountCents: centsToEuroInput(line.amountCents) })),
    thirdParty: application.thirdParty.map((line) => ({ ...line, amountCents: centsToEuroInput(line.amountCents) })),
  };
}

function withEmptyRows(values: Record<string, unknown>): Record<string, unknown> {
  const filled = (row: unknown) => !!row && typeof row === 'object' && Object.values(row).some((v) => v !== undefined && v !== null && String(v).trim() !== '');
  const rows = (value: unknown) => (Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : []).filter(filled);
  const costLines = rows(values.costLines);
  const thirdParty = rows(values.thirdParty);
  return {
    ...values,
    costLines: [...costLines, ...Array.from({ length: Math.max(EMPTY_COST_ROWS, 5 - costLines.length) }, () => ({}))],
    thirdParty: [...thirdParty, ...Array.from({ length: EMPTY_THIRD_PARTY_ROWS }, () => ({}))],
    declarations: [values.declarations ?? []].flat(),
  };
}

/** The association's pages: write, save, upload, submit, follow and withdraw an application. */
@ApiExcludeController()
@Controller('applications')
@Roles('applicant', 'office', 'admin', 'voting_member', 'advisory_member', 'chair')
export class ApplicationsPagesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly calls: CallsService,
    private readonly organisations: OrganisationsService,
  ) {}

  @Get()
  @Roles('applicant', 'office', 'admin')
  async list(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, 'pages/applications/list.njk', { applications: await this.applications.list(actor) });
  }

  @Get('new')
  @Roles('applicant')
  async newForm(@CurrentActor() actor: Actor, @Query('callId') callId: string | undefined, @Res() res: Response) {
    const context = await this.newContext(actor, callId);
    sendPage(res, 'pages/applications/new.njk', { ...context, values: { callId: context.call?.id, organisationId: context.organisations[0]?.id } });
  }

  @Post()
  @Roles('applicant')
  async create(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.newContext(actor, typeof body.callId === 'string' ? body.callId : undefined);
    await handleForm(res, { template: 'pages/applications/new.njk', context, values: body }, async () => {
      const application = await this.applications.create(actor, await parseDto(CreateApplicationDto, body));
      res.redirect(303, `/applications/${application.id}/edit?notice=application.created`);
    });
  }

  @Get(':id')
  async show(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, 'pages/applications/show.njk', await this.showContext(actor, id));
  }

  @Get(':id/edit')
  @Roles('applicant')
  async editForm(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const view = await this.applications.view(actor, id);
    sendPage(res, 'pages/applications/edit.njk', { ...editContext(view), values: withEmptyRows(formValues(view.application)) });
  }

  /** Saves the draft; with action=submit it then submits, showing every rule still broken next to its field. */
  @Post(':id')
  @Roles('applicant')
  async update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const view = await this.applications.view(actor, id);
    const { action, ...fields } = body;
    await handleForm(res, { template: 'pages/applications/edit.njk', context: editContext(view), values: withEmptyRows(fields) }, async () => {
      await this.applications.update(actor, id, await parseDto(UpdateApplicationDto, fields));
      if (action !== 'submit') return res.redirect(303, `/applications/${id}/edit?notice=application.saved`);
      await this.applications.submit(actor, id);
      res.redirect(303, `/applications/${id}/receipt`);
    });
  }

  @Post(':id/submit')
  @Roles('applicant')
  async submit(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const context = await this.showContext(actor, id);
    await handleForm(res, { template: 'pages/applications/show.njk', context, values: {} }, async () => {
      try {
        await this.applications.submit(actor, id);
      } catch (error) {
        if (!(error instanceof ValidationFailed)) throw error;
        return sendPage(res, 'pages/applications/show.njk', { ...context, submitErrors: translateFieldErrors(res.locals.lang as Language, error.fields) }, 422);
      }
      res.redirect(303, `/applications/${id}/receipt`);
    });
  }

  @Get(':id/receipt')
  async receipt(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const view = await this.applications.view(actor, id);
    sendPage(res, 'pages/applications/receipt.njk', view);
  }

  @Get(':id/versions/:number/receipt.pdf')
  async receiptPdf(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('number', ParseIntPipe) number: number, @Res() res: Response) {
    const { referenceNumber, pdf } = await this.applications.receipt(actor, id, number, res.locals.lang as Language);
    res.type('application/pdf').attachment(`Eingangsbestaetigung-${referenceNumber}-${number}.pdf`).send(pdf);
  }

  @Post(':id/withdraw')
  @Roles('applicant')
  async withdraw(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    await this.applications.withdraw(actor, id);
    res.redirect(303, `/applications/${id}?notice=application.withdrawn`);
  }

  @Post(':id/attachments')
  @Roles('applicant')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1 } }))
  async upload(@CurrentActor() actor: Actor, @Param('id') id: string, @UploadedFile() file: UploadedFileData | undefined, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.showContext(actor, id);
    await handleForm(res, { template: 'pages/applications/show.njk', context, values: body }, async () => {
      await this.applications.addAttachment(actor, id, file, body.kind);
      res.redirect(303, `/applications/${id}?notice=application.attachmentAdded#attachments`);
    });
  }

  @Post(':id/attachments/:attachmentId/delete')
  @Roles('applicant')
  async removeAttachment(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('attachmentId') attachmentId: string, @Res() res: Response) {
    await this.applications.removeAttachment(actor, id, attachmentId);
    res.redirect(303, `/applications/${id}?notice=saved#attachments`);
  }

  @Get(':id/attachments/:attachmentId')
  async download(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('attachmentId') attachmentId: string, @Res() res: Response) {
    const file = await this.applications.attachmentFile(actor, id, attachmentId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type(file.contentType).attachment(file.filename).send(file.content);
  }

  private async newContext(actor: Actor, callId: string | undefined) {
    const [organisations, open] = await Promise.all([this.organisations.list(actor), this.calls.list(actor, { openOnly: true })]);
    return { organisations, calls: open, call: open.find((c) => c.id === callId) ?? open[0] };
  }

  private showContext(actor: Actor, id: string) {
    return this.applications.view(actor, id);
  }
}

function editContext(view: ApplicationView) {
  return { ...view, districts: NEUSS_DISTRICTS };
}
