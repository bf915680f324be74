import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/guards.js';
import { sendPage } from '../web/page.js';
import { TransparencyService } from './transparency.service.js';

/** The public Förderbericht pages and their downloads: no login, only final decisions. */
@ApiExcludeController()
@Controller('foerderbericht')
export class TransparencyPagesController {
  constructor(private readonly transparency: TransparencyService) {}

  @Get()
  @Public()
  async list(@Res() res: Response) {
    sendPage(res, 'pages/transparency/list.njk', { calls: await this.transparency.calls() });
  }

  @Get(':callId')
  @Public()
  async show(@Param('callId') callId: string, @Res() res: Response) {
    sendPage(res, 'pages/transparency/call.njk', await this.transparency.report(callId));
  }

  @Get(':callId/grants.csv')
  @Public()
  async csv(@Param('callId') callId: string, @Res() res: Response) {
    const { call, csv } = await this.transparency.csv(callId);
    res.type('text/csv; charset=utf-8').attachment(`Foerderbericht-${call.year}.csv`).send(csv);
  }

  @Get(':callId/360giving.json')
  @Public()
  async threeSixtyGiving(@Param('callId') callId: string, @Res() res: Response) {
    const { call, data } = await this.transparency.threeSixtyGiving(callId);
    res.type('application/json').attachment(`Foerderbericht-${call.year}-360giving.json`).send(JSON.stringify(data, null, 2));
  }
}
