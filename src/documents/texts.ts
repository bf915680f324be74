import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../common/paths.js';
import type { DocumentLanguage } from './document-types.js';

type Texts = Record<string, string>;

const texts: Record<DocumentLanguage, Texts> = {
  de: JSON.parse(readFileSync(join(TEMPLATES_DIR, 'letters', 'de.json'), 'utf8')),
  en: JSON.parse(readFileSync(join(TEMPLATES_DIR, 'letters', 'en.json'), 'utf8')),
};

/**
 * A text of the letter templates with its `{name}` placeholders filled. Unlike the page texts there
 * is no fallback: a document sent out must never show a key or an unfilled placeholder.
 */
export function letterText(lang: DocumentLanguage, key: string, params: Record<string, unknown> = {}): string {
  const text = texts[lang][key];
  if (text === undefined) throw new Error(`No letter text "${key}" in ${lang}.json`);
  return text.replace(/\{(\w+)\}/g, (_match, name: string) => {
    if (!(name in params)) throw new Error(`Letter text "${key}" needs the parameter "${name}"`);
    return String(params[name]);
  });
}

/** Every key of one language, for the test that both languages say the same things. */
export function letterKeys(lang: DocumentLanguage): string[] {
  return Object.keys(texts[lang]);
}
