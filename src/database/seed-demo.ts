import { availableParallelism } from 'node:os';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { FundingCall } from '../calls/call.entity.js';
import { CALL_MACHINE_VERSION } from '../calls/call.machine.js';
import { DEFAULT_DECLARATIONS, FIELDS_OF_ACTION_2025 } from '../calls/dto/call.dto.js';
import { berlinDay, berlinInstant } from '../common/dates.js';
import { hashPassword } from '../auth/auth.service.js';
import type { Role } from '../auth/roles.js';
import { User } from '../auth/user.entity.js';
import { NEUSS_DISTRICTS, type LegalForm } from '../common/neuss.js';
import { loadConfig, type AppConfig } from '../config/app-config.js';
import { Organisation, OrganisationContact, OrganisationUser } from '../organisations/organisation.entities.js';
import { DocumentRenderer } from '../renderer/document-renderer.js';
import { MemberAffiliation, RoundTableMember, type MemberGroup } from '../round-table/member.entities.js';
import { DEMO_YEAR_GRANTEE_ACCOUNTS, seedDemoYear, type LetterJob } from './seed-demo-year.js';

export const DEMO_PASSWORD = 'Neuss-Demo-2026';

/** One login per kind of user, printed at start-up and listed in the README. */
export const DEMO_LOGINS = [
  { label: 'Geschäftsstelle (office)', email: 'geschaeftsstelle@neuss.example' },
  { label: 'Geschäftsstelle, 2. Person', email: 'integrationsamt@neuss.example' },
  { label: 'Administration (admin)', email: 'admin@neuss.example' },
  { label: 'Vorsitz (chair)', email: 'vorsitz@neuss.example' },
  { label: 'Stimmberechtigt (voting)', email: 'stimmberechtigt@neuss.example' },
  { label: 'Beratend (advisory)', email: 'beratend@neuss.example' },
  { label: 'Verein (applicant)', email: 'verein@neuss.example' },
  { label: 'Zweiter Verein (applicant)', email: 'afrika-hilfe@neuss.example' },
] as const;

/** Migrant self-organisations and welfare associations named in the City of Neuss integration concept. */
const ORGANISATIONS: { name: string; legalForm: LegalForm; nonProfit: boolean }[] = [
  { name: 'Raum der Kulturen Neuss e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Afrika Hilfe zur Selbsthilfe e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Interkulturelles Frauennetzwerk Neuss e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Neusser Interkultur e.V. (Neik e.V.)', legalForm: 'ev', nonProfit: true },
  { name: 'Neusser Tandem-Treff (NE T-T) e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Puzzle-Frauen für Toleranz und Dialog e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Migrantinnenverein Neuss e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Lernzentrum Novaesium e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Tamilischer Kulturverein Neuss e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Filipino Gemeinschaft e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Deutsch-Pakistanischer Kulturverein Neuss e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Hoffnungsstern e.V. Verein für schutzbedürftige Weltkinder', legalForm: 'ev', nonProfit: true },
  { name: 'Slowenischer Kultur- und Sportverein Lipa e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Türkischer Elternverein für Bildung und Kultur Rhein-Kreis Neuss e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Landsmannschaft der Deutschen aus Russland e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Initiative zur Völkerverständigung ELELE', legalForm: 'nev', nonProfit: false },
  { name: 'Griechische Gemeinde Neuss', legalForm: 'nev', nonProfit: false },
  { name: 'Arbeiterwohlfahrt Ortsverein Neuss e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'CaritasSozialdienste Rhein-Kreis Neuss GmbH', legalForm: 'ggmbh', nonProfit: true },
  { name: 'Diakonie Rhein-Kreis Neuss e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Deutsches Rotes Kreuz Kreisverband Neuss e.V.', legalForm: 'ev', nonProfit: true },
  { name: 'Sozialdienst katholischer Frauen e.V. Neuss', legalForm: 'ev', nonProfit: true },
  { name: 'Sozialdienst katholischer Männer Neuss e.V.', legalForm: 'ev', nonProfit: true },
];

const STREETS = ['Hymgasse', 'Büchel', 'Krefelder Straße', 'Further Straße', 'Kapitelstraße', 'Niederstraße', 'Hammer Landstraße', 'Bergheimer Straße'];
const FACTIONS = ['CDU-Fraktion', 'SPD-Fraktion', 'Fraktion Bündnis 90/Die Grünen', 'FDP-Fraktion', 'Fraktion UWG/Freie Wähler', 'Fraktion Die Linke'];
const ELECTED = [
  'Ayşe Demir', 'Mehmet Yılmaz', 'Olena Kovalenko', 'Giorgos Papadopoulos', 'Fatima El Amrani', 'Tharshan Sivakumar',
  'Maria dos Santos', 'Dragan Petrović', 'Amina Okafor', 'Irina Schmidt', 'Jasmin Hadžić', 'Rafael Cruz',
];
const FACTION_NAMES = ['Hildegard Kamps', 'Thomas Weyers', 'Lea Brandt', 'Michael Hülsmann', 'Ursula Pesch', 'Jonas Falkenberg'];

interface SeedMember {
  fullName: string;
  group: MemberGroup;
  represents: string | null;
  voting: boolean;
  kind?: 'member' | 'deputy';
  isChair?: boolean;
  email?: string;
}

export async function isEmpty(dataSource: DataSource): Promise<boolean> {
  const [row] = await dataSource.query(`SELECT (SELECT count(*) FROM app_user) + (SELECT count(*) FROM organisation) AS n`);
  return Number(row.n) === 0;
}

/** A German IBAN with a correct checksum, for made-up demo bank accounts. */
export function demoIban(bankCode: string, account: number): string {
  const bban = bankCode + String(account).padStart(10, '0');
  const numeric = `${bban}131400`; // "DE00" with D=13, E=14
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return `DE${String(98 - remainder).padStart(2, '0')}${bban}`;
}

/**
 * Demo data for a first start: organisations, the round table, staff, one login per kind of user,
 * the decided and settled year 2026 (seed-demo-year.ts) and one open call, with the year's letters.
 */
export async function seedDemo(dataSource: DataSource, config: AppConfig = loadConfig()): Promise<void> {
  await (await seedDemoRows(dataSource, config)).letters;
}

/**
 * Writes and commits the demo data, and answers while the 2026 letters are still being rendered:
 * `letters` settles once they are stored, so that start-up builds the application meanwhile and
 * listens only after that.
 */
export async function seedDemoRows(dataSource: DataSource, config: AppConfig): Promise<{ letters: Promise<void> }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const jobs = await seedAll(dataSource, config, passwordHash);
  return { letters: storeLetters(dataSource, config, jobs) };
}

/** Renders the letters all at once in render threads of their own (closed afterwards) and stores them in one transaction. */
async function storeLetters(dataSource: DataSource, config: AppConfig, jobs: LetterJob[]): Promise<void> {
  // Nothing waits on these threads but the start itself, so they may use every core.
  const renderer = new DocumentRenderer({ ...config, pdfWorkers: Math.max(2, availableParallelism()) });
  try {
    const contents = await Promise.all(jobs.map((job) => job.render(renderer)));
    await dataSource.transaction(async (manager) => {
      for (const [i, job] of jobs.entries()) await job.store(manager, contents[i]);
    });
  } finally {
    await renderer.onModuleDestroy();
  }
}

async function seedAll(dataSource: DataSource, config: AppConfig, passwordHash: string): Promise<LetterJob[]> {
  return dataSource.transaction(async (manager) => {
    const user = (fullName: string, email: string, roles: Role[]) =>
      manager.getRepository(User).save(manager.getRepository(User).create({ fullName, email, roles, status: 'active', preferredLanguage: 'de', passwordHash }));

    const clerk = await user('Sabine Krüger', 'geschaeftsstelle@neuss.example', ['office']);
    const approver = await user('Daniel Esser', 'integrationsamt@neuss.example', ['office']);
    await user('Petra Lindner', 'admin@neuss.example', ['admin']);

    const organisations: Organisation[] = [];
    for (const [index, data] of ORGANISATIONS.entries()) {
      const registered = data.legalForm === 'ev' || data.legalForm === 'ggmbh';
      organisations.push(
        await manager.getRepository(Organisation).save(
          manager.getRepository(Organisation).create({
            name: data.name,
            legalForm: data.legalForm,
            registerCourt: registered ? 'Amtsgericht Neuss' : null,
            registerNumber: registered ? `${data.legalForm === 'ggmbh' ? 'HRB' : 'VR'} ${1200 + index * 37}` : null,
            nonProfit: data.nonProfit,
            nonProfitCertificateExpiresOn: data.nonProfit ? `${2027 + (index % 3)}-12-31` : null,
            street: `${STREETS[index % STREETS.length]} ${3 + index * 2}`,
            postalCode: ['41460', '41462', '41464', '41466', '41468', '41469', '41470', '41472'][index % 8],
            city: 'Neuss',
            district: NEUSS_DISTRICTS[(index * 5) % NEUSS_DISTRICTS.length],
            email: null,
            phone: `02131 ${String(900000 + index * 1117).slice(0, 6)}`,
            website: null,
            iban: demoIban('30550000', 93000000 + index * 131),
            bic: 'WELADEDNXXX',
            accountHolder: data.name,
            bankName: 'Sparkasse Neuss',
            // The last one waits for the office, to show the confirmation step.
            status: index === ORGANISATIONS.length - 1 ? 'pending' : 'confirmed',
            confirmedAt: index === ORGANISATIONS.length - 1 ? null : new Date('2025-05-12T09:00:00+02:00'),
          }),
        ),
      );
    }

    const applicant = await user('Leyla Aydın', 'verein@neuss.example', ['applicant']);
    const second = await user('Kofi Mensah', 'afrika-hilfe@neuss.example', ['applicant']);
    await link(manager, organisations[0], applicant, 'Vorsitzende');
    await link(manager, organisations[2], applicant, 'Kassiererin');
    await link(manager, organisations[1], second, 'Vorsitzender');
    const grantees = new Map<number, User>([[0, applicant], [1, second], [2, applicant]]);
    for (const [index, account] of Object.entries(DEMO_YEAR_GRANTEE_ACCOUNTS)) {
      const saved = await user(account.fullName, account.email, ['applicant']);
      await link(manager, organisations[Number(index)], saved, account.role);
      grantees.set(Number(index), saved);
    }

    const members: SeedMember[] = [
      { fullName: 'Dr. Katharina Voss', group: 'department', represents: 'Beigeordnete für Jugend, Integration und Soziales', voting: false, isChair: true, email: 'vorsitz@neuss.example' },
      ...ELECTED.map((fullName, i) => ({
        fullName,
        group: 'elected_migrant_representative' as const,
        represents: 'Integrationsrat',
        voting: true,
        // Three voting members have logins, so that a session can be tried from three browsers.
        email: i === 0 ? 'stimmberechtigt@neuss.example' : i < 3 ? `stimmberechtigt${i + 1}@neuss.example` : undefined,
      })),
      ...FACTIONS.map((represents, i) => ({ fullName: FACTION_NAMES[i], group: 'council_faction' as const, represents, voting: true })),
      { fullName: 'Monika Schäfer', group: 'welfare_association', represents: 'Arbeiterwohlfahrt Ortsverein Neuss e.V.', voting: false, email: 'beratend@neuss.example' },
      { fullName: 'Stefan Lorenz', group: 'welfare_association', represents: 'CaritasSozialdienste Rhein-Kreis Neuss GmbH', voting: false },
      { fullName: 'Claudia Berger', group: 'welfare_association', represents: 'Diakonie Rhein-Kreis Neuss e.V.', voting: false },
      { fullName: 'Markus Heinen', group: 'welfare_association', represents: 'Deutsches Rotes Kreuz Kreisverband Neuss e.V.', voting: false },
      { fullName: 'Andrea Wolff', group: 'department', represents: 'Amt für Schule und Bildung', voting: false },
      { fullName: 'Frank Mertens', group: 'department', represents: 'Jugendamt', voting: false },
      { fullName: 'Nadia Haddad', group: 'provider', represents: 'Jugendmigrationsdienst des Internationalen Bundes (IB) West gGmbH', voting: false },
      { fullName: 'Yusuf Kaya', group: 'elected_migrant_representative', represents: 'Integrationsrat', voting: true, kind: 'deputy' },
      { fullName: 'Svetlana Popova', group: 'elected_migrant_representative', represents: 'Integrationsrat', voting: true, kind: 'deputy' },
      { fullName: 'Bernd Jansen', group: 'council_faction', represents: 'CDU-Fraktion', voting: true, kind: 'deputy' },
    ];
    const saved: RoundTableMember[] = [];
    for (const m of members) {
      const account = m.email ? await user(m.fullName, m.email, [m.voting ? 'voting_member' : 'advisory_member', ...(m.isChair ? (['chair'] as Role[]) : [])]) : null;
      saved.push(
        await manager.getRepository(RoundTableMember).save(
          manager.getRepository(RoundTableMember).create({
            userId: account?.id ?? null,
            fullName: m.fullName,
            email: m.email ?? null,
            votingRight: m.voting ? 'voting' : 'advisory',
            group: m.group,
            represents: m.represents,
            kind: m.kind ?? 'member',
            isChair: m.isChair ?? false,
            termStart: '2025-11-01',
            termEnd: '2030-10-31',
            deputyId: null,
          }),
        ),
      );
    }
    const byName = (name: string) => saved.find((m) => m.fullName === name)!;
    await manager.update(RoundTableMember, { id: byName('Ayşe Demir').id }, { deputyId: byName('Yusuf Kaya').id });
    await manager.update(RoundTableMember, { id: byName('Mehmet Yılmaz').id }, { deputyId: byName('Svetlana Popova').id });
    await manager.update(RoundTableMember, { id: byName('Hildegard Kamps').id }, { deputyId: byName('Bernd Jansen').id });

    // Declared ties: the later conflict-of-interest check flags these members for these organisations.
    const affiliations: [string, number, MemberAffiliation['kind']][] = [
      ['Ayşe Demir', 13, 'board'],
      ['Tharshan Sivakumar', 8, 'board'],
      ['Fatima El Amrani', 6, 'membership'],
      ['Monika Schäfer', 17, 'employment'],
      ['Olena Kovalenko', 0, 'membership'],
    ];
    for (const [name, orgIndex, kind] of affiliations) {
      await manager.insert(MemberAffiliation, { memberId: byName(name).id, organisationId: organisations[orgIndex].id, kind, note: null, since: '2024-01-01' });
    }

    // The accounts and organisations took part in the 2026 year, so they existed before it began.
    await manager.query(`UPDATE app_user SET created_at = '2025-05-05T09:00:00+02:00'`);
    await manager.query(`UPDATE organisation SET created_at = '2025-05-05T09:00:00+02:00', updated_at = COALESCE(confirmed_at, updated_at)`);
    const { letters } = await seedDemoYear(manager, organisations, { clerk, approver, grantees, members: saved }, config);
    await seedCall(manager);

    await manager.insert(AuditEvent, { actorId: null, actorLabel: 'System', action: 'demo.seeded', entityType: 'system', entityId: null, before: null, after: { organisations: organisations.length, members: saved.length } });
    return letters;
  });
}

async function link(manager: EntityManager, organisation: Organisation, user: User, role: string): Promise<void> {
  await manager.insert(OrganisationUser, { organisationId: organisation.id, userId: user.id });
  await manager.insert(OrganisationContact, { organisationId: organisation.id, fullName: user.fullName, function: role, email: user.email, phone: null, isPrimary: true });
}

/** An open call whose deadline lies two months after the seeding, so the demo always has one to apply to. */
async function seedCall(manager: EntityManager): Promise<void> {
  const deadlineDay = berlinDay(new Date(Date.now() + 60 * 86400_000));
  const year = Number(deadlineDay.slice(0, 4)) + (Number(deadlineDay.slice(5, 7)) > 6 ? 1 : 0);
  await manager.insert(FundingCall, {
    year,
    title: 'Integrationsprojekte in Neuss',
    description: 'Die Stadt Neuss fördert Projekte, die das Zusammenleben in Vielfalt stärken. Der Runde Tisch Integrationsförderung berät die Anträge und legt eine Rangfolge fest.',
    budgetCents: 3_000_000,
    fieldsOfAction: FIELDS_OF_ACTION_2025,
    submissionDeadline: berlinInstant(deadlineDay, '23:59'),
    fundingPeriodStart: `${year}-04-01`,
    fundingPeriodEnd: `${year}-12-31`,
    financeType: 'deficit',
    sharePercent: null,
    maxAmountCents: 500_000,
    minOwnContributionPercent: 10,
    costCategories: ['Honorare', 'Sachkosten', 'Raummiete', 'Fahrtkosten', 'Öffentlichkeitsarbeit', 'Verpflegung'],
    requiredAttachments: ['Satzung', 'Freistellungsbescheid des Finanzamts'],
    declarations: DEFAULT_DECLARATIONS,
    reportDueMonths: 6,
    status: 'published',
    machineSnapshot: { value: 'published', context: {} },
    machineVersion: CALL_MACHINE_VERSION,
    publishedAt: new Date(),
  });
}
