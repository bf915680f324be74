import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AwardsService } from '../awards/awards.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { requireOffice, requireStaff } from '../auth/roles.js';
import { isCalendarDay } from '../common/dates.js';
import { ValidationFailed } from '../common/errors.js';
import { Transactions } from '../common/transactions.js';
import type { BaseRateDto } from './dto/base-rate.dto.js';
import { ReportsRepository, type BaseRateRow } from './reports.repository.js';

/**
 * The controlling part's settings the office keeps: the base rates (§ 247 BGB) the interest on
 * repayment claims is computed from.
 */
@Injectable()
export class ReportsService implements OnModuleInit {
  constructor(
    private readonly db: Transactions,
    private readonly reports: ReportsRepository,
    private readonly audit: AuditService,
    private readonly awards: AwardsService,
  ) {}

  /** Every released award has its usage report from the release on, created in the release's transaction. */
  onModuleInit(): void {
    this.awards.onAwardReleased((manager, award, organisationId) => this.reports.createForAward(manager, award, organisationId));
  }

  baseRates(actor: Actor): Promise<BaseRateRow[]> {
    requireStaff(actor);
    return this.reports.baseRates();
  }

  /** The rate from a day on; the base rate changes on 1 January and 1 July only (§ 247 Abs. 1 S. 2 BGB). */
  async setBaseRate(actor: Actor, validFrom: string, dto: BaseRateDto): Promise<BaseRateRow[]> {
    requireOffice(actor);
    if (!isCalendarDay(validFrom) || !/-(01|07)-01$/.test(validFrom) || new Date(`${validFrom}T00:00:00Z`).toISOString().slice(0, 10) !== validFrom) {
      throw new ValidationFailed({ validFrom: ['reports.baseRateDay'] });
    }
    await this.db.run(async (manager) => {
      const { before } = await this.reports.setBaseRate(manager, { validFrom, basisPoints: dto.basisPoints, source: dto.source ?? null, userId: actor.id });
      await this.audit.record(manager, actor, { action: 'base_rate.set', entityType: 'base_rate', entityId: validFrom, before: { basisPoints: before }, after: { basisPoints: dto.basisPoints, source: dto.source ?? null } });
    });
    return this.reports.baseRates();
  }
}
