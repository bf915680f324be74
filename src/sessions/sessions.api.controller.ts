import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles, VisibleTo } from '../auth/guards.js';
import { SESSION_READERS } from '../auth/roles.js';
import { AttendanceDto, BallotCountsDto, CancelSessionDto, CloseItemDto, ConflictDto, RatingDto, RecommendationDto, ScheduleSessionDto, SecretBallotRequestDto, ShowOfHandsDto, UpdateSessionDto, VoteDto } from './dto/session.dto.js';
import { SessionsService } from './sessions.service.js';

/** The round table's closed sessions. Applicants and the public get 404 for all of it. */
@ApiTags('sessions')
@ApiCookieAuth()
@Controller('api/v1')
@VisibleTo(...SESSION_READERS)
export class SessionsApiController {
  constructor(private readonly sessions: SessionsService) {}

  @Get('sessions')
  list(@CurrentActor() actor: Actor) {
    return this.sessions.list(actor);
  }

  @Post('sessions')
  @Roles('office', 'admin')
  @ApiOperation({ summary: "Schedule a session; the call's eligible applications form its agenda" })
  schedule(@CurrentActor() actor: Actor, @Body() dto: ScheduleSessionDto) {
    return this.sessions.schedule(actor, dto);
  }

  @Get('sessions/:id')
  @ApiOperation({ summary: 'Agenda, attendance, conflicts, who has voted and who is missing; never how anyone voted before an item is closed' })
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.sessions.get(actor, id);
  }

  @Patch('sessions/:id')
  @Roles('office', 'admin')
  @ApiOperation({ summary: 'Move a session not yet opened, or change its place or chair; the members get a changed invitation saying what changed' })
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpdateSessionDto) {
    return this.sessions.update(actor, id, dto);
  }

  @Post('sessions/:id/cancel')
  @HttpCode(200)
  @Roles('office', 'admin')
  @ApiOperation({ summary: "Cancel a session not yet opened: the members are told the reason, the agenda's applications return to eligible" })
  cancel(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: CancelSessionDto) {
    return this.sessions.cancel(actor, id, dto);
  }

  @Put('sessions/:id/attendance')
  @HttpCode(204)
  @Roles('office', 'admin')
  @ApiOperation({ summary: 'Record a member present or absent; once the session is open, an arrival or departure at this time. A stand-in must be a deputy, the absent member’s own where one is named (422 otherwise)' })
  async attendance(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: AttendanceDto) {
    await this.sessions.recordAttendance(actor, id, dto);
  }

  @Post('sessions/:id/open')
  @HttpCode(200)
  @Roles('chair', 'office', 'admin')
  open(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.sessions.open(actor, id);
  }

  @Post('sessions/:id/close')
  @HttpCode(200)
  @Roles('chair', 'office', 'admin')
  @ApiOperation({ summary: 'Close the session; items not dealt with are deferred' })
  close(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.sessions.close(actor, id);
  }

  @Post('agenda-items/:id/open')
  @HttpCode(200)
  @Roles('chair', 'office', 'admin')
  openItem(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.sessions.openItem(actor, id);
  }

  @Post('agenda-items/:id/conflicts')
  @HttpCode(204)
  async declareConflict(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ConflictDto) {
    await this.sessions.declareConflict(actor, id, dto);
  }

  @Post('agenda-items/:id/secret-ballot-requests')
  @HttpCode(200)
  @ApiOperation({ summary: "A member asks for a secret ballot; the office may record a member's request with memberId" })
  requestSecretBallot(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: SecretBallotRequestDto) {
    return this.sessions.requestSecretBallot(actor, id, dto.memberId);
  }

  @Post('agenda-items/:id/votes')
  @HttpCode(201)
  @ApiOperation({ summary: 'Vote yes, no or abstain (voting members present and not conflicted); the office may record a show of hands with memberId, except in a secret ballot' })
  vote(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: VoteDto) {
    return this.sessions.vote(actor, id, dto);
  }

  @Post('agenda-items/:id/show-of-hands')
  @HttpCode(201)
  @Roles('office', 'admin')
  @ApiOperation({ summary: "Record a show of hands for the whole item: each present voter's choice (open ballots only; 409 in a secret ballot)" })
  showOfHands(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ShowOfHandsDto) {
    return this.sessions.showOfHands(actor, id, dto);
  }

  @Put('agenda-items/:id/ballot-counts')
  @HttpCode(200)
  @Roles('office', 'admin')
  @ApiOperation({ summary: 'Record the yes / no / abstain totals of a secret ballot (replacing earlier totals; 409 in an open ballot)' })
  ballotCounts(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: BallotCountsDto) {
    return this.sessions.ballotCounts(actor, id, dto);
  }

  @Post('agenda-items/:id/close')
  @HttpCode(200)
  @Roles('chair', 'office', 'admin')
  @ApiOperation({ summary: 'Close the vote: quorum (409 without), majority, recommended amount' })
  closeItem(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: CloseItemDto) {
    return this.sessions.closeItem(actor, id, dto);
  }

  @Post('agenda-items/:id/defer')
  @HttpCode(200)
  @Roles('chair', 'office', 'admin')
  defer(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.sessions.deferItem(actor, id);
  }

  @Put('agenda-items/:id/rating')
  @HttpCode(204)
  @ApiOperation({ summary: 'Rate importance and urgency (1–5); the office may record a rating agreed in the room with memberId' })
  async rate(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: RatingDto) {
    await this.sessions.rate(actor, id, dto);
  }

  @Put('agenda-items/:id/recommendation')
  @HttpCode(204)
  async recommend(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: RecommendationDto) {
    await this.sessions.recommend(actor, id, dto.text);
  }

  @Post('calls/:id/ranking/confirm')
  @HttpCode(204)
  @Roles('office', 'admin')
  @ApiOperation({ summary: 'Confirm the allocation as it stands; items that freed money later moves up are then offered' })
  async confirm(@CurrentActor() actor: Actor, @Param('id') id: string) {
    await this.sessions.confirmAllocation(actor, id);
  }

  @Get('calls/:id/ranking')
  @ApiOperation({ summary: "The approved items ranked by rating, funded within the call's budget or on the waiting list" })
  ranking(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.sessions.ranking(actor, id);
  }
}
