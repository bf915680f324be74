import { toCsv } from '../common/csv.js';
import type { FundedProject, FundingReport } from './transparency.types.js';

/**
 * Register courts (Registergerichte) of the organisations the city funds, with their identifier in
 * the org-id list DE-CR (org-id/register, lists/de/de-cr.json: the GLEIF registration-authority
 * code of each court). Keys are court names as normaliseCourt() leaves them.
 */
export const DE_CR_COURTS: Readonly<Record<string, string>> = {
  aachen: 'RA000197',
  bonn: 'RA000220',
  duesseldorf: 'RA000234',
  duisburg: 'RA000232',
  essen: 'RA000239',
  koeln: 'RA000280',
  krefeld: 'RA000283',
  moenchengladbach: 'RA000301',
  neuss: 'RA000309',
  wuppertal: 'RA000369',
};

/** "Amtsgericht Mönchengladbach", "AG Köln", "Registergericht Düsseldorf" → "moenchengladbach", "koeln", "duesseldorf". */
export function normaliseCourt(court: string): string {
  return transliterated(court)
    .replace(/\b(amtsgericht|registergericht|ag)\b\.?/g, '')
    .replace(/[^a-z]/g, '');
}

/** Register numbers the DE-CR list takes: the register's kind and the number, spaces removed ("VR 1234" → "VR1234"). */
const REGISTER_NUMBER = /^(VR|HRA|HRB|GNR|PR)(\d+)([A-Z]{0,3})$/;

/**
 * The organisation's id in the org-id scheme: `DE-CR-<court>-<register number>` when it is entered
 * in a register the mapping knows (a registered association: `DE-CR-RA000309-VR1234`), otherwise a
 * local id under the publisher's prefix, stable because it is the organisation's own id.
 */
export function organisationIdentifier(prefix: string, organisation: FundedProject['organisation']): string {
  const court = organisation.registerCourt ? DE_CR_COURTS[normaliseCourt(organisation.registerCourt)] : undefined;
  const number = (organisation.registerNumber ?? '').replace(/[\s.-]/g, '').toUpperCase();
  const match = REGISTER_NUMBER.exec(number);
  if (court && match) return `DE-CR-${court}-${match[1] === 'GNR' ? 'GnR' : match[1]}${match[2]}${match[3]}`;
  return `${prefix}-ORG-${organisation.id}`;
}

/** The city as funder: no register covers a municipality, so a local id under the prefix. */
export function funderIdentifier(prefix: string): string {
  return `${prefix}-ORG-stadt-neuss`;
}

export function grantIdentifier(prefix: string, referenceNumber: string): string {
  return `${prefix}-${referenceNumber}`;
}

/** Cents as the euro amount 360Giving expects (a number, no currency sign). */
function euros(cents: number): number {
  return Math.round(cents) / 100;
}

/** A slug for classification codes: "Interreligiöser Dialog" → "interreligioeser-dialog". */
export function slug(text: string): string {
  return transliterated(text).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Lower case with German umlauts written out, so that "Köln" and "Koeln" are the same court. */
function transliterated(text: string): string {
  return text.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss');
}

export interface PackageOptions {
  prefix: string;
  /** Where the call's Förderbericht is published (the grants' dataSource). */
  pageUrl: string;
  /** The day the package is made (issued), YYYY-MM-DD. */
  issued: string;
}

export const OPEN_DATA_LICENSE = 'https://www.govdata.de/dl-de/zero-2-0';

/** A 360Giving grant for one funded project (field names of the 360Giving Data Standard 1.4). */
export function toGrant(project: FundedProject, report: FundingReport, options: PackageOptions): Record<string, unknown> {
  const { prefix } = options;
  const paid = project.payouts.reduce((sum, payout) => sum + payout.amountCents, 0);
  const funder = funderIdentifier(prefix);
  const recipient = organisationIdentifier(prefix, project.organisation);
  const grant: Record<string, unknown> = {
    id: grantIdentifier(prefix, project.referenceNumber),
    title: project.title,
    description: project.purpose || project.title,
    currency: 'EUR',
    amountAwarded: euros(project.amountCents),
    awardDate: project.awardDate,
    recipientOrganization: [{ id: recipient, name: project.organisation.name, addressLocality: project.organisation.city, addressCountry: 'Deutschland' }],
    fundingOrganization: [{ id: funder, name: 'Stadt Neuss', department: 'Integrationsamt', addressLocality: 'Neuss', addressCountry: 'Deutschland' }],
    grantProgramme: [{ code: `${prefix}-CALL-${report.call.year}`, title: report.call.title }],
    fromOpenCall: 'Yes',
    dataSource: options.pageUrl,
  };
  if (project.periodStart || project.periodEnd) {
    grant.plannedDates = [{ ...(project.periodStart ? { startDate: project.periodStart } : {}), ...(project.periodEnd ? { endDate: project.periodEnd } : {}) }];
  }
  if (project.fieldOfAction) {
    grant.classifications = [{ vocabulary: `${prefix}-handlungsfeld`, code: slug(project.fieldOfAction), title: project.fieldOfAction }];
  }
  if (project.district) {
    grant.beneficiaryLocation = [{ id: `${prefix}-STADTTEIL-${slug(project.district)}`, name: project.district, description: 'Stadtteil der Stadt Neuss', countryCode: 'DE' }];
  }
  if (project.payouts.length > 0) {
    grant.amountDisbursed = euros(paid);
    grant.disbursementTransaction = project.payouts.map((payout) => ({
      id: `${grantIdentifier(prefix, project.referenceNumber)}-${payout.id}`,
      transactionDate: payout.valueDate,
      currency: 'EUR',
      value: euros(payout.amountCents),
      provider: funder,
      recipient,
    }));
  }
  return grant;
}

/**
 * The 360Giving package of a decided call. 360Giving asks for at least one grant per package, so a
 * call without funded projects gives a package with none (the service answers that with a 404).
 */
export function toPackage(report: FundingReport, options: PackageOptions): Record<string, unknown> {
  return {
    version: '1.4',
    title: `Förderbericht ${report.call.year}: ${report.call.title}`,
    description: 'Bewilligte Zuschüsse der Stadt Neuss für Integrationsprojekte (Runder Tisch Integrationsförderung)',
    identifier: `${options.prefix}-CALL-${report.call.year}`,
    issued: options.issued,
    publisher: { identifier: funderIdentifier(options.prefix), name: 'Stadt Neuss' },
    license: OPEN_DATA_LICENSE,
    accessURL: options.pageUrl,
    grants: report.projects.map((project) => toGrant(project, report, options)),
  };
}

/** The CSV columns of the open-data export, in order. */
export const CSV_COLUMNS = [
  'Kennung', 'Aktenzeichen', 'Förderaufruf', 'Jahr', 'Organisation', 'Organisationskennung', 'Ort', 'Projekt', 'Handlungsfeld', 'Stadtteil',
  'Beginn', 'Ende', 'Bewilligungsdatum', 'Bewilligt (EUR)', 'Ausgezahlt (EUR)',
] as const;

/** Euros with a decimal point and two places, as open-data tools read them ("2800.00"). */
function euroText(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** The call's funded projects as a CSV file (semicolons, UTF-8 with BOM, as the project's other CSVs). */
export function toOpenDataCsv(report: FundingReport, prefix: string): string {
  const rows = report.projects.map((project) => [
    grantIdentifier(prefix, project.referenceNumber),
    project.referenceNumber,
    report.call.title,
    report.call.year,
    project.organisation.name,
    organisationIdentifier(prefix, project.organisation),
    project.organisation.city,
    project.title,
    project.fieldOfAction,
    project.district,
    project.periodStart,
    project.periodEnd,
    project.awardDate,
    euroText(project.amountCents),
    euroText(project.payouts.reduce((sum, payout) => sum + payout.amountCents, 0)),
  ]);
  return toCsv([CSV_COLUMNS, ...rows]);
}
