import { describe, expect, it } from '@jest/globals';
import { translate } from '../web/i18n.js';
import { financeSums, maxFundable, submissionProblems, type ApplicationContent, type CallRules } from './application.rules.js';

const rules: CallRules = {
  fieldsOfAction: ['Sprachförderung', 'Diversität'],
  fundingPeriodStart: '2027-04-01',
  fundingPeriodEnd: '2027-12-31',
  financeType: 'deficit',
  sharePercent: null,
  maxAmountCents: 500_000,
  minOwnContributionPercent: 10,
  costCategories: ['Honorare', 'Sachkosten'],
  requiredAttachments: ['Satzung'],
  declarations: ['offen für alle'],
};

const complete: ApplicationContent = {
  title: 'Sprachcafé', fieldOfAction: 'Sprachförderung', targetGroup: 'Neu Zugewanderte', district: 'Erfttal',
  startDate: '2027-05-01', endDate: '2027-10-31', description: 'd', goals: 'g', methods: 'm', expectedParticipants: 40, openness: 'o',
  costLines: [{ category: 'Honorare', description: 'Kursleitung', amountCents: 300_000 }, { category: 'Sachkosten', description: 'Material', amountCents: 50_000 }],
  ownFundsCents: 50_000, thirdParty: [{ source: 'Stiftung', amountCents: 20_000, status: 'applied' }], requestedCents: 280_000, declarations: ['offen für alle'],
};

describe('submission rules', () => {
  it('an unbalanced plan names its sums: costs, own, third-party, requested and the difference', () => {
    const unbalanced = { ...complete, requestedCents: 290_000 };
    expect(financeSums(unbalanced)).toEqual({ totalCostsCents: 350_000, ownFundsCents: 50_000, thirdPartyCents: 20_000, requestedCents: 290_000, fundsCents: 360_000, differenceCents: -10_000 });
    const [key] = submissionProblems(unbalanced, rules, ['Satzung']).requestedCents;
    const message = translate('de', key).replace(/\u00a0/g, ' ');
    for (const amount of ['3.500,00 €', '500,00 €', '200,00 €', '2.900,00 €', '3.600,00 €', '100,00 €']) expect(message).toContain(amount);
    expect(message).toContain('100,00 € mehr');
    expect(translate('en', key)).toContain('€3,500.00');
    const [gap] = submissionProblems({ ...complete, requestedCents: 270_000 }, rules, ['Satzung']).requestedCents;
    expect(translate('de', gap).replace(/\u00a0/g, ' ')).toContain('Es fehlen 100,00 €');
  });

  it('a complete, balanced application within the rules has no problems', () => {
    expect(submissionProblems(complete, rules, ['Satzung'])).toEqual({});
  });

  it('names each broken rule at its field', () => {
    const problems = submissionProblems(
      { ...complete, fieldOfAction: 'Kochen', startDate: '2027-03-01', endDate: '2027-02-01', requestedCents: 290_000, declarations: [], costLines: [{ ...complete.costLines[0], category: 'Reisen' }, complete.costLines[1]] },
      rules,
      [],
    );
    expect(problems).toEqual({
      fieldOfAction: ['application.unknownFieldOfAction'],
      startDate: ['application.outsidePeriod'],
      endDate: ['validation.endBeforeStart'],
      'costLines.0.category': ['application.unknownCategory'],
      requestedCents: [expect.stringMatching(/^application\.unbalancedOver\?/)],
      declarations: ['application.declarationsMissing'],
      attachments: ['application.attachmentMissing'],
    });
  });

  it('caps the requested amount and requires the own contribution', () => {
    const big = { ...complete, costLines: [{ category: 'Honorare', description: 'x', amountCents: 800_000 }], ownFundsCents: 100_000, thirdParty: [], requestedCents: 700_000 };
    expect(submissionProblems(big, rules, ['Satzung'])).toEqual({ requestedCents: ['application.overCap'] });
    const noOwn = { ...complete, ownFundsCents: 0, requestedCents: 330_000 };
    expect(submissionProblems(noOwn, rules, ['Satzung'])).toEqual({ ownFundsCents: ['application.ownTooLow'] });
  });

  it('share and fixed financing', () => {
    const share = { ...rules, financeType: 'share' as const, sharePercent: 50 };
    expect(maxFundable(share, complete)).toBe(175_000);
    expect(submissionProblems(complete, share, ['Satzung'])).toEqual({ requestedCents: ['application.overShare'] });
    const fixed = { ...rules, financeType: 'fixed' as const, maxAmountCents: 100_000 };
    expect(submissionProblems(complete, fixed, ['Satzung'])).toEqual({ requestedCents: ['application.notFixedAmount'] });
  });

  it('an empty draft lists what is missing', () => {
    const empty: ApplicationContent = { ...complete, fieldOfAction: null, targetGroup: null, district: null, startDate: null, endDate: null, description: null, goals: null, methods: null, expectedParticipants: null, openness: null, costLines: [], ownFundsCents: 0, thirdParty: [], requestedCents: null, declarations: [] };
    const problems = submissionProblems(empty, rules, []);
    expect(Object.keys(problems)).toEqual(expect.arrayContaining(['fieldOfAction', 'requestedCents', 'costLines', 'declarations', 'attachments']));
  });
});
