import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { CallsService } from '../calls/calls.service.js';
import { Conflict, ValidationFailed } from '../common/errors.js';
import { centsToEuroInput, parseEuroToCents } from '../common/money.js';
import { NEUSS_DISTRICTS } from '../common/neuss.js';
import { parseDto } from '../common/validation.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { FormUploadInterceptor } from '../web/form-upload.js';
import type { Language } from '../web/i18n.js';
import { handleForm, sendPage, translateFieldErrors } from '../web/page.js';
import { ApplicationPageSections } from './application-page-sections.js';
import type { ShownApplication } from './application.views.js';
import { financeSums, type FinanceSums } from './application.rules.js';
import { ApplicationsService, type ApplicationView } from './applications.service.js';
import { UPLOAD_OPTIONS, type UploadedFileData } from './attachment-types.js';
import { CreateApplicationDto, SubmitApplicationDto, UpdateApplicationDto } from './dto/application.dto.js';
import { PositiveIntParam } from '../common/param-pipes.js';

const EMPTY_COST_ROWS = 3;
const EMPTY_THIRD_PARTY_ROWS = 2;

/** The form shows amounts in euros and offers a few empty rows for new lines. */
function formValues(application: ShownApplication): Record<string, unknown> {
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

/** The sums of the plan as typed in the form (euro amounts), so that every render shows them, with or without script. */
function formSums(values: Record<string, unknown>): FinanceSums {
  const cents = (value: unknown) => {
    const parsed = typeof value === 'string' ? parseEuroToCents(value) : typeof value === 'number' ? value : null;
    return parsed !== null && Number.isFinite(parsed) ? parsed : 0;
  };
  const rows = (value: unknown) => (Array.isArray(value) ? value : []) as { amountCents?: unknown }[];
  return financeSums({
    costLines: rows(values.costLines).map((row) => ({ category: '', description: '', amountCents: cents(row.amountCents) })),
    ownFundsCents: cents(values.ownFundsCents),
    thirdParty: rows(values.thirdParty).map((row) => ({ source: '', status: 'applied' as const, amountCents: cents(row.amountCents) })),
    requestedCents: cents(values.requestedCents),
  });
}

/** The upload page answers a file over the limit with the form and a message at the file field. */
const PageUploadInterceptor = FormUploadInterceptor(UPLOAD_OPTIONS);

/** The association's pages: write, save, upload, submit, follow and withdraw an application. */
@ApiExcludeController()
@Controller('applications')
@Roles('applicant', 'office', 'admin', 'voting_member', 'advisory_member', 'chair')
export class ApplicationsPagesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly calls: CallsService,
    private readonly organisations: OrganisationsService,
    private readonly sections: ApplicationPageSections,
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

  /** Once the round table or the office has it, the application can no longer be changed: a 409 page naming its state. */
  @Get(':id/edit')
  @Roles('applicant')
  async editForm(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const view = await this.applications.editView(actor, id);
    const values = withEmptyRows(formValues(view.application));
    sendPage(res, 'pages/applications/edit.njk', { ...editContext(view, values), values });
  }

  /**
   * Saves the draft; with action=review it then goes on to the review page, or, while a rule is still
   * broken, shows the form again with each message next to its field.
   */
  @Post(':id')
  @Roles('applicant')
  async update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const view = await this.applications.view(actor, id);
    const { action, ...fields } = body;
    const values = withEmptyRows(fields);
    await handleForm(res, { template: 'pages/applications/edit.njk', context: editContext(view, values), values }, async () => {
      await this.applications.update(actor, id, await parseDto(UpdateApplicationDto, fields));
      if (action !== 'review') return res.redirect(303, `/applications/${id}/edit?notice=application.saved`);
      const saved = await this.applications.view(actor, id);
      if (Object.keys(saved.problems).length) {
        const errors = translateFieldErrors(res.locals.lang as Language, saved.problems);
        return sendPage(res, 'pages/applications/edit.njk', { ...editContext(saved, values), values, errors }, 422);
      }
      res.redirect(303, `/applications/${id}/review`);
    });
  }

  /** The whole application as it will be sent, with the button that submits it. */
  @Get(':id/review')
  @Roles('applicant')
  async review(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, 'pages/applications/review.njk', { ...(await this.applications.editView(actor, id)), values: {} });
  }

  @Post(':id/submit')
  @Roles('applicant')
  async submit(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.applications.view(actor, id);
    await handleForm(res, { template: 'pages/applications/review.njk', context, values: body }, async () => {
      const dto = await parseDto(SubmitApplicationDto, { replyMessage: body.replyMessage });
      await this.applications.submit(actor, id, dto.replyMessage);
      res.redirect(303, `/applications/${id}/receipt`);
    });
  }

  @Get(':id/receipt')
  async receipt(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const view = await this.applications.view(actor, id);
    sendPage(res, 'pages/applications/receipt.njk', view);
  }

  @Get(':id/versions/:number/receipt.pdf')
  async receiptPdf(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('number', PositiveIntParam) number: number, @Res() res: Response) {
    const { referenceNumber, pdf } = await this.applications.receipt(actor, id, number, res.locals.lang as Language);
    res.type('application/pdf').attachment(`Eingangsbestaetigung-${referenceNumber}-${number}.pdf`).send(pdf);
  }

  /** Asks before withdrawing; a draft is deleted instead. */
  @Get(':id/withdraw')
  @Roles('applicant')
  async confirmWithdraw(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const view = await this.applications.view(actor, id);
    if (view.application.status === 'draft') return res.redirect(303, `/applications/${id}/delete`);
    sendPage(res, 'pages/applications/confirm.njk', { ...view, action: 'withdraw' });
  }

  @Post(':id/withdraw')
  @Roles('applicant')
  async withdraw(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    await this.applications.withdraw(actor, id);
    res.redirect(303, `/applications/${id}?notice=application.withdrawn`);
  }

  /** Asks before deleting a draft. */
  @Get(':id/delete')
  @Roles('applicant')
  async confirmDelete(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const view = await this.applications.view(actor, id);
    if (view.application.status !== 'draft') throw new Conflict('applications.onlyDraftsDeleted', { status: view.application.status });
    sendPage(res, 'pages/applications/confirm.njk', { ...view, action: 'delete' });
  }

  @Post(':id/delete')
  @Roles('applicant')
  async delete(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    await this.applications.deleteDraft(actor, id);
    res.redirect(303, '/applications?notice=application.deleted');
  }

  @Post(':id/attachments')
  @Roles('applicant')
  @UseInterceptors(PageUploadInterceptor)
  async upload(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @UploadedFile() file: UploadedFileData | undefined,
    @Body() body: Record<string, unknown>,
    @Req() req: Request & { uploadTooLarge?: boolean },
    @Res() res: Response,
  ) {
    const context = await this.showContext(actor, id);
    await handleForm(res, { template: 'pages/applications/show.njk', context, values: body }, async () => {
      if (req.uploadTooLarge) throw new ValidationFailed({ file: ['validation.fileTooLarge'] });
      try {
        await this.applications.addAttachment(actor, id, file, body.attachmentKind);
      } catch (error) {
        // The form names the field "attachmentKind", so that its label is not another form's "kind".
        if (!(error instanceof ValidationFailed) || !error.fields.kind) throw error;
        const { kind, ...others } = error.fields;
        throw new ValidationFailed({ ...others, attachmentKind: kind });
      }
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

  private async showContext(actor: Actor, id: string) {
    return this.sections.context(actor, await this.applications.view(actor, id));
  }
}

function editContext(view: ApplicationView, values: Record<string, unknown>) {
  return { ...view, districts: NEUSS_DISTRICTS, sums: formSums(values) };
}
