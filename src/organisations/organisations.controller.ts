import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { hasAnyRole, STAFF_ROLES } from '../auth/roles.js';
import { LEGAL_FORM_KEYS, NEUSS_DISTRICTS } from '../common/neuss.js';
import { parseDto } from '../common/validation.js';
import { handleForm, sendPage } from '../web/page.js';
import { ContactDto, OrganisationDto, UpdateOrganisationDto } from './dto/organisation.dto.js';
import type { OrganisationStatus } from './organisation.entities.js';
import { OrganisationsService } from './organisations.service.js';

const FORM_CHOICES = { legalForms: LEGAL_FORM_KEYS, districts: NEUSS_DISTRICTS };

/** Pages for organisation profiles: applicants keep their own, the office confirms and sees all. */
@ApiExcludeController()
@Controller()
@Roles('applicant', 'office', 'admin')
export class OrganisationsPagesController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get('organisations')
  @Roles('applicant', 'office', 'admin')
  async mine(@CurrentActor() actor: Actor, @Res() res: Response) {
    if (hasAnyRole(actor.roles, STAFF_ROLES)) return res.redirect(303, '/office/organisations');
    sendPage(res, 'pages/organisations/list.njk', { organisations: await this.organisations.list(actor), own: true });
  }

  @Get('office/organisations')
  @Roles('office', 'admin')
  async all(@CurrentActor() actor: Actor, @Query('status') status: string | undefined, @Query('q') search: string | undefined, @Res() res: Response) {
    const filter = { status: status === 'pending' || status === 'confirmed' ? (status as OrganisationStatus) : undefined, search: search?.trim() || undefined };
    sendPage(res, 'pages/organisations/list.njk', { organisations: await this.organisations.list(actor, filter), filter, own: false });
  }

  @Get('organisations/new')
  @Roles('applicant', 'office', 'admin')
  newForm(@Res() res: Response) {
    sendPage(res, 'pages/organisations/form.njk', { ...FORM_CHOICES, values: { city: 'Neuss' } });
  }

  @Post('organisations')
  @Roles('applicant', 'office', 'admin')
  async create(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await handleForm(res, { template: 'pages/organisations/form.njk', context: FORM_CHOICES, values: body }, async () => {
      const organisation = await this.organisations.create(actor, await parseDto(OrganisationDto, body));
      res.redirect(303, `/organisations/${organisation.id}?notice=organisation.created`);
    });
  }

  @Get('organisations/:id')
  async show(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, 'pages/organisations/show.njk', { ...(await this.organisations.get(actor, id)) });
  }

  @Get('organisations/:id/edit')
  async editForm(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const { organisation } = await this.organisations.get(actor, id);
    sendPage(res, 'pages/organisations/form.njk', { ...FORM_CHOICES, organisation, values: organisation });
  }

  @Post('organisations/:id')
  async update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const { organisation } = await this.organisations.get(actor, id);
    await handleForm(res, { template: 'pages/organisations/form.njk', context: { ...FORM_CHOICES, organisation }, values: body }, async () => {
      const saved = await this.organisations.update(actor, id, await parseDto(UpdateOrganisationDto, body));
      res.redirect(303, `/organisations/${id}?notice=${saved.status === 'pending' && organisation.status === 'confirmed' ? 'organisation.reconfirm' : 'saved'}`);
    });
  }

  @Post('organisations/:id/confirm')
  @Roles('office', 'admin')
  async confirm(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    await this.organisations.confirm(actor, id);
    res.redirect(303, `/organisations/${id}?notice=organisation.confirmed`);
  }

  @Post('organisations/:id/contacts')
  async addContact(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const view = await this.organisations.get(actor, id);
    await handleForm(res, { template: 'pages/organisations/show.njk', context: { ...view }, values: body }, async () => {
      await this.organisations.addContact(actor, id, await parseDto(ContactDto, body));
      res.redirect(303, `/organisations/${id}?notice=saved#contacts`);
    });
  }

  @Post('organisations/:id/contacts/:contactId/delete')
  async removeContact(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('contactId') contactId: string, @Res() res: Response) {
    await this.organisations.removeContact(actor, id, contactId);
    res.redirect(303, `/organisations/${id}?notice=saved#contacts`);
  }
}
