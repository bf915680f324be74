import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatEuroCents } from '../common/money.js';
import { TEMPLATES_DIR } from '../common/paths.js';

export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

type Dictionary = Record<string, string>;

const dictionaries: Record<Language, Dictionary> = {
  de: JSON.parse(readFileSync(join(TEMPLATES_DIR, 'i18n', 'de.json'), 'utf8')),
  en: JSON.parse(readFileSync(join(TEMPLATES_DIR, 'i18n', 'en.json'), 'utf8')),
};

/**
 * Looks up a text; German is the fallback, and an unknown key shows as itself. `{name}` is filled from params, and from the
 * values a key carries itself (`messageWith` in common/errors.ts).
 */
export function translate(lang: Language, key: string, params: Record<string, unknown> = {}): string {
  const separator = key.indexOf('?');
  if (separator > 0) {
    const carried = Object.fromEntries(
      [...new URLSearchParams(key.slice(separator + 1))].map(([name, value]) => [name, name.endsWith('Cents') ? euro(Number(value), lang) : value]),
    );
    return translate(lang, key.slice(0, separator), { ...carried, ...params });
  }
  const text = dictionaries[lang][key] ?? dictionaries.de[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

function euro(cents: number, lang: Language): string {
  return formatEuroCents(cents, lang);
}

export function isLanguage(value: unknown): value is Language {
  return value === 'de' || value === 'en';
}

/** Every key of one dictionary, for the test that both languages say the same things. */
export function dictionaryKeys(lang: Language): string[] {
  return Object.keys(dictionaries[lang]);
}

/** The state a 409 names, in words (the states of calls, applications, sessions and items). */
export function statusText(lang: Language, status: unknown): string {
  return typeof status === 'string' ? translate(lang, `state.${status}`) : '';
}
