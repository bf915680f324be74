import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { NotFound } from '../common/errors.js';
import { AffiliationDto, MemberDto, UpdateMemberDto } from './dto/member.dto.js';
import { RoundTableService } from './round-table.service.js';

@ApiTags('round-table')
@ApiCookieAuth()
@Controller('api/v1/round-table')
export class RoundTableApiController {
  constructor(private readonly roundTable: RoundTableService) {}

  @Get('members')
  list(@CurrentActor() actor: Actor) {
    return this.roundTable.list(actor);
  }

  @Get('me')
  @Roles('voting_member', 'advisory_member', 'chair')
  @ApiOperation({ summary: "The caller's own membership" })
  async me(@CurrentActor() actor: Actor) {
    const view = await this.roundTable.mine(actor);
    if (!view) throw new NotFound('member');
    return view;
  }

  @Get('voting-right')
  @Roles('voting_member')
  @ApiOperation({ summary: 'Voting members only: confirms the caller may vote (advisory members get 403)' })
  async votingRight(@CurrentActor() actor: Actor) {
    const view = await this.roundTable.mine(actor);
    return { mayVote: true, memberId: view?.member.id ?? null };
  }

  @Post('members')
  @Roles('office', 'admin')
  create(@CurrentActor() actor: Actor, @Body() dto: MemberDto) {
    return this.roundTable.create(actor, dto);
  }

  @Get('members/:id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.roundTable.get(actor, id);
  }

  @Put('members/:id')
  @Roles('office', 'admin')
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpdateMemberDto) {
    return this.roundTable.update(actor, id, dto);
  }

  @Post('members/:id/affiliations')
  @Roles('office', 'admin')
  addAffiliation(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: AffiliationDto) {
    return this.roundTable.addAffiliation(actor, id, dto);
  }

  @Delete('members/:id/affiliations/:affiliationId')
  @HttpCode(204)
  @Roles('office', 'admin')
  async removeAffiliation(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('affiliationId') affiliationId: string) {
    await this.roundTable.removeAffiliation(actor, id, affiliationId);
  }
}
