import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, DE_CR_COURTS, funderIdentifier, normaliseCourt, organisationIdentifier, toGrant, toOpenDataCsv, toPackage } from './open-data.rules.js';
import type { FundedProject, FundingReport } from './transparency.types.js';

const PREFIX = '360G-stadtneuss';
const ORG_ID = '0b6f2a4e-5c1d-4f7a-9a43-1d2e3f4a5b6c';
const organisation = (registerCourt: string | null, registerNumber: string | null) => ({ id: ORG_ID, name: 'Deutsch-Türkischer Kulturverein Neuss e.V.', registerCourt, registerNumber, city: 'Neuss' });

describe('organisation ids in the org-id scheme', () => {
  it('knows the register courts of the region by their DE-CR codes (org-id/register, lists/de/de-cr.json)', () => {
    expect(DE_CR_COURTS).toMatchObject({ neuss: 'RA000309', duesseldorf: 'RA000234', koeln: 'RA000280', moenchengladbach: 'RA000301', krefeld: 'RA000283' });
  });

  it('reads court names as people write them', () => {
    expect(normaliseCourt('Amtsgericht Neuss')).toBe('neuss');
    expect(normaliseCourt('AG Düsseldorf')).toBe('duesseldorf');
    expect(normaliseCourt('Registergericht Köln')).toBe('koeln');
    expect(normaliseCourt('Amtsgericht Mönchengladbach')).toBe('moenchengladbach');
    expect(normaliseCourt('Amtsgericht Moenchengladbach')).toBe('moenchengladbach');
    expect(normaliseCourt(' krefeld ')).toBe('krefeld');
  });

  it('gives a registered association DE-CR-<court>-VR<number>, spaces removed', () => {
    expect(organisationIdentifier(PREFIX, organisation('Amtsgericht Neuss', 'VR 1200'))).toBe('DE-CR-RA000309-VR1200');
    expect(organisationIdentifier(PREFIX, organisation('Amtsgericht Düsseldorf', 'VR 11623'))).toBe('DE-CR-RA000234-VR11623');
    expect(organisationIdentifier(PREFIX, organisation('AG Köln', 'VR 8726'))).toBe('DE-CR-RA000280-VR8726');
    expect(organisationIdentifier(PREFIX, organisation('Amtsgericht Mönchengladbach', 'vr 305'))).toBe('DE-CR-RA000301-VR305');
    expect(organisationIdentifier(PREFIX, organisation('Amtsgericht Krefeld', 'VR 4711'))).toBe('DE-CR-RA000283-VR4711');
    expect(organisationIdentifier(PREFIX, organisation('Amtsgericht Neuss', 'HRB 1237'))).toBe('DE-CR-RA000309-HRB1237');
  });

  it('falls back to a local id under the prefix: no register, an unknown court or an unreadable number', () => {
    const local = `${PREFIX}-ORG-${ORG_ID}`;
    expect(organisationIdentifier(PREFIX, organisation(null, null))).toBe(local);
    expect(organisationIdentifier(PREFIX, organisation('Amtsgericht Passau', 'VR 12'))).toBe(local);
    expect(organisationIdentifier(PREFIX, organisation('Amtsgericht Neuss', 'beantragt'))).toBe(local);
    expect(funderIdentifier(PREFIX)).toBe('360G-stadtneuss-ORG-stadt-neuss');
  });
});

const project: FundedProject = {
  referenceNumber: 'NE-2026-0007',
  title: 'Sprachcafé im Quartier',
  purpose: 'Wöchentliches Sprachcafé mit Kinderbetreuung',
  fieldOfAction: 'Sprachförderung',
  district: 'Erfttal',
  periodStart: '2027-01-01',
  periodEnd: '2027-12-31',
  amountCents: 280_050,
  awardDate: '2026-11-20',
  organisation: organisation('Amtsgericht Neuss', 'VR 1200'),
  payouts: [{ id: 'p1', valueDate: '2027-01-15', amountCents: 100_000 }, { id: 'p2', valueDate: '2027-05-15', amountCents: 80_025 }],
};
const report: FundingReport = {
  call: { id: 'c1', year: 2026, title: 'Integrationsförderung 2026', status: 'decided', budgetCents: 3_000_000, fundedCount: 1, awardedCents: 280_050 },
  projects: [project],
};
const options = { prefix: PREFIX, pageUrl: 'https://foerdertisch.neuss.de/foerderbericht/c1', issued: '2026-11-30' };

describe('360Giving grants', () => {
  it('uses the standard’s field names: euros, dates, classifications, locations and payouts as disbursements', () => {
    expect(toGrant(project, report, options)).toEqual({
      id: '360G-stadtneuss-NE-2026-0007',
      title: 'Sprachcafé im Quartier',
      description: 'Wöchentliches Sprachcafé mit Kinderbetreuung',
      currency: 'EUR',
      amountAwarded: 2800.5,
      amountDisbursed: 1800.25,
      awardDate: '2026-11-20',
      plannedDates: [{ startDate: '2027-01-01', endDate: '2027-12-31' }],
      recipientOrganization: [{ id: 'DE-CR-RA000309-VR1200', name: 'Deutsch-Türkischer Kulturverein Neuss e.V.', addressLocality: 'Neuss', addressCountry: 'Deutschland' }],
      fundingOrganization: [{ id: '360G-stadtneuss-ORG-stadt-neuss', name: 'Stadt Neuss', department: 'Integrationsamt', addressLocality: 'Neuss', addressCountry: 'Deutschland' }],
      grantProgramme: [{ code: '360G-stadtneuss-CALL-2026', title: 'Integrationsförderung 2026' }],
      fromOpenCall: 'Yes',
      dataSource: options.pageUrl,
      classifications: [{ vocabulary: '360G-stadtneuss-handlungsfeld', code: 'sprachfoerderung', title: 'Sprachförderung' }],
      beneficiaryLocation: [{ id: '360G-stadtneuss-STADTTEIL-erfttal', name: 'Erfttal', description: 'Stadtteil der Stadt Neuss', countryCode: 'DE' }],
      disbursementTransaction: [
        { id: '360G-stadtneuss-NE-2026-0007-p1', transactionDate: '2027-01-15', currency: 'EUR', value: 1000, provider: '360G-stadtneuss-ORG-stadt-neuss', recipient: 'DE-CR-RA000309-VR1200' },
        { id: '360G-stadtneuss-NE-2026-0007-p2', transactionDate: '2027-05-15', currency: 'EUR', value: 800.25, provider: '360G-stadtneuss-ORG-stadt-neuss', recipient: 'DE-CR-RA000309-VR1200' },
      ],
    });
  });

  it('leaves out what is not known rather than writing empty values', () => {
    const grant = toGrant({ ...project, purpose: null, fieldOfAction: null, district: null, periodStart: null, periodEnd: null, payouts: [] }, report, options);
    expect(grant.description).toBe('Sprachcafé im Quartier');
    for (const key of ['classifications', 'beneficiaryLocation', 'plannedDates', 'disbursementTransaction', 'amountDisbursed']) expect(grant).not.toHaveProperty(key);
  });

  it('wraps the grants in a package with version, publisher and licence', () => {
    const data = toPackage(report, options);
    expect(data).toMatchObject({ version: '1.4', issued: '2026-11-30', publisher: { identifier: '360G-stadtneuss-ORG-stadt-neuss', name: 'Stadt Neuss' }, license: 'https://www.govdata.de/dl-de/zero-2-0' });
    expect((data.grants as unknown[]).length).toBe(1);
  });
});

describe('open-data CSV', () => {
  it('has one row per funded project with ids and euro amounts', () => {
    const csv = toOpenDataCsv(report, PREFIX);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv.slice(1), { delimiter: ';', columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual([...CSV_COLUMNS]);
    expect(rows).toEqual([{
      Kennung: '360G-stadtneuss-NE-2026-0007', Aktenzeichen: 'NE-2026-0007', 'Förderaufruf': 'Integrationsförderung 2026', Jahr: '2026',
      Organisation: 'Deutsch-Türkischer Kulturverein Neuss e.V.', Organisationskennung: 'DE-CR-RA000309-VR1200', Ort: 'Neuss', Projekt: 'Sprachcafé im Quartier',
      Handlungsfeld: 'Sprachförderung', Stadtteil: 'Erfttal', Beginn: '2027-01-01', Ende: '2027-12-31', Bewilligungsdatum: '2026-11-20',
      'Bewilligt (EUR)': '2800.50', 'Ausgezahlt (EUR)': '1800.25',
    }]);
  });
});
