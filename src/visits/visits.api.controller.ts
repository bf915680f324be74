import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { PlanVisitDto, UpdateVisitDto, VisitProtocolDto } from './dto/visit.dto.js';
import type { FormUploadRequest } from '../web/form-upload.js';
import { PhotoUploadInterceptor } from './photo-upload.js';
import { VisitsService } from './visits.service.js';

@ApiTags('visits')
@ApiCookieAuth()
@Controller('api/v1')
export class VisitsApiController {
  constructor(private readonly visits: VisitsService) {}

  @Get('decisions/:id/visits')
  @ApiOperation({ summary: "The site visits of a funded project: in full for staff, day and state only for the organisation; 409 on a draft award" })
  ofDecision(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.visits.ofDecision(actor, id);
  }

  @Post('decisions/:id/visits')
  @Roles('office')
  @ApiOperation({ summary: 'Plans a site visit to a funded project (released award): day and staff; 404 on a rejection, 409 on a draft' })
  plan(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: PlanVisitDto) {
    return this.visits.plan(actor, id, dto);
  }

  @Put('visits/:id')
  @Roles('office')
  @ApiOperation({ summary: 'Changes the day or staff of a planned visit; 409 once it is done or when the version is stale' })
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpdateVisitDto) {
    return this.visits.update(actor, id, dto);
  }

  @Post('visits/:id/protocol')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Records the protocol of a visit that took place (every checklist point, notes); the visit is then done; 409 when it already is' })
  record(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: VisitProtocolDto) {
    return this.visits.record(actor, id, dto);
  }

  @Post('visits/:id/photos')
  @Roles('office')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: 'Adds a JPEG or PNG photo to a visit (judged by content; 422 over 5 MB or for other types)' })
  @UseInterceptors(PhotoUploadInterceptor)
  addPhoto(@CurrentActor() actor: Actor, @Param('id') id: string, @UploadedFile() file: { buffer: Buffer; originalname: string } | undefined, @Req() req: FormUploadRequest) {
    return this.visits.addPhoto(actor, id, file, req.uploadTooLarge === true);
  }

  @Get('visits/:id/photos/:photoId')
  @Roles('office')
  @ApiProduces('image/jpeg', 'image/png')
  @ApiOperation({ summary: "A visit's photo, for the office only" })
  async photo(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('photoId') photoId: string, @Res() res: Response) {
    const photo = await this.visits.photo(actor, id, photoId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type(photo.contentType).attachment(photo.filename).send(photo.content);
  }

  @Get('calls/:id/visits')
  @Roles('office', 'admin')
  @ApiOperation({ summary: "A call's funded projects with their visits and coverage (visited, planned, missing), the counts and the projects ending within 30 days unvisited" })
  coverage(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.visits.coverage(actor, id);
  }

  @Get('calls/:id/visit-report.pdf')
  @Roles('office', 'admin', 'chair', 'voting_member', 'advisory_member')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The visit report of a call for the round table: each funded project with its visits, report status and participants reached' })
  async report(@CurrentActor() actor: Actor, @Param('id') id: string, @Query('lang') lang: string | undefined, @Res() res: Response) {
    const { call, pdf } = await this.visits.report(actor, id, lang === 'en' ? 'en' : 'de');
    res.type('application/pdf').attachment(`Besuchsbericht-${call.year}.pdf`).send(pdf);
  }
}
