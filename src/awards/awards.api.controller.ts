import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { SESSION_READERS } from '../auth/roles.js';
import type { Language } from '../web/i18n.js';
import { AwardsService } from './awards.service.js';
import { AcceptanceDto, UpdateDecisionDto } from './dto/decision.dto.js';

@ApiTags('decisions')
@ApiCookieAuth()
@Controller('api/v1')
export class AwardsApiController {
  constructor(private readonly awards: AwardsService) {}

  @Post('calls/:id/decisions')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Drafts the decisions of the confirmed allocation: an award per funded item, a rejection per item voted down (waiting-list items stay open); drafting again adds only what is missing' })
  draft(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.awards.draftFromAllocation(actor, id);
  }

  @Post('calls/:id/decisions/waiting-list')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Drafts rejections ("ranked below the budget") for the approved items the money did not reach' })
  rejectWaitingList(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.awards.rejectWaitingList(actor, id);
  }

  @Get('calls/:id/decisions')
  @Roles(...SESSION_READERS)
  @ApiOperation({ summary: "A call's decisions with its budget ledger; members of the round table read them without the office's names" })
  list(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.awards.list(actor, id);
  }

  @Get('calls/:id/ledger')
  @Roles(...SESSION_READERS)
  @ApiOperation({ summary: "The call's budget ledger: budget, committed by released awards, paid, freed, available" })
  ledger(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.awards.ledger(actor, id);
  }

  @Post('calls/:id/decide')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Marks the call decided; 409 while an application the table decided on has no released decision' })
  decide(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.awards.decideCall(actor, id);
  }

  @Get('applications/:id/decision')
  @ApiOperation({ summary: 'The decision on an application: for the organisation once released, for staff also as a draft; null when there is none' })
  forApplication(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.awards.forApplication(actor, id);
  }

  @Get('decisions/:id')
  @ApiOperation({ summary: 'One decision (the organisation sees it once released)' })
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.awards.get(actor, id);
  }

  @Put('decisions/:id')
  @Roles('office')
  @ApiOperation({ summary: 'Completes a draft: purpose, report deadline, special conditions, a lower amount, a note to a rejection; 409 once released or when changed meanwhile' })
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpdateDecisionDto) {
    return this.awards.update(actor, id, dto);
  }

  @Post('decisions/:id/release')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Releases and sends a draft: another office user than the one who drafted it (403); 409 when released already or when the award does not fit the budget' })
  release(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.awards.release(actor, id);
  }

  @Post('decisions/:id/acceptance')
  @HttpCode(200)
  @Roles('applicant')
  @ApiOperation({ summary: 'The grantee accepts the award and may waive the legal remedy, which makes it final' })
  accept(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: AcceptanceDto) {
    return this.awards.accept(actor, id, dto);
  }

  @Get('decisions/:id/letter.pdf')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The letter as it was sent (404 until it is issued); its SHA-256 in the X-Content-SHA256 header' })
  async letter(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const letter = await this.awards.letter(actor, id);
    res.type('application/pdf').attachment(letter.filename).setHeader('X-Content-SHA256', letter.sha256);
    res.send(letter.content);
  }

  @Get('decisions/:id/preview.pdf')
  @Roles('office')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The draft letter as it would go out now, marked as a draft; stores and sends nothing' })
  async preview(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const pdf = await this.awards.preview(actor, id, res.locals.lang as Language);
    res.type('application/pdf').attachment(`Entwurf-Bescheid.pdf`).send(pdf);
  }
}
