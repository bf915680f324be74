import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiExcludeController, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { Response } from 'express';
import { parseDto } from '../common/validation.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { handleForm, sendPage } from '../web/page.js';
import { AccountsService } from './accounts.service.js';
import type { Actor } from './actor.js';
import { InviteDto } from './dto/auth.dto.js';
import { CurrentActor, Roles } from './guards.js';
import { ROLES } from './roles.js';

export class AccountStatusDto {
  @ApiProperty({ enum: ['active', 'disabled'] })
  @IsIn(['active', 'disabled'])
  status: 'active' | 'disabled';
}

@ApiExcludeController()
@Controller('office/accounts')
@Roles('office', 'admin')
export class AccountsPagesController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly organisations: OrganisationsService,
  ) {}

  @Get()
  async list(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, 'pages/accounts/list.njk', { users: await this.accounts.list(actor) });
  }

  @Get('invite')
  async inviteForm(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, 'pages/accounts/invite.njk', { roles: ROLES, organisations: await this.organisations.list(actor), values: { roles: [] } });
  }

  @Post()
  async invite(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = { roles: ROLES, organisations: await this.organisations.list(actor) };
    const values = { ...body, roles: [body.roles ?? []].flat() };
    await handleForm(res, { template: 'pages/accounts/invite.njk', context, values }, async () => {
      await this.accounts.invite(actor, await parseDto(InviteDto, body));
      res.redirect(303, '/office/accounts?notice=accounts.invited');
    });
  }

  @Post(':id/status')
  @Roles('admin')
  async setStatus(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.accounts.setStatus(actor, id, (await parseDto(AccountStatusDto, body)).status);
    res.redirect(303, '/office/accounts?notice=saved');
  }
}

@ApiTags('accounts')
@ApiCookieAuth()
@Controller('api/v1/accounts')
@Roles('office', 'admin')
export class AccountsApiController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.accounts.list(actor);
  }

  @Post('invitations')
  @ApiOperation({ summary: 'Invite a person: they get a one-time link to set their password' })
  invite(@CurrentActor() actor: Actor, @Body() dto: InviteDto) {
    return this.accounts.invite(actor, dto);
  }

  @Put(':id/status')
  @HttpCode(200)
  @Roles('admin')
  setStatus(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: AccountStatusDto) {
    return this.accounts.setStatus(actor, id, dto.status);
  }
}
