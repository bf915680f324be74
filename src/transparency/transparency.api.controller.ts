import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/guards.js';
import { TransparencyService } from './transparency.service.js';

@ApiTags('open-data')
@Controller('api/v1/open-data/calls')
export class TransparencyApiController {
  constructor(private readonly transparency: TransparencyService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Decided and archived calls with the number of funded projects and the sum awarded (public)' })
  list() {
    return this.transparency.calls();
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: "A decided call's funded projects with its totals (public); 404 for a call not yet decided" })
  get(@Param('id') id: string) {
    return this.transparency.report(id);
  }

  @Get(':id/grants.csv')
  @Public()
  @ApiProduces('text/csv')
  @ApiOperation({ summary: "A decided call's funded projects as CSV (public)" })
  async csv(@Param('id') id: string, @Res() res: Response) {
    const { call, csv } = await this.transparency.csv(id);
    res.type('text/csv; charset=utf-8').attachment(`Foerderbericht-${call.year}.csv`).send(csv);
  }

  @Get(':id/360giving.json')
  @Public()
  @ApiOperation({ summary: "A decided call's funded projects in the 360Giving Data Standard (public); 404 when it funded nothing" })
  async threeSixtyGiving(@Param('id') id: string, @Res() res: Response) {
    const { call, data } = await this.transparency.threeSixtyGiving(id);
    res.type('application/json').attachment(`Foerderbericht-${call.year}-360giving.json`).send(JSON.stringify(data, null, 2));
  }
}
