import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/guards.js';
import { ClaimsService } from './claims.service.js';
import { ClaimDraftDto, ClaimRepaymentDto } from './dto/claim.dto.js';

/** The repayment claim of a usage report settled with a claim; one per report, addressed by the report's id. */
@ApiTags('controlling')
@ApiCookieAuth()
@Controller('api/v1')
export class ClaimsApiController {
  constructor(private readonly claims: ClaimsService) {}

  @Get('reports/:id/claim')
  @ApiOperation({ summary: 'The repayment claim of a report with its interest lines (the organisation sees it once released; 404 otherwise)' })
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.claims.get(actor, id);
  }

  @Put('reports/:id/claim')
  @Roles('office')
  @ApiOperation({ summary: 'Drafts or changes the claim of a report settled with a claim: refund from the settlement, interest until the payment deadline or its waiver, interest for late use; 409 once released' })
  draft(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ClaimDraftDto) {
    return this.claims.draft(actor, id, dto);
  }

  @Post('reports/:id/claim/release')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Releases the claim (another office user than its drafter: 403 otherwise); the letter is rendered, stored and mailed; 409 when released before' })
  release(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.claims.release(actor, id);
  }

  @Post('reports/:id/claim/repayment')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Records the day the money came back; the refund is booked as freed money in the call\'s ledger (the interest is not the call\'s money)' })
  repayment(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ClaimRepaymentDto) {
    return this.claims.bookRepayment(actor, id, dto);
  }

  @Get('reports/:id/claim/letter.pdf')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The claim letter as it was sent (404 until it is issued); its SHA-256 in the X-Content-SHA256 header' })
  async letter(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const letter = await this.claims.letter(actor, id);
    res.type('application/pdf').attachment(letter.filename).setHeader('X-Content-SHA256', letter.sha256);
    res.send(letter.content);
  }
}
