import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../common/paths.js';
import { dictionaryKeys, translate } from './i18n.js';

function templateFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? templateFiles(path) : path.endsWith('.njk') ? [path] : [];
  });
}

describe('texts', () => {
  it('German and English have the same keys', () => {
    expect(dictionaryKeys('en')).toEqual(dictionaryKeys('de'));
  });

  it('every fixed key used in a template exists', () => {
    const keys = new Set(dictionaryKeys('de'));
    const missing: string[] = [];
    for (const file of templateFiles(TEMPLATES_DIR)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\('([\w.]+)'/g)) {
        if (!match[1].endsWith('.') && !keys.has(match[1])) missing.push(`${file}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('fills parameters and falls back to German, then to the key', () => {
    expect(translate('de', 'org.removeContact', { name: 'Ayşe' })).toBe('Ayşe entfernen');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });
});
