import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { ContactDto, OrganisationDto, UpdateOrganisationDto } from './dto/organisation.dto.js';
import type { OrganisationStatus } from './organisation.entities.js';
import { OrganisationsService } from './organisations.service.js';

@ApiTags('organisations')
@ApiCookieAuth()
@Controller('api/v1/organisations')
// The people acting for organisations and staff; members of the round table have no business here.
@Roles('applicant', 'office', 'admin')
export class OrganisationsApiController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get()
  @ApiOperation({ summary: 'Organisations the caller may see (an applicant: their own; staff: all)' })
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'confirmed'] })
  list(@CurrentActor() actor: Actor, @Query('status') status?: string) {
    return this.organisations.list(actor, { status: status === 'pending' || status === 'confirmed' ? (status as OrganisationStatus) : undefined });
  }

  @Post()
  @ApiOperation({ summary: 'Register an organisation (it waits for the office to confirm it)' })
  create(@CurrentActor() actor: Actor, @Body() dto: OrganisationDto) {
    return this.organisations.create(actor, dto);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.organisations.get(actor, id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace the profile; `version` must be the current one (else 409)' })
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpdateOrganisationDto) {
    return this.organisations.update(actor, id, dto);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles('office', 'admin')
  confirm(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.organisations.confirm(actor, id);
  }

  @Post(':id/contacts')
  addContact(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ContactDto) {
    return this.organisations.addContact(actor, id, dto);
  }

  @Delete(':id/contacts/:contactId')
  @HttpCode(204)
  async removeContact(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('contactId') contactId: string) {
    await this.organisations.removeContact(actor, id, contactId);
  }
}
