import nunjucks from 'nunjucks';
import { TEMPLATES_DIR } from '../common/paths.js';
import { formatIban } from '../common/iban.js';
import { formatEuroCents, numberFormat } from '../common/money.js';
import { translate, type Language } from './i18n.js';
import { formatRating } from '../common/ratings.js';

const BERLIN = 'Europe/Berlin';

/** The one nunjucks environment for pages, mails and letters: autoescaped, templates from templates/. */
export const views = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATES_DIR, { noCache: false }), {
  autoescape: true,
  throwOnUndefined: false,
  trimBlocks: true,
  lstripBlocks: true,
});

views.addFilter('iban', (value: string | null) => (value ? formatIban(value) : ''));
views.addFilter('date', (value: string | Date | null, lang: Language = 'de') => formatDate(value, lang));
views.addFilter('datetime', (value: string | Date | null, lang: Language = 'de') => formatDateTime(value, lang));
views.addFilter('decimal', (value: number | null, lang: Language = 'de', digits = 1) =>
  value === null || value === undefined ? '' : numberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value),
);
// Ratings and scores: one rounding for page, CSV and PDF.
views.addFilter('rating', (value: number | null, lang: Language = 'de') => (value === null || value === undefined ? '' : formatRating(value, lang)));
views.addFilter('euro', (cents: number | string | null, lang: Language = 'de') => formatEuro(cents, lang));

const ROW_FIELDS: Record<string, string> = {
  category: 'field.category', description: 'field.lineDescription', amountCents: 'field.amountEuro', source: 'field.source', status: 'field.fundingStatus',
};

/** The label of a field in messages; rows of the finance plan read "Kostenposition 2: Betrag in Euro". */
views.addGlobal('fieldLabel', (t: (key: string, params?: object) => string, field: string) => {
  const [list, index, name] = field.split('.');
  if (name === undefined) return t(`field.${field}`);
  const label = list === 'thirdParty' ? 'app.fundingRowLabel' : 'app.costRowLabel';
  return t(label, { row: Number(index) + 1, field: t(ROW_FIELDS[name] ?? `field.${name}`) });
});

export function formatDate(value: string | Date | null | undefined, lang: Language = 'de'): string {
  if (!value) return '';
  // A plain date (YYYY-MM-DD) is a calendar day, not an instant: show it without shifting zones.
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { timeZone: BERLIN, day: '2-digit', month: '2-digit', year: 'numeric' }).format(date);
}

export function formatDateTime(value: string | Date | null | undefined, lang: Language = 'de'): string {
  if (!value) return '';
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    timeZone: BERLIN, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(new Date(value));
}

export function formatEuro(cents: number | string | null | undefined, lang: Language = 'de'): string {
  if (cents === null || cents === undefined || cents === '') return '';
  return formatEuroCents(Number(cents), lang);
}

export function render(template: string, context: Record<string, unknown>): string {
  return views.render(template, context);
}

export { translate };
