import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationPageSections } from '../applications/application-page-sections.js';
import type { ApplicationView } from '../applications/applications.service.js';
import type { Actor } from '../auth/actor.js';
import { VisitsRepository } from './visits.repository.js';
import { VisitsService, type GranteeVisit } from './visits.service.js';

/** Puts the planned and done site visits (days only, no protocol) on the application page the organisation sees. */
@Injectable()
export class GrantVisitsSection implements OnModuleInit {
  constructor(
    private readonly sections: ApplicationPageSections,
    private readonly visits: VisitsService,
    private readonly repository: VisitsRepository,
  ) {}

  onModuleInit(): void {
    this.sections.register((actor, view) => this.context(actor, view));
  }

  async context(actor: Actor, view: ApplicationView): Promise<{ grantVisits?: GranteeVisit[] }> {
    if (view.audience !== 'applicant') return {};
    const decisionId = await this.repository.releasedAwardOf(view.application.id);
    if (!decisionId) return {};
    const visits = await this.visits.forGrantee(actor, decisionId);
    return visits && visits.length > 0 ? { grantVisits: visits } : {};
  }
}
