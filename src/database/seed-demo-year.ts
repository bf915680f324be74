import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { APPLICATION_MACHINE_VERSION } from '../applications/application.machine.js';
import { CHECK_ITEMS } from '../applications/application.entities.js';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { addDays, addMonths } from '../awards/calendar-days.js';
import { decisionDates } from '../awards/decision-dates.js';
import { CALL_MACHINE_VERSION } from '../calls/call.machine.js';
import { DEFAULT_DECLARATIONS, FIELDS_OF_ACTION_2025 } from '../calls/dto/call.dto.js';
import { berlinInstant } from '../common/dates.js';
import { formatEuroCents } from '../common/money.js';
import type { AppConfig } from '../config/app-config.js';
import type { AwardLetterDocument, DecisionLetterBase, DecisionRejectionDocument, RepaymentClaimDocument } from '../documents/document-types.js';
import { letterText } from '../documents/texts.js';
import type { Organisation } from '../organisations/organisation.entities.js';
import { DEFAULT_PAYMENT_CSV_COLUMNS, parsePaymentCsvColumns, paymentOrderCsv, sepaCreditTransfer, type PayoutLine } from '../payments/payment-exports.js';
import type { DocumentRenderer } from '../renderer/document-renderer.js';
import { DEFAULT_MARGIN_BASIS_POINTS, repaymentInterest, type BaseRate } from '../reports/interest.rules.js';
import { settle, type SettlementInput } from '../reports/settlement.rules.js';
import type { RoundTableMember } from '../round-table/member.entities.js';

/**
 * The demo's previous year, "Integrationsförderung 2026", run through the whole cycle as the app
 * would have run it: call, submissions with reference numbers and versions, formal check, the round
 * table's session, decisions with their letters, payouts and treasury exports, usage reports,
 * settlements, one repayment claim repaid, site visits, and the audit trail. Monitoring, the
 * Förderbericht and the open-data export read it.
 */
export const DEMO_YEAR = 2026;
export const DEMO_YEAR_TITLE = 'Integrationsförderung 2026';

type Outcome = 'settled' | 'settled_lower' | 'claim' | 'overdue' | 'voted_down' | 'ineligible';

/** One application of the demo year. Amounts in cents; `reached` is the usage report's participants_total. */
interface DemoProject {
  org: number;
  title: string;
  field: string;
  district: string;
  targetGroup: string;
  start: string;
  end: string;
  requested: number;
  thirdParty: number;
  awarded: number | null;
  planned: number;
  reached: number | null;
  outcome: Outcome;
  visited: boolean;
}

/** Organisation index (ORGANISATIONS in seed-demo.ts) → the applicant account that acted for it, where the demo has none yet. */
export const DEMO_YEAR_GRANTEE_ACCOUNTS: Record<number, { fullName: string; email: string; role: string }> = {
  3: { fullName: 'Elif Şahin', email: 'neik@neuss.example', role: 'Geschäftsführerin' },
  4: { fullName: 'Jan Verhoeven', email: 'tandem-treff@neuss.example', role: 'Vorsitzender' },
  5: { fullName: 'Zeynep Arslan', email: 'puzzle-frauen@neuss.example', role: 'Vorsitzende' },
  10: { fullName: 'Imran Qureshi', email: 'dpk-neuss@neuss.example', role: 'Kassenwart' },
  13: { fullName: 'Hatice Öztürk', email: 'elternverein@neuss.example', role: 'Vorsitzende' },
  16: { fullName: 'Nikos Alexiou', email: 'griechische-gemeinde@neuss.example', role: 'Sprecher' },
  17: { fullName: 'Birgit Klein', email: 'awo-neuss@neuss.example', role: 'Projektleitung' },
};

const PROJECTS: DemoProject[] = [
  { org: 0, title: 'Sprachcafé im Erfttal', field: 'Sprachförderung', district: 'Erfttal', targetGroup: 'Neuzugewanderte Erwachsene und Nachbarinnen und Nachbarn', start: '2026-02-01', end: '2026-06-30', requested: 480_000, thirdParty: 0, awarded: 480_000, planned: 60, reached: 41, outcome: 'claim', visited: true },
  { org: 1, title: 'Schwarze Geschichte in Neuss – Workshops an Schulen', field: 'Antirassismus', district: 'Innenstadt', targetGroup: 'Schülerinnen und Schüler der Klassen 8 bis 10', start: '2026-02-15', end: '2026-07-15', requested: 450_000, thirdParty: 40_000, awarded: 400_000, planned: 150, reached: 212, outcome: 'settled', visited: true },
  { org: 2, title: 'Frauen stärken – Demokratie erleben', field: 'Politische Bildung', district: 'Weckhoven', targetGroup: 'Frauen mit Einwanderungsgeschichte', start: '2026-03-01', end: '2026-07-31', requested: 360_000, thirdParty: 0, awarded: 360_000, planned: 40, reached: null, outcome: 'overdue', visited: true },
  { org: 3, title: 'Neuss divers – Fotoausstellung und Begegnungsabende', field: 'Diversität', district: 'Furth-Mitte', targetGroup: 'Bewohnerinnen und Bewohner der Nordstadt', start: '2026-03-01', end: '2026-06-30', requested: 500_000, thirdParty: 50_000, awarded: 450_000, planned: 300, reached: 260, outcome: 'settled_lower', visited: true },
  { org: 4, title: 'Sprachtandems für Neuzugewanderte', field: 'Sprachförderung', district: 'Norf', targetGroup: 'Neuzugewanderte und Ehrenamtliche', start: '2026-01-15', end: '2026-05-31', requested: 240_000, thirdParty: 0, awarded: 240_000, planned: 50, reached: 63, outcome: 'settled', visited: false },
  { org: 5, title: 'Nachbarschaftstisch der Religionen', field: 'Interreligiöser Dialog', district: 'Weißenberg', targetGroup: 'Nachbarschaft aller Religionen und Weltanschauungen', start: '2026-02-01', end: '2026-06-30', requested: 300_000, thirdParty: 0, awarded: 300_000, planned: 80, reached: 74, outcome: 'settled', visited: true },
  { org: 17, title: 'Stark gegen Hetze im Netz – Medienkompetenz für Jugendliche', field: 'Extremismusprävention', district: 'Derikum', targetGroup: 'Jugendliche von 14 bis 18 Jahren', start: '2026-02-01', end: '2026-06-30', requested: 500_000, thirdParty: 60_000, awarded: 500_000, planned: 120, reached: 96, outcome: 'settled', visited: true },
  { org: 13, title: 'Elternbegleiterinnen in Kitas', field: 'Sprachförderung', district: 'Barbaraviertel', targetGroup: 'Eltern von Kita-Kindern mit Einwanderungsgeschichte', start: '2026-01-15', end: '2026-06-30', requested: 420_000, thirdParty: 0, awarded: 350_000, planned: 70, reached: 58, outcome: 'settled', visited: true },
  { org: 10, title: 'Sommerfest der Kulturen am Hafenbecken', field: 'Diversität', district: 'Hafengebiet', targetGroup: 'Alle Neusserinnen und Neusser', start: '2026-06-01', end: '2026-08-31', requested: 500_000, thirdParty: 0, awarded: null, planned: 800, reached: null, outcome: 'voted_down', visited: false },
  { org: 16, title: 'Griechischer Sprach- und Religionsunterricht für Kinder', field: 'Interreligiöser Dialog', district: 'Grimlinghausen', targetGroup: 'Kinder griechischer Familien', start: '2026-01-15', end: '2026-12-15', requested: 300_000, thirdParty: 0, awarded: null, planned: 25, reached: null, outcome: 'ineligible', visited: false },
];

const BUDGET_CENTS = 3_500_000;
const PARTICIPANT_BREAKDOWN = ['Frauen', 'Männer'];
const PLAN_SHARES: [string, string, number][] = [
  ['Honorare', 'Honorare der Kursleitungen und Referentinnen', 55],
  ['Sachkosten', 'Material, Druck und Kopien', 20],
  ['Raummiete', 'Miete der Räume für die Termine', 15],
  ['Öffentlichkeitsarbeit', 'Flyer, Plakate und Anzeigen', 10],
];

/** The year's fixed days (Berlin). */
const DAYS = {
  published: '2025-06-02',
  deadline: '2025-09-30',
  checked: '2025-10-14',
  session: '2025-11-20',
  allocated: '2025-11-24',
  drafted: '2025-11-26',
  released: '2025-12-01',
  decided: '2025-12-02',
  firstPayouts: '2026-01-20',
  secondPayouts: '2026-05-12',
};

type Person = { id: string; fullName: string; email: string };

export interface DemoYearPeople {
  /** Drafts, confirms, records (first pair of eyes). */
  clerk: Person;
  /** Releases (second pair of eyes). */
  approver: Person;
  /** The account that acted for each organisation, by organisation index. */
  grantees: Map<number, Person>;
  members: RoundTableMember[];
}

interface AuditRowInput {
  at: Date;
  actor: Person | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before?: object | null;
  after?: object | null;
}

/** Collects rows of the audit trail, written in one statement at the end. */
class AuditTrail {
  readonly rows: AuditRowInput[] = [];
  add(row: AuditRowInput): void {
    this.rows.push(row);
  }
  async write(manager: EntityManager): Promise<void> {
    const sorted = [...this.rows].sort((a, b) => a.at.getTime() - b.at.getTime());
    await manager.query(
      `INSERT INTO audit_event (occurred_at, actor_id, actor_label, action, entity_type, entity_id, before, after)
       SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[])`,
      [
        sorted.map((r) => r.at.toISOString()),
        sorted.map((r) => r.actor?.id ?? null),
        sorted.map((r) => `${(r.actor ?? SYSTEM_ACTOR).fullName} <${(r.actor ?? SYSTEM_ACTOR).email}>`),
        sorted.map((r) => r.action),
        sorted.map((r) => r.entityType),
        sorted.map((r) => r.entityId),
        sorted.map((r) => (r.before === undefined || r.before === null ? null : JSON.stringify(r.before))),
        sorted.map((r) => (r.after === undefined || r.after === null ? null : JSON.stringify(r.after))),
      ],
    );
  }
}

/** Inserts one row from column → value and answers its id (jsonb values are passed as JSON text). */
async function insert(manager: EntityManager, table: string, row: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(row);
  const [{ id }] = await manager.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    columns.map((column) => row[column]),
  );
  return String(id);
}

const at = (day: string, time = '10:00') => berlinInstant(day, time);
const json = (value: unknown) => JSON.stringify(value);
const step = (status: string) => json({ value: status, context: {} });

/** The finance plan of an application: own funds 15 % of the amount requested, costs split by category. */
function financePlan(project: DemoProject) {
  const ownFundsCents = Math.round((project.requested * 0.15) / 100) * 100;
  const total = project.requested + ownFundsCents + project.thirdParty;
  const costLines = PLAN_SHARES.map(([category, description, percent]) => ({ category, description, amountCents: Math.floor((total * percent) / 10_000) * 100 }));
  costLines[0].amountCents += total - costLines.reduce((sum, line) => sum + line.amountCents, 0);
  const thirdParty = project.thirdParty > 0 ? [{ source: 'Bürgerstiftung Neuss', amountCents: project.thirdParty, status: 'granted' }] : [];
  return { costLines, ownFundsCents, thirdParty, total };
}

/** A small valid PDF standing for an uploaded attachment (statutes, tax certificate). */
function attachmentPdf(title: string): Buffer {
  const text = title.replace(/[()\\]/g, '');
  const stream = `BT /F1 12 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface SeededApplication {
  project: DemoProject;
  id: string;
  referenceNumber: string;
  submittedAt: Date;
  plan: ReturnType<typeof financePlan>;
  organisation: Organisation;
  grantee: Person;
  decisionId?: string;
  payouts: { id: string; amountCents: number; valueDate: string }[];
}

/** A letter as sent: rendered in a render thread, then stored by its decision or claim. */
export interface LetterJob {
  render: (renderer: DocumentRenderer) => Promise<Buffer>;
  store: (manager: EntityManager, content: Buffer) => Promise<unknown>;
}

/**
 * Seeds the demo year into the open transaction and answers the letters still to render and store
 * (the caller renders them all at once, outside the transaction, see seedDemo).
 */
export async function seedDemoYear(manager: EntityManager, organisations: Organisation[], people: DemoYearPeople, config: AppConfig): Promise<{ callId: string; letters: LetterJob[] }> {
  const audit = new AuditTrail();
  const { clerk, approver } = people;

  const callId = await insert(manager, 'funding_call', {
    year: DEMO_YEAR,
    title: DEMO_YEAR_TITLE,
    description: 'Die Stadt Neuss fördert 2026 Projekte, die das Zusammenleben in Vielfalt stärken, in den Handlungsfeldern, die der Integrationsausschuss beschlossen hat. Der Runde Tisch Integrationsförderung berät die Anträge und legt eine Rangfolge fest.',
    budget_cents: BUDGET_CENTS,
    fields_of_action: FIELDS_OF_ACTION_2025,
    submission_deadline: at(DAYS.deadline, '23:59'),
    funding_period_start: '2026-01-01',
    funding_period_end: '2026-12-31',
    finance_type: 'deficit',
    max_amount_cents: 500_000,
    min_own_contribution_percent: 10,
    cost_categories: ['Honorare', 'Sachkosten', 'Raummiete', 'Fahrtkosten', 'Öffentlichkeitsarbeit', 'Verpflegung'],
    required_attachments: ['Satzung', 'Freistellungsbescheid des Finanzamts'],
    declarations: DEFAULT_DECLARATIONS,
    report_due_months: 3,
    status: 'decided',
    machine_snapshot: step('decided'),
    machine_version: CALL_MACHINE_VERSION,
    published_at: at(DAYS.published),
    closed_at: at(addDays(DAYS.deadline, 1), '00:00'),
    created_by: clerk.id,
    created_at: at('2025-05-26'),
    updated_at: at(DAYS.decided),
    version: 5,
    participant_breakdown: PARTICIPANT_BREAKDOWN,
  });
  audit.add({ at: at('2025-05-26'), actor: clerk, action: 'call.created', entityType: 'call', entityId: callId, after: { title: DEMO_YEAR_TITLE, year: DEMO_YEAR } });
  audit.add({ at: at(DAYS.published), actor: clerk, action: 'call.publish', entityType: 'call', entityId: callId, before: { status: 'draft' }, after: { status: 'published', event: 'PUBLISH' } });
  audit.add({ at: at(addDays(DAYS.deadline, 1), '00:00'), actor: null, action: 'call.close', entityType: 'call', entityId: callId, before: { status: 'published' }, after: { status: 'closed', event: 'CLOSE' } });
  audit.add({ at: at('2025-10-01', '08:30'), actor: clerk, action: 'call.start_review', entityType: 'call', entityId: callId, before: { status: 'closed' }, after: { status: 'in_review', event: 'START_REVIEW' } });

  // Submissions in the order they came in, each drawing the year's next reference number.
  await manager.query(`CREATE SEQUENCE IF NOT EXISTS reference_number_${DEMO_YEAR}`);
  const applications: SeededApplication[] = [];
  for (const [index, project] of PROJECTS.entries()) {
    applications.push(await seedApplication(manager, audit, callId, project, index, organisations[project.org], people));
  }

  await seedFormalCheck(manager, audit, applications, clerk);

  const considered = applications.filter((a) => a.project.outcome !== 'ineligible');
  await seedSession(manager, audit, callId, considered, people);

  const letters: LetterJob[] = [];
  audit.add({ at: at(DAYS.drafted, '09:00'), actor: clerk, action: 'decisions.drafted', entityType: 'call', entityId: callId, after: { drafted: considered.length } });
  for (const application of considered) {
    await seedDecision(manager, audit, callId, application, people, config);
    letters.push(decisionLetter(application, application.decisionId!, approver));
  }
  const committed = considered.reduce((sum, a) => sum + (a.project.awarded ?? 0), 0);
  await manager.query(`UPDATE funding_call SET committed_cents = $2 WHERE id = $1`, [callId, committed]);
  audit.add({ at: at(DAYS.decided, '09:30'), actor: clerk, action: 'call.decide', entityType: 'call', entityId: callId, before: { status: 'in_review' }, after: { status: 'decided', event: 'DECIDE' } });

  const funded = considered.filter((a) => a.project.awarded !== null);
  await seedPayouts(manager, audit, callId, funded, people, config);
  const reports = await seedReports(manager, audit, callId, funded, people);
  const claimLetter = await seedClaim(manager, audit, callId, reports, people, config);
  if (claimLetter) letters.push(claimLetter);
  await seedVisits(manager, audit, callId, funded, people);

  // Money given back to the call after the settlements and the refund.
  const [{ freed }] = await manager.query(`SELECT COALESCE(sum(amount_cents), 0)::float8 AS freed FROM ledger_entry WHERE call_id = $1 AND kind = 'freed'`, [callId]);
  await manager.query(`UPDATE funding_call SET committed_cents = committed_cents - $2 WHERE id = $1`, [callId, Number(freed)]);

  await audit.write(manager);
  return { callId, letters };
}

/** The office's formal check in October: every application but one was eligible. */
async function seedFormalCheck(manager: EntityManager, audit: AuditTrail, applications: SeededApplication[], clerk: Person): Promise<void> {
  for (const [i, application] of applications.entries()) {
    const eligible = application.project.outcome !== 'ineligible';
    const checkedAt = at(DAYS.checked, `${10 + Math.floor(i / 2)}:${i % 2 ? '30' : '00'}`);
    const checks = eligible ? [...CHECK_ITEMS] : CHECK_ITEMS.filter((item) => item !== 'fieldOfActionMatches');
    const checkList = Object.fromEntries(CHECK_ITEMS.map((item) => [item, checks.includes(item)]));
    const reason = eligible ? null : 'Der Antrag sieht Religionsunterricht vor. Veranstaltungen mit religiöser Unterweisung werden nach den Förderrichtlinien nicht gefördert.';
    await manager.query(
      `UPDATE application SET check_list = $2, decided_by = $3, decided_at = $4, ineligible_reason = $5, status = $6, machine_snapshot = $7, version = version + 2, updated_at = $4 WHERE id = $1`,
      [application.id, json(checkList), clerk.id, checkedAt, reason, eligible ? 'eligible' : 'ineligible', step(eligible ? 'eligible' : 'ineligible')],
    );
    audit.add({ at: new Date(checkedAt.getTime() - 600_000), actor: clerk, action: 'application.checklist_saved', entityType: 'application', entityId: application.id, before: { status: 'submitted', checkList: {} }, after: { status: 'in_formal_check', checkList } });
    audit.add({
      at: checkedAt, actor: clerk, action: eligible ? 'application.eligible' : 'application.ineligible', entityType: 'application', entityId: application.id,
      before: { status: 'in_formal_check' }, after: { status: eligible ? 'eligible' : 'ineligible', ...(reason ? { reason } : {}), checks },
    });
  }
}

/** A decision drafted by one clerk and released by the other, as the release writes it; the application moves on to final or notified. */
async function seedDecision(manager: EntityManager, audit: AuditTrail, callId: string, application: SeededApplication, people: DemoYearPeople, config: AppConfig): Promise<void> {
  const { clerk, approver } = people;
  const { project } = application;
  const award = project.awarded !== null;
  const sentOn = DAYS.released;
  // Most grantees accepted at once and waived the remedy; Neik let the month for an action run out.
  const waived = award && project.org !== 3 ? addDays(sentOn, 5 + (project.org % 4)) : null;
  const dates = decisionDates({ sentOn, notificationDays: config.decisionNotificationDays, waivedOn: waived });
  const releasedAt = at(sentOn, '11:00');
  const decisionId = await insert(manager, 'decision', {
    application_id: application.id,
    call_id: callId,
    kind: award ? 'award' : 'rejection',
    status: 'released',
    amount_cents: project.awarded,
    reason: award ? null : 'voted_down',
    purpose: award ? project.title : null,
    period_start: award ? project.start : null,
    period_end: award ? project.end : null,
    special_conditions: award && project.org === 17 ? ['Die Materialien der Workshops werden der Stadt Neuss zur Verfügung gestellt.'] : [],
    report_due_on: award ? addMonths(project.end, 3) : null,
    drafted_by: clerk.id,
    drafted_at: at(DAYS.drafted, '09:00'),
    released_by: approver.id,
    released_at: releasedAt,
    sent_on: sentOn,
    notified_on: dates.notifiedOn,
    remedy_period_ends_on: dates.remedyPeriodEndsOn,
    final_on: dates.finalOn,
    accepted_at: waived ? at(waived, '16:00') : null,
    waived_at: waived ? at(waived, '16:00') : null,
    version: waived ? 3 : 2,
  });
  application.decisionId = decisionId;
  const finalStatus = award ? 'final' : 'rejection_notified';
  await manager.query(`UPDATE application SET status = $2, machine_snapshot = $3, version = version + 2, updated_at = $4 WHERE id = $1`, [
    application.id, finalStatus, step(finalStatus), award ? at(dates.finalOn, waived ? '16:00' : '07:00') : releasedAt,
  ]);
  if (award) {
    await manager.query(`INSERT INTO ledger_entry (call_id, kind, amount_cents, decision_id, booked_at, booked_by) VALUES ($1, 'committed', $2, $3, $4, $5)`, [callId, project.awarded, decisionId, releasedAt, approver.id]);
  }
  audit.add({
    at: releasedAt, actor: approver, action: 'decision.released', entityType: 'decision', entityId: decisionId,
    before: { status: 'draft', applicationStatus: award ? 'approved' : 'rejected' },
    after: { status: 'released', kind: award ? 'award' : 'rejection', amountCents: project.awarded, applicationStatus: award ? 'awarded' : 'rejection_notified', notifiedOn: dates.notifiedOn, remedyPeriodEndsOn: dates.remedyPeriodEndsOn, finalOn: dates.finalOn },
  });
  if (waived) audit.add({ at: at(waived, '16:00'), actor: application.grantee, action: 'decision.accepted_waived', entityType: 'decision', entityId: decisionId, after: { finalOn: dates.finalOn } });
  if (award) audit.add({ at: at(dates.finalOn, waived ? '16:00' : '07:00'), actor: null, action: 'decision.final', entityType: 'decision', entityId: decisionId, after: { finalOn: dates.finalOn, applicationStatus: 'final' } });
}

/** An application from draft to its first submission: attachments, the reference number drawn, the version kept. */
async function seedApplication(manager: EntityManager, audit: AuditTrail, callId: string, project: DemoProject, index: number, organisation: Organisation, people: DemoYearPeople): Promise<SeededApplication> {
  const grantee = people.grantees.get(project.org)!;
  const plan = financePlan(project);
  const createdAt = at(addDays('2025-08-04', index * 3), '19:00');
  const submittedAt = at(addDays('2025-09-01', index * 3), `${String(9 + (index % 9)).padStart(2, '0')}:${String((index * 17) % 60).padStart(2, '0')}`);
  const content = {
    title: project.title,
    fieldOfAction: project.field,
    targetGroup: project.targetGroup,
    district: project.district,
    startDate: project.start,
    endDate: project.end,
    description: `${project.title}: regelmäßige Treffen im Stadtteil ${project.district} für ${project.targetGroup.toLowerCase()}.`,
    goals: 'Begegnung ermöglichen, Teilhabe stärken und Menschen unterschiedlicher Herkunft miteinander ins Gespräch bringen.',
    methods: 'Offene Treffen, Workshops mit Fachleuten, gemeinsame Abschlussveranstaltung; Einladung über Schulen, Kitas, Moscheen, Kirchen und Nachbarschaftstreffs.',
    expectedParticipants: project.planned,
    openness: 'Alle Angebote sind kostenlos und offen für alle Menschen, unabhängig von Herkunft, Religion und Weltanschauung.',
    costLines: plan.costLines,
    ownFundsCents: plan.ownFundsCents,
    thirdParty: plan.thirdParty,
    requestedCents: project.requested,
    declarations: DEFAULT_DECLARATIONS,
  };
  const id = await insert(manager, 'application', {
    call_id: callId,
    organisation_id: organisation.id,
    created_by: grantee.id,
    title: content.title,
    field_of_action: content.fieldOfAction,
    target_group: content.targetGroup,
    district: content.district,
    start_date: content.startDate,
    end_date: content.endDate,
    description: content.description,
    goals: content.goals,
    methods: content.methods,
    expected_participants: content.expectedParticipants,
    openness: content.openness,
    cost_lines: json(content.costLines),
    own_funds_cents: content.ownFundsCents,
    third_party: json(content.thirdParty),
    requested_cents: content.requestedCents,
    declarations: content.declarations,
    status: 'draft',
    machine_snapshot: step('draft'),
    machine_version: APPLICATION_MACHINE_VERSION,
    created_at: createdAt,
    updated_at: submittedAt,
  });
  const attachments = [];
  for (const [kind, filename] of [['Satzung', 'Satzung.pdf'], ['Freistellungsbescheid des Finanzamts', 'Freistellungsbescheid.pdf']]) {
    const bytes = attachmentPdf(`${kind} - ${organisation.name}`);
    const attachmentId = await insert(manager, 'attachment', {
      application_id: id, kind, filename, content_type: 'application/pdf', size_bytes: bytes.length, sha256: sha256(bytes), content: bytes, uploaded_by: grantee.id, created_at: new Date(createdAt.getTime() + 3_600_000),
    });
    attachments.push({ id: attachmentId, filename, kind, sha256: sha256(bytes) });
  }
  // An UPDATE … RETURNING answers [rows, count] through TypeORM.
  const [[{ reference }]] = await manager.query(
    `UPDATE application SET reference_number = 'NE-${DEMO_YEAR}-' || lpad(nextval('reference_number_${DEMO_YEAR}')::text, 4, '0'), status = 'submitted', machine_snapshot = $2,
            submission_count = 1, submitted_at = $3, first_submitted_at = $3, version = 2
     WHERE id = $1 RETURNING reference_number AS reference`,
    [id, step('submitted'), submittedAt],
  );
  await manager.query(`INSERT INTO application_version (application_id, number, submitted_at, submitted_by, snapshot) VALUES ($1, 1, $2, $3, $4)`, [
    id, submittedAt, grantee.id, json({ ...content, attachments, referenceNumber: reference }),
  ]);
  audit.add({ at: createdAt, actor: grantee, action: 'application.created', entityType: 'application', entityId: id, after: { title: project.title, callId } });
  audit.add({ at: submittedAt, actor: grantee, action: 'application.submitted', entityType: 'application', entityId: id, before: { status: 'draft' }, after: { status: 'submitted', number: 1, referenceNumber: reference } });
  return { project, id, referenceNumber: reference, submittedAt, plan, organisation, grantee, payouts: [] };
}

/** The round table's session: attendance, one show of hands per item, ratings of the approved items, the allocation confirmed. */
async function seedSession(manager: EntityManager, audit: AuditTrail, callId: string, items: SeededApplication[], people: DemoYearPeople): Promise<void> {
  const { clerk, members } = people;
  const chair = members.find((m) => m.isChair)!;
  const regular = members.filter((m) => m.kind === 'member');
  const voters = regular.filter((m) => m.votingRight === 'voting');
  // Four voting members sent apologies; the chair and three advisory members came.
  const present = [...voters.slice(0, 10), ...voters.slice(12, 16), chair, ...regular.filter((m) => m.votingRight === 'advisory' && !m.isChair).slice(0, 3)];
  const presentVoters = present.filter((m) => m.votingRight === 'voting');
  const start = at(DAYS.session, '17:00');
  const sessionId = await insert(manager, 'council_session', {
    call_id: callId, scheduled_at: start, place: 'Rathaus Neuss, Markt 2, Raum 2.17', chair_member_id: chair.id, status: 'closed',
    statutory_voting_members: voters.length, opened_at: start, closed_at: at(DAYS.session, '19:10'), minute_taker_id: clerk.id, created_by: clerk.id,
    created_at: at('2025-10-20'), updated_at: at(DAYS.session, '19:10'), version: 3,
  });
  audit.add({ at: at('2025-10-20'), actor: clerk, action: 'session.scheduled', entityType: 'session', entityId: sessionId, after: { callId, scheduledAt: start, agenda: items.map((a) => a.referenceNumber) } });
  for (const member of present) {
    await manager.query(`INSERT INTO attendance (session_id, member_id, arrived_at) VALUES ($1, $2, $3)`, [sessionId, member.id, new Date(start.getTime() - 600_000)]);
  }
  const presence = present.map((m) => ({ memberId: m.id, standsInFor: null }));
  const funded: { applicationId: string; grantedCents: number }[] = [];
  for (const [position, application] of items.entries()) {
    const approved = application.project.awarded !== null;
    const opened = new Date(start.getTime() + (10 + position * 12) * 60_000);
    const conflicted = await manager.query(
      `SELECT a.member_id AS "memberId", string_agg(CASE a.kind WHEN 'board' THEN 'Vorstand' WHEN 'employment' THEN 'Anstellung' WHEN 'membership' THEN 'Mitgliedschaft' ELSE 'familiäre Verbindung' END, ', ') AS reason
       FROM member_affiliation a WHERE a.organisation_id = $1 GROUP BY a.member_id`,
      [application.organisation.id],
    );
    const out = new Set<string>(conflicted.map((c: { memberId: string }) => c.memberId));
    const eligible = presentVoters.filter((m) => !out.has(m.id));
    const choices = eligible.map((_, i) => (approved ? (i < eligible.length - 3 ? 'yes' : i === eligible.length - 1 ? 'no' : 'abstain') : i < 4 ? 'yes' : i < eligible.length - 2 ? 'no' : 'abstain'));
    const count = (c: string) => choices.filter((x) => x === c).length;
    const itemId = await insert(manager, 'agenda_item', {
      session_id: sessionId, application_id: application.id, position: position + 1, status: 'closed', recommended_cents: application.project.awarded,
      decision: approved ? 'approved' : 'rejected', yes_count: count('yes'), no_count: count('no'), abstain_count: count('abstain'), eligible_voters: eligible.length,
      opened_at: opened, closed_at: new Date(opened.getTime() + 10 * 60_000), presence: json(presence), version: 3,
    });
    for (const c of conflicted) {
      await manager.query(`INSERT INTO conflict_declaration (item_id, member_id, source, reason, declared_at, declared_by) VALUES ($1, $2, 'affiliation', $3, $4, $5)`, [itemId, c.memberId, c.reason, at('2025-10-20'), clerk.id]);
    }
    await manager.query(`INSERT INTO ballot (item_id, member_id, recorded_by_office) SELECT $1, unnest($2::uuid[]), true`, [itemId, eligible.map((m) => m.id)]);
    await manager.query(`INSERT INTO vote (item_id, member_id, choice) SELECT $1, unnest($2::uuid[]), unnest($3::text[])`, [itemId, eligible.map((m) => m.id), choices]);
    if (approved) {
      // Importance and urgency from 1 to 5, higher for the items the table valued more.
      const base = 5 - (position % 3);
      await manager.query(
        `INSERT INTO rating (item_id, member_id, importance, urgency, rated_at) SELECT $1, unnest($2::uuid[]), unnest($3::int[]), unnest($4::int[]), $5`,
        [itemId, eligible.map((m) => m.id), eligible.map((_, i) => Math.max(1, base - (i % 3 === 2 ? 1 : 0))), eligible.map((_, i) => Math.max(1, base - (i % 4 === 3 ? 2 : i % 2))), new Date(opened.getTime() + 11 * 60_000)],
      );
      funded.push({ applicationId: application.id, grantedCents: application.project.awarded! });
    }
    const decided = approved ? 'approved' : 'rejected';
    await manager.query(`UPDATE application SET status = $2, machine_snapshot = $3, version = version + 2, updated_at = $4 WHERE id = $1`, [application.id, decided, step(decided), new Date(opened.getTime() + 10 * 60_000)]);
    audit.add({ at: opened, actor: clerk, action: 'application.add_to_agenda', entityType: 'application', entityId: application.id, before: { status: 'eligible' }, after: { status: 'on_agenda' } });
    audit.add({
      at: new Date(opened.getTime() + 10 * 60_000), actor: clerk, action: 'session.item_closed', entityType: 'agenda_item', entityId: itemId,
      after: { decision: approved ? 'approved' : 'rejected', yes: count('yes'), no: count('no'), abstain: count('abstain'), eligibleVoters: eligible.length, recommendedCents: application.project.awarded },
    });
  }
  await manager.query(`INSERT INTO allocation_snapshot (call_id, funded, confirmed_at, confirmed_by) VALUES ($1, $2, $3, $4)`, [callId, json(funded), at(DAYS.allocated), clerk.id]);
}

/** An award or rejection letter, rendered as the letter job renders it and stored as sent. */
function decisionLetter(application: SeededApplication, decisionId: string, clerk: Person): LetterJob {
  const { project, plan } = application;
  const base = letterBase(application, DAYS.released, clerk);
  let render: (renderer: DocumentRenderer) => Promise<Buffer>;
  if (project.awarded === null) {
    const letter: DecisionRejectionDocument = { ...base, reason: 'voted_down', reasonNote: null };
    render = (renderer) => renderer.render('decisionRejection', letter, 'de');
  } else {
    const letter: AwardLetterDocument = {
      ...base,
      amountCents: project.awarded,
      purpose: project.title,
      periodStart: project.start,
      periodEnd: project.end,
      financeType: 'deficit',
      sharePercent: null,
      maxAmountCents: 500_000,
      financePlan: { costLines: plan.costLines, ownFundsCents: plan.ownFundsCents, thirdParty: plan.thirdParty, totalCostsCents: plan.total },
      specialConditions: project.org === 17 ? ['Die Materialien der Workshops werden der Stadt Neuss zur Verfügung gestellt.'] : [],
      reportDueDate: addMonths(project.end, 3),
      paymentWindowMonths: 2,
      lineDeviationPercent: 20,
    };
    render = (renderer) => renderer.render('award', letter, 'de');
  }
  const filename = `${project.awarded === null ? 'Ablehnungsbescheid' : 'Zuwendungsbescheid'}-${application.referenceNumber}.pdf`;
  return {
    render,
    store: (manager, content) => manager.query(`INSERT INTO decision_letter (decision_id, filename, content, sha256, created_at) VALUES ($1, $2, $3, $4, $5)`, [decisionId, filename, content, sha256(content), at(DAYS.released, '11:01')]),
  };
}

function letterBase(application: SeededApplication, date: string, clerk: Person): DecisionLetterBase {
  const { organisation, grantee, project } = application;
  return {
    referenceNumber: application.referenceNumber,
    date,
    organisation: { name: organisation.name, street: organisation.street, postalCode: organisation.postalCode, city: organisation.city },
    contactName: grantee.fullName,
    clerkName: clerk.fullName,
    clerkPhone: letterText('de', 'office.phone'),
    clerkEmail: clerk.email,
    applicationTitle: project.title,
    callTitle: DEMO_YEAR_TITLE,
    callYear: DEMO_YEAR,
    submittedAt: application.submittedAt.toISOString(),
    requestedCents: project.requested,
  };
}

/**
 * Payment requests: most projects in two tranches (first in January, the rest in May), each
 * confirmed by one clerk and released by the other, and exported to the treasury in two batches.
 */
async function seedPayouts(manager: EntityManager, audit: AuditTrail, callId: string, funded: SeededApplication[], people: DemoYearPeople, config: AppConfig): Promise<void> {
  const { clerk, approver } = people;
  const batches = new Map<string, PayoutLine[]>();
  for (const application of funded) {
    const { project } = application;
    const award = project.awarded!;
    // Neik spent less than planned and never called the last part of its grant.
    const total = project.outcome === 'settled_lower' ? award - 60_000 : award;
    const tranches = project.end <= '2026-05-31' || project.outcome === 'overdue' ? [total] : [Math.round((total * 0.6) / 10_000) * 10_000, total - Math.round((total * 0.6) / 10_000) * 10_000];
    for (const [i, amount] of tranches.entries()) {
      const releasedOn = i === 0 ? DAYS.firstPayouts : DAYS.secondPayouts;
      const requestedOn = addDays(releasedOn, -6);
      const neededOn = i === 0 ? (project.start > '2026-02-01' ? project.start : '2026-02-01') : '2026-05-15';
      const paymentId = randomUUID();
      await manager.query(
        `INSERT INTO payment_request (id, decision_id, call_id, amount_cents, needed_on, purpose, status, requested_by, requested_at, confirmed_by, confirmed_at, released_by, released_at, value_date, version)
         VALUES ($1, $2, $3, $4, $5, $6, 'released', $7, $8, $9, $10, $11, $12, $5, 3)`,
        [paymentId, application.decisionId, callId, amount, neededOn, i === 0 ? 'Honorare und Material der ersten Monate' : 'Honorare, Raummiete und Abschlussveranstaltung',
          application.grantee.id, at(requestedOn, '20:15'), clerk.id, at(addDays(releasedOn, -2), '09:40'), approver.id, at(releasedOn, '10:30')],
      );
      await manager.query(`INSERT INTO ledger_entry (call_id, kind, amount_cents, decision_id, payment_id, booked_at, booked_by) VALUES ($1, 'paid', $2, $3, $4, $5, $6)`, [callId, amount, application.decisionId, paymentId, at(releasedOn, '10:30'), approver.id]);
      application.payouts.push({ id: paymentId, amountCents: amount, valueDate: neededOn });
      audit.add({ at: at(requestedOn, '20:15'), actor: application.grantee, action: 'payment.requested', entityType: 'payment', entityId: paymentId, after: { amountCents: amount, neededOn } });
      audit.add({ at: at(addDays(releasedOn, -2), '09:40'), actor: clerk, action: 'payment.confirmed', entityType: 'payment', entityId: paymentId, before: { status: 'requested' }, after: { status: 'confirmed', valueDate: null } });
      audit.add({ at: at(releasedOn, '10:30'), actor: approver, action: 'payment.released', entityType: 'payment', entityId: paymentId, before: { status: 'confirmed' }, after: { status: 'released', valueDate: neededOn } });
      const lines = batches.get(releasedOn) ?? [];
      lines.push({
        payoutId: paymentId, creditorName: application.organisation.accountHolder ?? application.organisation.name, iban: application.organisation.iban, bic: null,
        amountCents: amount, dueOn: neededOn, budgetLine: config.paymentBudgetLine, reference: application.referenceNumber, purpose: i === 0 ? 'Honorare und Material der ersten Monate' : 'Honorare, Raummiete und Abschlussveranstaltung',
      });
      batches.set(releasedOn, lines);
    }
    await manager.query(`UPDATE decision SET requested_cents = $2 WHERE id = $1`, [application.decisionId, total]);
  }
  const columns = config.paymentCsvColumns ? parsePaymentCsvColumns(config.paymentCsvColumns) : DEFAULT_PAYMENT_CSV_COLUMNS;
  for (const [day, lines] of batches) {
    const id = randomUUID();
    const createdAt = at(day, '14:00');
    const totalCents = lines.reduce((sum, line) => sum + line.amountCents, 0);
    await manager.query(`INSERT INTO payment_export (id, created_at, created_by, payouts, total_cents, csv, sepa) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      id, createdAt, clerk.id, lines.length, totalCents, Buffer.from(paymentOrderCsv(lines, columns), 'utf8'),
      Buffer.from(sepaCreditTransfer({ messageId: id.replaceAll('-', ''), createdAt, debtor: config.paymentDebtor, lines }), 'utf8'),
    ]);
    await manager.query(`UPDATE payment_request SET export_id = $1 WHERE id = ANY($2::uuid[])`, [id, lines.map((line) => line.payoutId)]);
    audit.add({ at: createdAt, actor: clerk, action: 'payments.exported', entityType: 'payment_export', entityId: id, after: { payouts: lines.length, totalCents } });
  }
}

interface SeededReport {
  application: SeededApplication;
  id: string;
  submittedOn: string;
  acceptedOn: string;
  settlement: { input: SettlementInput; result: ReturnType<typeof settle> } | null;
  reductions: { position: number; payee: string; purpose: string; amountCents: number; admittedCents: number; reason: string }[];
}

/**
 * Usage reports: each funded project's statement against its plan, receipts, participants, and the
 * office's check closed with the settlement; one report is still missing after its deadline.
 */
async function seedReports(manager: EntityManager, audit: AuditTrail, callId: string, funded: SeededApplication[], people: DemoYearPeople): Promise<SeededReport[]> {
  const { clerk, approver } = people;
  const reports: SeededReport[] = [];
  for (const application of funded) {
    const { project, plan } = application;
    const dueOn = addMonths(project.end, 3);
    const createdAt = at(DAYS.released, '11:00');
    if (project.outcome === 'overdue') {
      const id = await insert(manager, 'usage_report', { decision_id: application.decisionId, call_id: callId, organisation_id: application.organisation.id, due_on: dueOn, created_at: createdAt, updated_at: createdAt });
      // The reminders went out as the daily run sends them: four weeks before, on the day, two weeks after.
      for (const [kind, sentOn] of [['four_weeks_before', addDays(dueOn, -28)], ['due_today', dueOn], ['two_weeks_overdue', addDays(dueOn, 14)]]) {
        await manager.query(`INSERT INTO report_reminder (report_id, kind, sent_on) VALUES ($1, $2, $3)`, [id, kind, sentOn]);
        audit.add({ at: at(sentOn, '07:00'), actor: null, action: 'usage_report.reminder_sent', entityType: 'usage_report', entityId: id, after: { kind, dueOn } });
      }
      continue;
    }
    // What was spent per cost line: as planned, or less where the project came out cheaper.
    const spentLess = project.outcome === 'claim' ? 80_000 : project.outcome === 'settled_lower' ? 110_000 : 0;
    const actual = plan.costLines.map((line, i) => line.amountCents - (i === 0 ? spentLess : 0));
    const receiptsRows: { position: number; date: string; payee: string; purpose: string; amountCents: number; costLine: number; admittedCents: number; finding: 'admitted' | 'reduced'; reason: string | null }[] = [];
    actual.forEach((cents, i) => {
      const first = Math.round(cents / 2 / 100) * 100;
      for (const [part, amountCents] of [[0, first], [1, cents - first]] as const) {
        const day = addDays(project.start, 20 + part * 60 + i * 5);
        receiptsRows.push({
          position: receiptsRows.length + 1, date: day, payee: RECEIPT_PAYEES[i][part], purpose: `${plan.costLines[i].description} (${part === 0 ? 'erste' : 'zweite'} Rechnung)`,
          amountCents, costLine: i + 1, admittedCents: amountCents, finding: 'admitted', reason: null,
        });
      }
    });
    if (project.outcome === 'claim') {
      // The office admitted the catering of the closing party only in part: drinks are not eligible.
      const receipt = receiptsRows.find((r) => r.costLine === 2)!;
      receipt.admittedCents = receipt.amountCents - 5_000;
      receipt.finding = 'reduced';
      receipt.reason = 'Getränke des Abschlussfests sind keine zuwendungsfähigen Ausgaben.';
    }
    const submittedOn = addDays(project.end, 40 + (project.org % 5) * 3);
    const startedOn = addDays(submittedOn, 7);
    const acceptedOn = addDays(startedOn, 10);
    const paidCents = application.payouts.reduce((sum, p) => sum + p.amountCents, 0);
    const input: SettlementInput = {
      financeType: 'deficit', sharePercent: null, awardedCents: project.awarded!, paidCents,
      admittedCostsCents: receiptsRows.reduce((sum, r) => sum + r.admittedCents, 0),
      ownFundsCents: plan.ownFundsCents, thirdPartyCents: project.thirdParty, otherIncomeCents: 0, plannedOwnFundsCents: plan.ownFundsCents,
    };
    const result = settle(input);
    const status = result.outcome === 'repayment' ? 'settled_with_claim' : 'accepted';
    const reached = project.reached!;
    const groups = participantGroups(project, reached);
    const id = await insert(manager, 'usage_report', {
      decision_id: application.decisionId, call_id: callId, organisation_id: application.organisation.id, due_on: dueOn, status,
      narrative: json(narrative(project)),
      actual_lines: json(actual.map((cents, i) => ({ key: String(i + 1), actualCents: cents }))),
      own_funds_cents: plan.ownFundsCents, third_party_cents: project.thirdParty, other_income_cents: 0,
      participants_total: reached, participant_groups: json(groups),
      submission_count: 1, first_submitted_at: at(submittedOn, '18:30'), submitted_at: at(submittedOn, '18:30'),
      content_checked_by: clerk.id, content_checked_at: at(addDays(startedOn, 3), '11:00'),
      figures_checked_by: approver.id, figures_checked_at: at(addDays(startedOn, 8), '15:00'),
      accepted_by: clerk.id, accepted_at: at(acceptedOn, '10:00'), settlement: json({ input, result }),
      created_at: createdAt, updated_at: at(acceptedOn, '10:00'), version: 8 + receiptsRows.length,
    });
    await manager.query(
      `INSERT INTO report_receipt (report_id, position, receipt_date, payee, purpose, amount_cents, cost_line, paid_on, finding, admitted_cents, finding_reason, found_by, found_at)
       SELECT $1::uuid, u.*, $11::uuid, $12::timestamptz FROM unnest($2::int[], $3::date[], $4::text[], $5::text[], $6::bigint[], $7::int[], $3::date[], $8::text[], $9::bigint[], $10::text[]) AS u`,
      [id, receiptsRows.map((r) => r.position), receiptsRows.map((r) => r.date), receiptsRows.map((r) => r.payee), receiptsRows.map((r) => r.purpose), receiptsRows.map((r) => r.amountCents),
        receiptsRows.map((r) => r.costLine), receiptsRows.map((r) => r.finding), receiptsRows.map((r) => r.admittedCents), receiptsRows.map((r) => r.reason), approver.id, at(addDays(startedOn, 6), '14:00')],
    );
    const freed = project.awarded! - Math.max(result.dueCents, paidCents);
    if (freed > 0) {
      await manager.query(`INSERT INTO ledger_entry (call_id, kind, amount_cents, decision_id, note, booked_at, booked_by) VALUES ($1, 'freed', $2, $3, 'usage report settled', $4, $5)`, [callId, freed, application.decisionId, at(acceptedOn, '10:00'), clerk.id]);
    }
    audit.add({ at: at(submittedOn, '18:30'), actor: application.grantee, action: 'usage_report.submitted', entityType: 'usage_report', entityId: id, before: { status: 'due' }, after: { status: 'submitted', submission: 1 } });
    audit.add({ at: at(startedOn, '09:00'), actor: clerk, action: 'usage_report.check_started', entityType: 'usage_report', entityId: id, before: { status: 'submitted' }, after: { status: 'in_check' } });
    audit.add({ at: at(addDays(startedOn, 3), '11:00'), actor: clerk, action: 'usage_report.content_checked', entityType: 'usage_report', entityId: id, before: { status: 'in_check' }, after: {} });
    audit.add({ at: at(addDays(startedOn, 8), '15:00'), actor: approver, action: 'usage_report.figures_checked', entityType: 'usage_report', entityId: id, before: { status: 'in_check' }, after: {} });
    audit.add({ at: at(acceptedOn, '10:00'), actor: clerk, action: 'usage_report.closed', entityType: 'usage_report', entityId: id, before: { status: 'in_check' }, after: { status, closing: true } });
    reports.push({
      application, id, submittedOn, acceptedOn, settlement: { input, result },
      reductions: receiptsRows.filter((r) => r.finding === 'reduced').map((r) => ({ position: r.position, payee: r.payee, purpose: r.purpose, amountCents: r.amountCents, admittedCents: r.admittedCents, reason: r.reason! })),
    });
  }
  return reports;
}

const RECEIPT_PAYEES: [string, string][] = [
  ['Honorarkraft A. Yıldız', 'Honorarkraft M. Becker'],
  ['Copyshop am Markt Neuss', 'Bürobedarf Rheinland GmbH'],
  ['Gemeindezentrum Neuss', 'Bürgerhaus des Stadtteils'],
  ['Druckerei Quirinus', 'Neuss-Grevenbroicher Zeitung, Anzeigen'],
];

function narrative(project: DemoProject) {
  const more = project.reached! > project.planned;
  return {
    activities: `Wir haben ${project.title} wie geplant durchgeführt: regelmäßige Termine im Stadtteil ${project.district} und eine Abschlussveranstaltung.`,
    goalsReached: more ? 'Die Ziele wurden erreicht; das Angebot wurde stärker nachgefragt als erwartet.' : 'Die Ziele wurden weitgehend erreicht; einige Termine waren schwächer besucht als erhofft.',
    reached: `Erreicht haben wir ${project.reached} Menschen (geplant waren ${project.planned}), ${project.targetGroup.toLowerCase()}.`,
    problems: more ? 'Die Räume waren zeitweise zu klein.' : 'In den Sommerferien kamen weniger Teilnehmende.',
    learnings: 'Persönliche Ansprache über Schlüsselpersonen wirkt besser als Flyer.',
    openToAll: true,
    opennessNote: 'Alle Termine waren kostenlos und offen für alle.',
  };
}

/** One or two groups per project, with the call's breakdown; counts add up to the total reached. */
function participantGroups(project: DemoProject, reached: number) {
  const split = (count: number) => {
    const women = Math.round(count * (project.targetGroup.startsWith('Frauen') ? 1 : 0.58));
    return { Frauen: women, Männer: count - women };
  };
  if (reached < 70) return [{ label: 'Regelmäßige Treffen', count: reached, breakdown: split(reached) }];
  const closing = Math.round(reached * 0.3);
  return [
    { label: 'Workshops und Treffen', count: reached - closing, breakdown: split(reached - closing) },
    { label: 'Abschlussveranstaltung', count: closing, breakdown: split(closing) },
  ];
}

/** The repayment claim of the report settled with one: drafted, released by the other clerk, the refund booked; answers the job that renders and stores its letter. */
async function seedClaim(manager: EntityManager, audit: AuditTrail, callId: string, reports: SeededReport[], people: DemoYearPeople, config: AppConfig): Promise<LetterJob | null> {
  const { clerk, approver } = people;
  const report = reports.find((r) => r.settlement?.result.outcome === 'repayment');
  if (!report) return null;
  const { application } = report;
  const settlement = report.settlement!;
  const repaymentCents = settlement.result.paidCents - settlement.result.dueCents;
  const draftedOn = addDays(report.acceptedOn, 2);
  const sentOn = addDays(draftedOn, 1);
  const paymentDueOn = addMonths(sentOn, 1);
  const repaidOn = addDays(sentOn, 20);
  const revokedFrom = application.payouts[0].valueDate;
  const baseRates: BaseRate[] = (await manager.query(`SELECT valid_from::text AS "from", basis_points AS "basisPoints" FROM base_rate ORDER BY valid_from`)) as BaseRate[];
  const interest = repaymentInterest({ principalCents: repaymentCents, from: revokedFrom, until: paymentDueOn, baseRates, dayCount: 'act/365' });
  const storedInterest = { marginBasisPoints: DEFAULT_MARGIN_BASIS_POINTS, dayCount: 'act/365', until: paymentDueOn, lines: interest.lines, totalCents: interest.totalCents };
  const claimId = await insert(manager, 'repayment_claim', {
    report_id: report.id, decision_id: application.decisionId, call_id: callId, status: 'repaid', repayment_cents: repaymentCents, revoked_from: revokedFrom, payment_due_on: paymentDueOn,
    interest: json(storedInterest), interest_cents: interest.totalCents, drafted_by: clerk.id, drafted_at: at(draftedOn, '14:00'),
    released_by: approver.id, released_at: at(sentOn, '09:30'), sent_on: sentOn, repaid_on: repaidOn, repaid_booked_by: clerk.id, version: 3,
  });
  const total = repaymentCents + interest.totalCents;
  await manager.query(`INSERT INTO ledger_entry (call_id, kind, amount_cents, decision_id, claim_id, note, booked_at, booked_by) VALUES ($1, 'freed', $2, $3, $4, 'repaid', $5, $6)`, [
    callId, repaymentCents, application.decisionId, claimId, at(addDays(repaidOn, 1), '10:00'), clerk.id,
  ]);
  audit.add({ at: at(draftedOn, '14:00'), actor: clerk, action: 'repayment_claim.drafted', entityType: 'repayment_claim', entityId: claimId, before: null, after: { reportId: report.id, repaymentCents, revokedFrom, paymentDueOn, interestCents: interest.totalCents, interestWaiver: null, lateUseInterestCents: 0 } });
  audit.add({ at: at(sentOn, '09:30'), actor: approver, action: 'repayment_claim.released', entityType: 'repayment_claim', entityId: claimId, before: { status: 'draft' }, after: { status: 'released', totalClaimedCents: total, sentOn } });
  audit.add({ at: at(addDays(repaidOn, 1), '10:00'), actor: clerk, action: 'repayment_claim.repaid', entityType: 'repayment_claim', entityId: claimId, before: { status: 'released' }, after: { status: 'repaid', repaidOn, receivedCents: total, freedCents: repaymentCents } });

  const money = (cents: number) => formatEuroCents(cents, 'de');
  const letter: RepaymentClaimDocument = {
    ...letterBase(application, sentOn, approver),
    award: { amountCents: application.project.awarded!, date: DAYS.released, referenceNumber: application.referenceNumber },
    financeType: 'deficit',
    usageReport: { submittedOn: report.submittedOn, admittedOn: report.acceptedOn },
    reductions: report.reductions.map((r) => letterText('de', 'claim.reduction', { position: r.position, payee: r.payee, purpose: r.purpose, amount: money(r.amountCents), admitted: money(r.admittedCents), reason: r.reason })),
    settlementLines: settlement.result.lines as RepaymentClaimDocument['settlementLines'],
    dueCents: settlement.result.dueCents,
    paidCents: settlement.result.paidCents,
    repaymentCents,
    revokedFrom,
    interest: { marginBasisPoints: DEFAULT_MARGIN_BASIS_POINTS, until: paymentDueOn, lines: interest.lines, totalCents: interest.totalCents },
    interestWaiver: null,
    lateUse: null,
    paymentDueDate: paymentDueOn,
    account: { name: config.paymentDebtor.name, iban: config.paymentDebtor.iban, bic: config.paymentDebtor.bic, paymentReference: letterText('de', 'claim.reference', { referenceNumber: application.referenceNumber }) },
    totalClaimedCents: total,
  };
  return {
    render: (renderer) => renderer.render('repaymentClaim', letter, 'de'),
    store: (store, content) => store.query(`INSERT INTO repayment_claim_letter (claim_id, filename, content, sha256, created_at) VALUES ($1, $2, $3, $4, $5)`, [
      claimId, `Rueckforderungsbescheid-${application.referenceNumber}.pdf`, content, sha256(content), at(sentOn, '09:31'),
    ]),
  };
}

/** Site visits: planned in the first weeks, done while the project ran; one project was never visited. */
async function seedVisits(manager: EntityManager, audit: AuditTrail, callId: string, funded: SeededApplication[], people: DemoYearPeople): Promise<void> {
  const { clerk, approver } = people;
  for (const application of funded.filter((a) => a.project.visited)) {
    const { project } = application;
    const visitOn = addDays(project.start, 45 + (project.org % 4) * 7);
    const plannedOn = addDays(project.start, 10);
    const partly = project.reached !== null && project.reached < project.planned;
    const checklist = {
      activity_as_described: 'yes',
      target_group_reached: partly ? 'partly' : 'yes',
      open_to_everyone: 'yes',
      participants_present: 'yes',
      publicity_names_city: project.org % 2 === 0 ? 'yes' : 'partly',
    };
    const id = await insert(manager, 'site_visit', {
      decision_id: application.decisionId, call_id: callId, status: 'done', visit_on: visitOn, staff: `${clerk.fullName}, ${approver.fullName}`,
      checklist: json(checklist), notes: `Besuch eines Termins in ${project.district}; freundliche Atmosphäre, ${partly ? 'weniger Teilnehmende als geplant' : 'gut besucht'}.`,
      planned_by: clerk.id, recorded_by: clerk.id, recorded_at: at(addDays(visitOn, 1), '09:00'), created_at: at(plannedOn, '12:00'), version: 2,
    });
    audit.add({ at: at(plannedOn, '12:00'), actor: clerk, action: 'visit.planned', entityType: 'site_visit', entityId: id, after: { decisionId: application.decisionId, visitOn, staff: `${clerk.fullName}, ${approver.fullName}` } });
    audit.add({ at: at(addDays(visitOn, 1), '09:00'), actor: clerk, action: 'visit.recorded', entityType: 'site_visit', entityId: id, after: { visitOn, checklist } });
  }
}
