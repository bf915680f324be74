import { describe, expect, it } from '@jest/globals';
import { demoIban } from '../database/seed-demo.js';
import { formatIban, isValidIban, normaliseIban } from './iban.js';

describe('IBAN', () => {
  it('accepts valid IBANs with or without spaces and in lower case', () => {
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('de89 3704 0044 0532 0130 00')).toBe(true);
    expect(isValidIban('NL91ABNA0417164300')).toBe(true);
  });

  it('refuses a wrong check digit, a wrong length and junk', () => {
    expect(isValidIban('DE89370400440532013001')).toBe(false);
    expect(isValidIban('DE8937040044053201300')).toBe(false);
    expect(isValidIban('DE00 1234')).toBe(false);
    expect(isValidIban('')).toBe(false);
    expect(isValidIban('XX')).toBe(false);
  });

  it('normalises and formats for display', () => {
    expect(normaliseIban(' de89 3704 0044 0532 0130 00 ')).toBe('DE89370400440532013000');
    expect(formatIban('DE89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
  });

  it('the demo data generator makes valid IBANs', () => {
    for (let i = 0; i < 50; i++) expect(isValidIban(demoIban('30550000', 93000000 + i * 131))).toBe(true);
  });
});
