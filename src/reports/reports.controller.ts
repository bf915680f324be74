import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { ValidationFailed } from '../common/errors.js';
import { parseDto } from '../common/validation.js';
import { handleForm, sendPage } from '../web/page.js';
import { BaseRateDto } from './dto/base-rate.dto.js';
import { ReportsService } from './reports.service.js';

const BASE_RATES = 'pages/reports/base-rates.njk';

/** The office's table of base rates: read by office and administrators, changed by the office. */
@ApiExcludeController()
@Controller()
export class ReportsPagesController {
  constructor(private readonly reports: ReportsService) {}

  @Get('office/base-rates')
  @Roles('office', 'admin')
  async baseRates(@CurrentActor() actor: Actor, @Res() res: Response) {
    sendPage(res, BASE_RATES, await this.context(actor));
  }

  @Post('office/base-rates')
  @Roles('office')
  async setBaseRate(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const values = { validFrom: body.validFrom, percent: body.percent, source: body.source };
    await handleForm(res, { template: BASE_RATES, context: await this.context(actor), values }, async () => {
      const basisPoints = percentToBasisPoints(body.percent);
      if (basisPoints === null) throw new ValidationFailed({ percent: ['reports.percent'] });
      const dto = await parseDto(BaseRateDto, { basisPoints, source: body.source });
      await this.reports.setBaseRate(actor, typeof body.validFrom === 'string' ? body.validFrom : '', dto);
      res.redirect(303, '/office/base-rates?notice=reports.baseRateSaved');
    });
  }

  private async context(actor: Actor) {
    return { rates: [...(await this.reports.baseRates(actor))].reverse(), canChange: actor.roles.includes('office') };
  }
}

/** "1,27" or "-0,88" (percent, as published) → 127 or -88 basis points; null when it is not such a figure. */
export function percentToBasisPoints(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^\s*(-?)(\d{1,2})(?:[.,](\d{1,2}))?\s*%?\s*$/.exec(value);
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const points = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return sign === '-' ? -points : points;
}
