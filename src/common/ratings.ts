import { numberFormat } from './money.js';

/**
 * Ratings (mean importance, mean urgency) and the combined score are shown with two decimals on
 * the ranking page, in its CSV and in its PDF. They are rounded here only, half away from zero on
 * the decimal value (4,465 → 4,47), so that every copy of the ranking shows the same number.
 */
export const RATING_DECIMALS = 2;

export function roundRating(value: number): number {
  // Through the decimal notation, so that 4.465 (stored as 4.46499…) rounds up like on paper.
  const scaled = Number(`${value.toPrecision(12)}e${RATING_DECIMALS}`);
  return Math.sign(scaled) * Math.round(Math.abs(scaled)) / 10 ** RATING_DECIMALS;
}

/** "4,47" in German (decimal comma), "4.47" in English. */
export function formatRating(value: number, lang: 'de' | 'en'): string {
  return numberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { minimumFractionDigits: RATING_DECIMALS, maximumFractionDigits: RATING_DECIMALS, useGrouping: false }).format(roundRating(value));
}
