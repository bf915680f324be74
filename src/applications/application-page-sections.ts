import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import type { ApplicationView } from './applications.service.js';

/** Adds what a later step of the cycle shows on the application page (the decision, the grant's money). */
export type ApplicationPageSection = (actor: Actor, view: ApplicationView) => Promise<Record<string, unknown>>;

/**
 * The parts of the application page that capabilities building on applications contribute: they
 * register here, so that applications depend on none of them (as with `onWithdrawal`).
 */
@Injectable()
export class ApplicationPageSections {
  private readonly sections: ApplicationPageSection[] = [];

  register(section: ApplicationPageSection): void {
    this.sections.push(section);
  }

  /** The application page's context: the application's view and every registered section's values. */
  async context(actor: Actor, view: ApplicationView): Promise<ApplicationView & Record<string, unknown>> {
    const parts = await Promise.all(this.sections.map((section) => section(actor, view)));
    return Object.assign({}, view, ...parts);
  }
}
