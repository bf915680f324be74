/**
 * Money is handled in integer cents. Forms take euro amounts as people write them ("1.234,56",
 * "1234.5", "300"); JSON takes integer cents.
 */
export function parseEuroToCents(input: string): number | null {
  const text = input.replace(/\s|€|EUR/gi, '');
  if (text === '') return null;
  let normalised: string;
  if (/^-?\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(text) || /^-?\d+,\d{1,2}$/.test(text)) normalised = text.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d+(\.\d{1,2})?$/.test(text)) normalised = text;
  else return Number.NaN;
  return Math.round(Number(normalised) * 100);
}

/** class-transformer: strings are euro amounts from forms, numbers are cents from JSON. */
export function toCents({ value }: { value: unknown }): unknown {
  if (typeof value === 'string') return parseEuroToCents(value) ?? undefined;
  return value;
}

/** 123456 → "1.234,56" for form fields. */
export function centsToEuroInput(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  return numberFormat('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100);
}

const formats = new Map<string, Intl.NumberFormat>();

/**
 * One Intl.NumberFormat per locale and options, made once: building one costs far more than
 * formatting with it (a list of 20,000 rows spent most of its render time there).
 */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    formats.set(key, format);
  }
  return format;
}

/** 123456 → "1.234,56 €" (German) or "€1,234.56" (English). */
export function formatEuroCents(cents: number, lang: 'de' | 'en'): string {
  return numberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/**
 * Guards pure money rules: an amount must be a whole, non-negative number of cents within the safe
 * integer range. Throws a RangeError naming the field; callers validate user input first (→ 422).
 */
export function assertCents(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${field} must be a whole, non-negative number of cents, not ${String(value)}`);
  }
}
