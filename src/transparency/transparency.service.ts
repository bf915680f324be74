import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../common/config.token.js';
import { berlinDay } from '../common/dates.js';
import { NotFound } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import type { AppConfig } from '../config/app-config.js';
import { grantIdentifier, organisationIdentifier, toOpenDataCsv, toPackage } from './open-data.rules.js';
import { TransparencyRepository } from './transparency.repository.js';
import type { FundingReport, PublicCall } from './transparency.types.js';

/** A funded project as the public page shows it, with its ids in the open data. */
export type PublicProject = FundingReport['projects'][number] & { grantId: string; organisationIdentifier: string; paidCents: number };

/**
 * The public Förderbericht: decided (and archived) calls with their funded projects, as pages and
 * as open data (CSV and 360Giving JSON). Open to everyone; a call not yet decided does not exist here.
 */
@Injectable()
export class TransparencyService {
  constructor(
    private readonly repository: TransparencyRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  calls(): Promise<PublicCall[]> {
    return this.repository.calls();
  }

  /** The call's funded projects with its totals; 404 for a call that is not decided. */
  async report(callId: string): Promise<FundingReport & { projects: PublicProject[] }> {
    const call = isUuid(callId) ? await this.repository.call(callId) : null;
    if (!call) throw new NotFound('call');
    const prefix = this.config.openDataGrantPrefix;
    const projects = (await this.repository.projects(call.id)).map((project) => ({
      ...project,
      grantId: grantIdentifier(prefix, project.referenceNumber),
      organisationIdentifier: organisationIdentifier(prefix, project.organisation),
      paidCents: project.payouts.reduce((sum, payout) => sum + payout.amountCents, 0),
    }));
    return {
      call: { ...call, fundedCount: projects.length, awardedCents: projects.reduce((sum, project) => sum + project.amountCents, 0) },
      projects,
    };
  }

  async csv(callId: string): Promise<{ call: PublicCall; csv: string }> {
    const report = await this.report(callId);
    return { call: report.call, csv: toOpenDataCsv(report, this.config.openDataGrantPrefix) };
  }

  /** The 360Giving package; 360Giving has no package without grants, so a call that funded nothing has none (404). */
  async threeSixtyGiving(callId: string): Promise<{ call: PublicCall; data: Record<string, unknown> }> {
    const report = await this.report(callId);
    if (report.projects.length === 0) throw new NotFound('grants');
    const data = toPackage(report, { prefix: this.config.openDataGrantPrefix, pageUrl: this.pageUrl(report.call.id), issued: berlinDay(new Date()) });
    return { call: report.call, data };
  }

  pageUrl(callId: string): string {
    return `${this.config.baseUrl}/foerderbericht/${callId}`;
  }
}
