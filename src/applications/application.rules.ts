import { messageWith, type FieldErrors } from '../common/errors.js';
import { NEUSS_DISTRICTS } from '../common/neuss.js';
import type { CallDocument } from '../calls/call.types.js';
import type { CostLine, ThirdPartyFunding } from './application.types.js';

/** The call's rules an application is checked against. */
export type CallRules = Pick<
  CallDocument,
  'fieldsOfAction' | 'fundingPeriodStart' | 'fundingPeriodEnd' | 'financeType' | 'sharePercent' | 'maxAmountCents' | 'minOwnContributionPercent' | 'costCategories' | 'requiredAttachments' | 'declarations'
>;

export interface ApplicationContent {
  title: string | null;
  fieldOfAction: string | null;
  targetGroup: string | null;
  district: string | null;
  startDate: string | null;
  endDate: string | null;
  description: string | null;
  goals: string | null;
  methods: string | null;
  expectedParticipants: number | null;
  openness: string | null;
  costLines: CostLine[];
  ownFundsCents: number;
  thirdParty: ThirdPartyFunding[];
  requestedCents: number | null;
  declarations: string[];
}

const REQUIRED: (keyof ApplicationContent)[] = [
  'title', 'fieldOfAction', 'targetGroup', 'district', 'startDate', 'endDate', 'description', 'goals', 'methods', 'expectedParticipants', 'openness', 'requestedCents',
];

export function totalCosts(content: Pick<ApplicationContent, 'costLines'>): number {
  return content.costLines.reduce((sum, line) => sum + line.amountCents, 0);
}

export function thirdPartyTotal(content: Pick<ApplicationContent, 'thirdParty'>): number {
  return content.thirdParty.reduce((sum, line) => sum + line.amountCents, 0);
}

/** The sums of a finance plan; a positive difference is a gap, a negative one more money than costs. */
export interface FinanceSums {
  totalCostsCents: number;
  ownFundsCents: number;
  thirdPartyCents: number;
  requestedCents: number;
  fundsCents: number;
  differenceCents: number;
}

export function financeSums(content: Pick<ApplicationContent, 'costLines' | 'ownFundsCents' | 'thirdParty' | 'requestedCents'>): FinanceSums {
  const totalCostsCents = totalCosts(content);
  const thirdPartyCents = thirdPartyTotal(content);
  const requestedCents = content.requestedCents ?? 0;
  const fundsCents = content.ownFundsCents + thirdPartyCents + requestedCents;
  return { totalCostsCents, ownFundsCents: content.ownFundsCents, thirdPartyCents, requestedCents, fundsCents, differenceCents: totalCostsCents - fundsCents };
}

/** The most the city may pay for this plan under the call's finance type and cap. */
export function maxFundable(rules: CallRules, content: ApplicationContent): number {
  const total = totalCosts(content);
  switch (rules.financeType) {
    case 'fixed':
      return rules.maxAmountCents;
    case 'share':
      return Math.min(rules.maxAmountCents, Math.floor((total * (rules.sharePercent ?? 0)) / 100));
    case 'deficit':
      return Math.min(rules.maxAmountCents, Math.max(0, total - content.ownFundsCents - thirdPartyTotal(content)));
  }
}

/**
 * Everything that must hold before an application can be submitted, as message keys per field.
 * Pure: the same answers for the page's "still missing" list and for the submission itself.
 */
export function submissionProblems(content: ApplicationContent, rules: CallRules, attachmentKinds: string[]): FieldErrors {
  const problems: FieldErrors = {};
  const add = (field: string, key: string) => (problems[field] ??= []).push(key);

  for (const field of REQUIRED) {
    const value = content[field];
    if (value === null || value === undefined || value === '') add(field, 'validation.required');
  }
  if (content.fieldOfAction && !rules.fieldsOfAction.includes(content.fieldOfAction)) add('fieldOfAction', 'application.unknownFieldOfAction');
  if (content.district && !(NEUSS_DISTRICTS as readonly string[]).includes(content.district)) add('district', 'validation.district');
  if (content.startDate && content.startDate < rules.fundingPeriodStart) add('startDate', 'application.outsidePeriod');
  if (content.endDate && content.endDate > rules.fundingPeriodEnd) add('endDate', 'application.outsidePeriod');
  if (content.startDate && content.endDate && content.endDate < content.startDate) add('endDate', 'validation.endBeforeStart');

  if (content.costLines.length === 0) add('costLines', 'application.noCosts');
  content.costLines.forEach((line, i) => {
    if (!rules.costCategories.includes(line.category)) add(`costLines.${i}.category`, 'application.unknownCategory');
  });

  const total = totalCosts(content);
  if (content.requestedCents !== null && content.costLines.length > 0) {
    const sums = financeSums(content);
    // The message names the sums, so that the applicant sees by how much the plan is off.
    if (sums.differenceCents !== 0) {
      add('requestedCents', messageWith(sums.differenceCents > 0 ? 'application.unbalanced' : 'application.unbalancedOver', { ...sums, differenceCents: Math.abs(sums.differenceCents) }));
    }
    else if (rules.financeType === 'fixed' && content.requestedCents !== rules.maxAmountCents) add('requestedCents', 'application.notFixedAmount');
    else if (content.requestedCents > rules.maxAmountCents) add('requestedCents', 'application.overCap');
    else if (rules.financeType === 'share' && content.requestedCents > maxFundable(rules, content)) add('requestedCents', 'application.overShare');
    if (content.ownFundsCents * 100 < total * rules.minOwnContributionPercent) add('ownFundsCents', 'application.ownTooLow');
  }

  if (rules.declarations.some((text) => !content.declarations.includes(text))) add('declarations', 'application.declarationsMissing');
  if (rules.requiredAttachments.some((kind) => !attachmentKinds.includes(kind))) add('attachments', 'application.attachmentMissing');
  return problems;
}
