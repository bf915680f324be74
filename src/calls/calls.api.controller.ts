import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, OptionalActor, Public, Roles } from '../auth/guards.js';
import { withoutMachineState } from '../common/workflow.js';
import { CallsService } from './calls.service.js';
import { CallDto, UpdateCallDto } from './dto/call.dto.js';

@ApiTags('calls')
@ApiCookieAuth()
@Controller('api/v1/calls')
export class CallsApiController {
  constructor(private readonly calls: CallsService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Calls: open ones for everyone (open=true), all but drafts otherwise; staff also see drafts' })
  @ApiQuery({ name: 'open', required: false, type: Boolean })
  list(@OptionalActor() actor: Actor | undefined, @Query('open') open?: string) {
    return this.calls.list(actor, { openOnly: open === 'true' });
  }

  @Get(':id')
  @Public()
  get(@OptionalActor() actor: Actor | undefined, @Param('id') id: string) {
    return this.calls.get(actor, id);
  }

  @Get(':id/pdf')
  @Public()
  @ApiProduces('application/pdf')
  async pdf(@OptionalActor() actor: Actor | undefined, @Param('id') id: string, @Query('lang') lang: string | undefined, @Res() res: Response) {
    const { call, pdf } = await this.calls.pdf(actor, id, lang === 'en' ? 'en' : 'de');
    res.type('application/pdf').attachment(`Foerderaufruf-${call.year}.pdf`).send(pdf);
  }

  @Post()
  @Roles('office', 'admin')
  async create(@CurrentActor() actor: Actor, @Body() dto: CallDto) {
    return withoutMachineState(await this.calls.create(actor, dto));
  }

  @Put(':id')
  @Roles('office', 'admin')
  @ApiOperation({ summary: "Change a draft call's rules (409 once published)" })
  async update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpdateCallDto) {
    return withoutMachineState(await this.calls.update(actor, id, dto));
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('office', 'admin')
  @ApiOperation({ summary: 'Publish: the call is open until its deadline, then closes by itself' })
  async publish(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return withoutMachineState(await this.calls.publish(actor, id));
  }

  @Post(':id/start-review')
  @HttpCode(200)
  @Roles('office', 'admin')
  async startReview(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return withoutMachineState(await this.calls.startReview(actor, id));
  }

  @Post(':id/archive')
  @HttpCode(200)
  @Roles('office', 'admin')
  @ApiOperation({ summary: 'Archive a decided call once all its grants are settled (409 with what is still open); it is read-only afterwards' })
  async archive(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return withoutMachineState(await this.calls.archive(actor, id));
  }
}
