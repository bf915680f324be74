import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { hasAnyRole, requireOffice, requireRole, requireStaff, SESSION_READERS, STAFF_ROLES } from '../auth/roles.js';
import { addDays } from '../awards/calendar-days.js';
import { CallsRepository } from '../calls/calls.repository.js';
import { berlinDay } from '../common/dates.js';
import { Conflict, messageWith, NotFound, ValidationFailed, type FieldErrors } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { Transactions } from '../common/transactions.js';
import type { DocumentLanguage, VisitReportProject } from '../documents/document-types.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import { DocumentRenderer } from '../renderer/document-renderer.js';
import type { PlanVisitDto, UpdateVisitDto, VisitProtocolDto } from './dto/visit.dto.js';
import { VISIT_CHECK_RESULTS, VISIT_CHECKLIST, VISIT_WARNING_DAYS, visitCoverage, type CoverageStatus, type VisitCheckResult, type VisitChecklistItem } from './visits.rules.js';
import { VisitsRepository, type DecisionFacts, type FundedProject, type VisitPhotoRow, type VisitRow } from './visits.repository.js';

/** Photos of a visit may be this large at most. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** Photos per visit at most. */
export const MAX_PHOTOS = 20;

const PHOTO_SIGNATURES: [VisitPhotoRow['contentType'], number[]][] = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
];

/** What the grantee sees of a visit to their project: that it is planned or done, and the day. */
export interface GranteeVisit {
  id: string;
  status: VisitRow['status'];
  visitOn: string;
}

/** A funded project on the coverage page: its coverage by visits and its visits. */
export interface ProjectWithVisits extends FundedProject {
  coverage: CoverageStatus;
  daysToEnd: number;
  visits: VisitRow[];
}

export interface CallCoverage {
  call: { id: string; title: string; year: number };
  projects: ProjectWithVisits[];
  counts: { total: number; visited: number; planned: number; missing: number };
  /** Ending within 30 days without a visit done, soonest first. */
  endingSoon: ProjectWithVisits[];
}

/** A project on the office's start page: ending within 30 days without a visit done. */
export interface EndingSoonProject {
  decisionId: string;
  applicationId: string;
  callId: string;
  callTitle: string;
  callYear: number;
  referenceNumber: string;
  title: string;
  organisationName: string;
  periodEnd: string;
  daysToEnd: number;
  nextPlannedOn: string | null;
}

/**
 * Site visits (Vor-Ort-Besuche) to funded projects: the office plans them (day, staff), records the
 * protocol (checklist, notes, photos) and follows the coverage of each call's projects; the round
 * table reads the visit report per call. Only a released award is a funded project.
 */
@Injectable()
export class VisitsService {
  constructor(
    private readonly db: Transactions,
    private readonly visits: VisitsRepository,
    private readonly calls: CallsRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly audit: AuditService,
    private readonly renderer: DocumentRenderer,
  ) {}

  /** The visits of a funded project: staff see everything, the organisation only the days. */
  async ofDecision(actor: Actor, decisionId: string): Promise<VisitRow[] | GranteeVisit[]> {
    const decision = await this.fundedDecision(decisionId);
    const staff = hasAnyRole(actor.roles, STAFF_ROLES);
    if (!staff && !(actor.roles.includes('applicant') && (await this.organisations.isRepresentative(actor.id, decision.organisationId)))) throw new NotFound('decision');
    const visits = await this.visits.ofDecisions([decision.id]);
    return staff ? visits : visits.map(granteeView);
  }

  /** The grantee's view of their project's visits, or null when the decision funds no project of theirs. */
  async forGrantee(actor: Actor, decisionId: string): Promise<GranteeVisit[] | null> {
    try {
      return (await this.ofDecision(actor, decisionId)) as GranteeVisit[];
    } catch (error) {
      if (error instanceof NotFound || error instanceof Conflict) return null;
      throw error;
    }
  }

  async plan(actor: Actor, decisionId: string, dto: PlanVisitDto): Promise<VisitRow> {
    requireOffice(actor);
    const decision = await this.fundedDecision(decisionId);
    return this.db.run(async (manager) => {
      const id = await this.visits.insert(manager, { decisionId: decision.id, callId: decision.callId, visitOn: dto.visitOn, staff: dto.staff, plannedBy: actor.id });
      await this.audit.record(manager, actor, { action: 'visit.planned', entityType: 'site_visit', entityId: id, after: { decisionId: decision.id, visitOn: dto.visitOn, staff: dto.staff } });
      return (await this.visits.find(id, manager))!;
    });
  }

  /** Changes the day or the staff of a visit that is still planned. */
  async update(actor: Actor, id: string, dto: UpdateVisitDto): Promise<VisitRow> {
    requireOffice(actor);
    return this.db.run(async (manager) => {
      const current = await this.locked(manager, id, dto.version);
      if (current.status !== 'planned') throw new Conflict('visits.alreadyDone', { status: current.status });
      const next = { visitOn: dto.visitOn ?? current.visitOn, staff: dto.staff ?? current.staff };
      await this.visits.updatePlan(manager, id, next);
      await this.audit.record(manager, actor, { action: 'visit.changed', entityType: 'site_visit', entityId: id, before: { visitOn: current.visitOn, staff: current.staff }, after: next });
      return (await this.visits.find(id, manager))!;
    });
  }

  /** Records the protocol of a visit that took place: every point of the checklist, the notes; the visit is then done. */
  async record(actor: Actor, id: string, dto: VisitProtocolDto): Promise<VisitRow> {
    requireOffice(actor);
    const errors: FieldErrors = {};
    if (dto.visitOn > berlinDay(new Date())) errors.visitOn = ['visits.inFuture'];
    const checklist = checkedChecklist(dto.checklist, errors);
    if (Object.keys(errors).length) throw new ValidationFailed(errors);
    return this.db.run(async (manager) => {
      if (dto.notes) await this.refuseAfterRetention(manager, id);
      const current = await this.locked(manager, id, dto.version);
      if (current.status !== 'planned') throw new Conflict('visits.alreadyDone', { status: current.status });
      const protocol = { visitOn: dto.visitOn, checklist, notes: dto.notes ?? null, recordedBy: actor.id };
      await this.visits.record(manager, id, protocol);
      await this.audit.record(manager, actor, {
        action: 'visit.recorded', entityType: 'site_visit', entityId: id,
        before: { status: current.status, visitOn: current.visitOn }, after: { status: 'done', visitOn: dto.visitOn, checklist, notes: protocol.notes },
      });
      return (await this.visits.find(id, manager))!;
    });
  }

  /** Adds a JPEG or PNG photo (recognised by its content, at most 5 MB) to a visit. */
  async addPhoto(actor: Actor, id: string, file: { buffer: Buffer; originalname: string } | undefined, tooLarge = false): Promise<VisitPhotoRow> {
    requireOffice(actor);
    if (tooLarge) throw new ValidationFailed({ file: [messageWith('visits.photoTooLarge', { mb: MAX_PHOTO_BYTES / 1024 / 1024 })] });
    if (!file || file.buffer.length === 0) throw new ValidationFailed({ file: ['validation.fileMissing'] });
    if (file.buffer.length > MAX_PHOTO_BYTES) throw new ValidationFailed({ file: [messageWith('visits.photoTooLarge', { mb: MAX_PHOTO_BYTES / 1024 / 1024 })] });
    const contentType = PHOTO_SIGNATURES.find(([, bytes]) => bytes.every((byte, i) => file.buffer[i] === byte))?.[0];
    if (!contentType) throw new ValidationFailed({ file: ['visits.photoType'] });
    return this.db.run(async (manager) => {
      await this.refuseAfterRetention(manager, id);
      await this.locked(manager, id);
      // Counted under the visit's row lock, so parallel uploads cannot pass the limit together.
      if ((await this.visits.countPhotos(manager, id)) >= MAX_PHOTOS) throw new ValidationFailed({ file: [messageWith('visits.tooManyPhotos', { max: MAX_PHOTOS })] });
      const photo = await this.visits.insertPhoto(manager, { visitId: id, filename: photoFilename(file.originalname, contentType), contentType, content: file.buffer, uploadedBy: actor.id });
      await this.audit.record(manager, actor, { action: 'visit.photo_added', entityType: 'site_visit', entityId: id, after: { photoId: photo.id, filename: photo.filename, sizeBytes: photo.sizeBytes } });
      return photo;
    });
  }

  /** A photo's bytes: for the office only (people may be recognisable on it). */
  async photo(actor: Actor, id: string, photoId: string): Promise<{ filename: string; contentType: string; content: Buffer }> {
    requireOffice(actor);
    const photo = isUuid(id) && isUuid(photoId) ? await this.visits.photo(id, photoId) : null;
    if (!photo) throw new NotFound('photo');
    return photo;
  }

  /** One visit with its project, for the office's visit page. */
  async get(actor: Actor, id: string): Promise<{ visit: VisitRow; project: FundedProject }> {
    requireStaff(actor);
    const visit = isUuid(id) ? await this.visits.find(id) : null;
    if (!visit) throw new NotFound('visit');
    const project = await this.visits.project(visit.decisionId);
    if (!project) throw new NotFound('visit');
    return { visit, project };
  }

  /** A call's funded projects with their visits and their coverage: visited, planned, missing. */
  async coverage(actor: Actor, callId: string): Promise<CallCoverage> {
    requireStaff(actor);
    return this.callCoverage(callId);
  }

  /** Funded projects of every call ending within 30 days without a visit done, for the office's start page. */
  async endingSoon(actor: Actor): Promise<EndingSoonProject[]> {
    requireStaff(actor);
    const today = berlinDay(new Date());
    const projects = await this.visits.projectsEndingBetween(today, addDays(today, VISIT_WARNING_DAYS));
    if (projects.length === 0) return [];
    const visits = await this.visits.ofDecisions(projects.map((p) => p.decisionId));
    const coverage = visitCoverage(projects.map((p) => coverageInput(p, visits)), today);
    const byId = new Map(projects.map((p) => [p.applicationId, p]));
    return coverage.endingSoonWithoutVisit.map((flag) => {
      const p = byId.get(flag.applicationId)!;
      return {
        decisionId: p.decisionId, applicationId: p.applicationId, callId: p.callId, callTitle: p.callTitle, callYear: p.callYear,
        referenceNumber: p.referenceNumber, title: p.title, organisationName: p.organisationName, periodEnd: p.periodEnd, daysToEnd: flag.daysToEnd, nextPlannedOn: flag.nextPlannedOn,
      };
    });
  }

  /** The calls with funded projects, for the round table's list of visit reports. */
  async reportCalls(actor: Actor): Promise<{ id: string; title: string; year: number; projects: number }[]> {
    requireRole(actor, SESSION_READERS);
    return this.visits.callsWithProjects();
  }

  /** The visit report of a call for the round table (PDF, rendered in a worker thread). */
  async report(actor: Actor, callId: string, lang: DocumentLanguage): Promise<{ call: { year: number; title: string }; pdf: Buffer }> {
    requireRole(actor, SESSION_READERS);
    const { call, projects, counts } = await this.callCoverage(callId);
    const reportProjects: VisitReportProject[] = projects.map((p) => ({
      referenceNumber: p.referenceNumber,
      title: p.title,
      organisationName: p.organisationName,
      awardedCents: p.awardedCents,
      periodStart: p.periodStart,
      periodEnd: p.periodEnd,
      coverage: p.coverage,
      visits: p.visits.map((v) => ({ on: v.visitOn, status: v.status, staffName: v.staff, checklist: v.checklist as VisitReportProject['visits'][number]['checklist'], notes: v.notes })),
      // An award released before the reports existed has no report row: it is due at the award's day.
      report: { status: p.reportStatus ?? 'due', dueDate: p.reportDueOn ?? p.periodEnd },
      participants: { planned: p.expectedParticipants ?? 0, reached: p.participantsTotal },
    }));
    const pdf = await this.renderer.render('visitReport', {
      callTitle: call.title, callYear: call.year, date: berlinDay(new Date()), projects: reportProjects,
      coverage: { visited: counts.visited, planned: counts.planned, missing: counts.missing },
    }, lang);
    return { call, pdf };
  }

  private async callCoverage(callId: string): Promise<CallCoverage> {
    const call = isUuid(callId) ? await this.calls.findById(callId) : null;
    if (!call) throw new NotFound('call');
    const [projects, visits] = await Promise.all([this.visits.projects(call.id), this.visits.ofCall(call.id)]);
    const coverage = visitCoverage(projects.map((p) => coverageInput(p, visits)), berlinDay(new Date()));
    const withVisits: ProjectWithVisits[] = projects.map((p, i) => ({
      ...p, coverage: coverage.projects[i].status, daysToEnd: coverage.projects[i].daysToEnd, visits: visits.filter((v) => v.decisionId === p.decisionId),
    }));
    const byApplication = new Map(withVisits.map((p) => [p.applicationId, p]));
    return {
      call: { id: call.id, title: call.title, year: call.year },
      projects: withVisits,
      counts: coverage.counts,
      endingSoon: coverage.endingSoonWithoutVisit.map((flag) => byApplication.get(flag.applicationId)!),
    };
  }

  /** A released award: unknown ids and rejections are 404, a draft award 409 (it funds nothing yet). */
  private async fundedDecision(id: string): Promise<DecisionFacts> {
    const decision = isUuid(id) ? await this.visits.decision(id) : null;
    if (!decision || decision.kind !== 'award') throw new NotFound('decision');
    if (decision.status !== 'released') throw new Conflict('visits.notReleased', { status: decision.status });
    return decision;
  }

  /** Photos and notes are personal data: none is added once the retention job deleted the grant's (it never looks at the grant again). */
  private async refuseAfterRetention(manager: EntityManager, id: string): Promise<void> {
    if (!isUuid(id)) throw new NotFound('visit');
    const deletedAt = await this.visits.personalDataDeletedAt(manager, id);
    if (deletedAt) throw new Conflict('visits.personalDataDeleted', { personalDataDeletedAt: deletedAt });
  }

  private async locked(manager: EntityManager, id: string, version?: number): Promise<VisitRow> {
    if (!isUuid(id) || !(await this.visits.lock(manager, id))) throw new NotFound('visit');
    const current = (await this.visits.find(id, manager))!;
    if (version !== undefined && version !== current.version) throw new Conflict('errors.staleVersion', { currentVersion: current.version, status: current.status });
    return current;
  }
}

function granteeView(visit: VisitRow): GranteeVisit {
  return { id: visit.id, status: visit.status, visitOn: visit.visitOn };
}

function coverageInput(project: FundedProject, visits: VisitRow[]) {
  return {
    applicationId: project.applicationId,
    periodEnd: project.periodEnd,
    visits: visits.filter((v) => v.decisionId === project.decisionId).map((v) => ({ status: v.status, on: v.visitOn })),
  };
}

/** Every point of the checklist with a known finding; each wrong or unknown point is named as `checklist.<point>`. */
function checkedChecklist(input: Record<string, unknown>, errors: FieldErrors): Record<VisitChecklistItem, VisitCheckResult> {
  const result = {} as Record<VisitChecklistItem, VisitCheckResult>;
  for (const key of Object.keys(input)) {
    if (!(VISIT_CHECKLIST as readonly string[]).includes(key)) errors[`checklist.${key}`] = ['validation.unknownField'];
  }
  for (const item of VISIT_CHECKLIST) {
    const value = input[item];
    if (value === undefined || value === null || value === '') errors[`checklist.${item}`] = ['validation.required'];
    else if (typeof value !== 'string' || !(VISIT_CHECK_RESULTS as readonly string[]).includes(value)) errors[`checklist.${item}`] = ['validation.choice'];
    else result[item] = value as VisitCheckResult;
  }
  return result;
}

/** Letters, digits, dots, dashes and underscores stay; the extension follows the content. */
function photoFilename(name: string, contentType: string): string {
  const base = Array.from(name.normalize('NFC').replace(/\.(jpe?g|png)$/i, '')).map((c) => (/[\p{L}\p{N}._-]/u.test(c) ? c : '_')).join('').replace(/^\.+/, '');
  return `${Array.from(base).slice(0, 100).join('') || 'foto'}${contentType === 'image/png' ? '.png' : '.jpg'}`;
}
