import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { parseDto } from '../common/validation.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { handleForm, sendPage } from '../web/page.js';
import { AffiliationDto, MemberDto, UpdateMemberDto } from './dto/member.dto.js';
import { AFFILIATION_KINDS, MEMBER_GROUPS, MEMBER_KINDS, VOTING_RIGHTS } from './member.entities.js';
import { RoundTableService } from './round-table.service.js';

const CHOICES = { groups: MEMBER_GROUPS, votingRights: VOTING_RIGHTS, kinds: MEMBER_KINDS, affiliationKinds: AFFILIATION_KINDS };

/** The office keeps the round table's membership; members see their own entry. */
@ApiExcludeController()
@Controller()
export class RoundTablePagesController {
  constructor(
    private readonly roundTable: RoundTableService,
    private readonly organisations: OrganisationsService,
  ) {}

  @Get('member')
  @Roles('voting_member', 'advisory_member', 'chair')
  async memberArea(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, 'pages/round-table/member-area.njk', { membership: await this.roundTable.mine(actor) });
  }

  /** Only voting members reach this page; advisory members get 403. */
  @Get('voting')
  @Roles('voting_member')
  async voting(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, 'pages/round-table/voting.njk', { membership: await this.roundTable.mine(actor) });
  }

  @Get('office/members')
  @Roles('office', 'admin')
  async list(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, 'pages/round-table/members.njk', { members: await this.roundTable.list(actor), ...CHOICES });
  }

  @Get('office/members/new')
  @Roles('office', 'admin')
  async newForm(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, 'pages/round-table/member-form.njk', { ...CHOICES, members: await this.roundTable.list(actor), values: {} });
  }

  @Post('office/members')
  @Roles('office', 'admin')
  async create(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = { ...CHOICES, members: await this.roundTable.list(actor) };
    await handleForm(res, { template: 'pages/round-table/member-form.njk', context, values: body }, async () => {
      const member = await this.roundTable.create(actor, await parseDto(MemberDto, body));
      res.redirect(303, `/office/members/${member.id}?notice=saved`);
    });
  }

  @Get('office/members/:id')
  @Roles('office', 'admin')
  async show(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    sendPage(res, 'pages/round-table/member.njk', await this.memberContext(actor, id));
  }

  @Post('office/members/:id')
  @Roles('office', 'admin')
  async update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.memberContext(actor, id);
    await handleForm(res, { template: 'pages/round-table/member.njk', context, values: body }, async () => {
      await this.roundTable.update(actor, id, await parseDto(UpdateMemberDto, body));
      res.redirect(303, `/office/members/${id}?notice=saved`);
    });
  }

  @Post('office/members/:id/affiliations')
  @Roles('office', 'admin')
  async addAffiliation(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const context = await this.memberContext(actor, id);
    await handleForm(res, { template: 'pages/round-table/member.njk', context: { ...context, affiliationValues: body }, values: context.member }, async () => {
      await this.roundTable.addAffiliation(actor, id, await parseDto(AffiliationDto, body));
      res.redirect(303, `/office/members/${id}?notice=saved#affiliations`);
    });
  }

  @Post('office/members/:id/affiliations/:affiliationId/delete')
  @Roles('office', 'admin')
  async removeAffiliation(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('affiliationId') affiliationId: string, @Res() res: Response) {
    await this.roundTable.removeAffiliation(actor, id, affiliationId);
    res.redirect(303, `/office/members/${id}?notice=saved#affiliations`);
  }

  private async memberContext(actor: Actor, id: string) {
    const view = await this.roundTable.get(actor, id);
    const [members, organisations] = await Promise.all([this.roundTable.list(actor), this.organisations.list(actor)]);
    return { ...CHOICES, ...view, values: view.member, members: members.filter((m) => m.id !== id), organisations };
  }
}
