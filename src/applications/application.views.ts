import type { Organisation } from '../organisations/organisation.entities.js';
import type { Application } from './application.entities.js';
import type { ApplicationStatus } from './application.machine.js';
import type { ApplicationListRow } from './applications.repository.js';

/**
 * Who reads an application, and so which fields they get (docs/ARCHITECTURE.md, "Who sees which
 * fields"): the applicant acting for the organisation, a member of the round table reading an
 * agenda item, or the office and administrators.
 */
export type Audience = 'applicant' | 'member' | 'staff';

/** The states in which the round table holds the application: the applicant learns only that it deliberates. */
const DELIBERATION: ApplicationStatus[] = ['on_agenda', 'approved', 'rejected'];
export type ApplicantStatus = Exclude<ApplicationStatus, 'on_agenda' | 'approved' | 'rejected'> | 'under_deliberation';

/** What an applicant sees of the round table's work: only that it is deliberating (its decision reaches them with the award). */
export function statusForApplicant(status: ApplicationStatus): ApplicantStatus {
  return DELIBERATION.includes(status) ? 'under_deliberation' : (status as ApplicantStatus);
}

/** The internal states an applicant's status filter stands for. */
export function statusesForApplicant(status: string): ApplicationStatus[] {
  if (status === 'under_deliberation') return DELIBERATION;
  return (DELIBERATION as string[]).includes(status) ? [] : [status as ApplicationStatus];
}

/** Staff and members: everything but the workflow engine's own bookkeeping. */
export type StaffApplication = Omit<Application, 'machineSnapshot' | 'machineVersion'>;

/** The applicant: the content, the state as they may know it, and what they need to act on it. */
export type ApplicantApplication = Pick<
  Application,
  | 'id' | 'callId' | 'organisationId' | 'referenceNumber' | 'title' | 'fieldOfAction' | 'targetGroup' | 'district' | 'startDate' | 'endDate'
  | 'description' | 'goals' | 'methods' | 'expectedParticipants' | 'openness' | 'costLines' | 'ownFundsCents' | 'thirdParty' | 'requestedCents'
  | 'declarations' | 'submissionCount' | 'firstSubmittedAt' | 'submittedAt' | 'changeRequest' | 'ineligibleReason' | 'withdrawnAt' | 'createdAt'
  | 'version'
> & {
  status: ApplicantStatus;
  /** The office's checklist is its working note: always empty for the applicant. */
  checkList: Record<string, never>;
};

export type ShownApplication = StaffApplication | ApplicantApplication;

export function applicationFor(audience: Audience, application: Application): ShownApplication {
  return audience === 'applicant' ? applicationForApplicant(application) : applicationForStaff(application);
}

export function applicationForStaff(application: Application): StaffApplication {
  const { machineSnapshot: _snapshot, machineVersion: _version, ...shown } = application;
  return shown;
}

export function applicationForApplicant(a: Application): ApplicantApplication {
  return {
    id: a.id,
    callId: a.callId,
    organisationId: a.organisationId,
    referenceNumber: a.referenceNumber,
    title: a.title,
    fieldOfAction: a.fieldOfAction,
    targetGroup: a.targetGroup,
    district: a.district,
    startDate: a.startDate,
    endDate: a.endDate,
    description: a.description,
    goals: a.goals,
    methods: a.methods,
    expectedParticipants: a.expectedParticipants,
    openness: a.openness,
    costLines: a.costLines,
    ownFundsCents: a.ownFundsCents,
    thirdParty: a.thirdParty,
    requestedCents: a.requestedCents,
    declarations: a.declarations,
    status: statusForApplicant(a.status),
    submissionCount: a.submissionCount,
    firstSubmittedAt: a.firstSubmittedAt,
    submittedAt: a.submittedAt,
    changeRequest: a.status === 'changes_requested' ? a.changeRequest : null,
    ineligibleReason: a.status === 'ineligible' ? a.ineligibleReason : null,
    withdrawnAt: a.withdrawnAt,
    createdAt: a.createdAt,
    version: a.version,
    checkList: {},
  };
}

/** An applicant's list row: the state as they may know it. */
export function listRowForApplicant(row: ApplicationListRow): Omit<ApplicationListRow, 'status'> & { status: ApplicantStatus } {
  return { ...row, status: statusForApplicant(row.status as ApplicationStatus) };
}

/**
 * What the applicant and the round table's members see of the organisation in an application: who it
 * is, not how to pay or call it (bank account, account holder, phone and email stay with the office
 * and the organisation's own pages).
 */
export type OrganisationSummary = Pick<
  Organisation,
  'id' | 'name' | 'legalForm' | 'registerCourt' | 'registerNumber' | 'nonProfit' | 'nonProfitCertificateExpiresOn' | 'street' | 'postalCode' | 'city' | 'district' | 'website' | 'status'
>;

export function organisationFor(audience: Audience, o: Organisation): Organisation | OrganisationSummary {
  if (audience === 'staff') return o;
  return {
    id: o.id,
    name: o.name,
    legalForm: o.legalForm,
    registerCourt: o.registerCourt,
    registerNumber: o.registerNumber,
    nonProfit: o.nonProfit,
    nonProfitCertificateExpiresOn: o.nonProfitCertificateExpiresOn,
    street: o.street,
    postalCode: o.postalCode,
    city: o.city,
    district: o.district,
    website: o.website,
    status: o.status,
  };
}
