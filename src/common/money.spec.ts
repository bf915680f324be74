import { describe, expect, it } from '@jest/globals';
import { assertCents, centsToEuroInput, formatEuroCents, numberFormat, parseEuroToCents } from './money.js';

describe('euro input', () => {
  it('reads German and plain notations', () => {
    expect(parseEuroToCents('1.234,56')).toBe(123456);
    expect(parseEuroToCents('1234,5')).toBe(123450);
    expect(parseEuroToCents('300')).toBe(30000);
    expect(parseEuroToCents('300 €')).toBe(30000);
    expect(parseEuroToCents('12.50')).toBe(1250);
    expect(parseEuroToCents('-5')).toBe(-500);
  });

  it('gives null for nothing and NaN for junk', () => {
    expect(parseEuroToCents('  ')).toBeNull();
    expect(parseEuroToCents('zwölf')).toBeNaN();
    expect(parseEuroToCents('1,234.56')).toBeNaN();
  });

  it('formats cents for a form field', () => {
    expect(centsToEuroInput(123456)).toBe('1.234,56');
    expect(centsToEuroInput(null)).toBe('');
  });
});

describe('number formats', () => {
  it('makes one formatter per locale and options, and formats euro in both languages', () => {
    expect(numberFormat('de-DE', { style: 'currency', currency: 'EUR' })).toBe(numberFormat('de-DE', { style: 'currency', currency: 'EUR' }));
    expect(numberFormat('de-DE', { style: 'currency', currency: 'EUR' })).not.toBe(numberFormat('en-GB', { style: 'currency', currency: 'EUR' }));
    expect(formatEuroCents(123456, 'de')).toBe('1.234,56\u00a0€');
    expect(formatEuroCents(123456, 'en')).toBe('€1,234.56');
  });
});

describe('cents guard', () => {
  it('accepts whole non-negative cents and names the field of anything else', () => {
    expect(() => assertCents('amountCents', 0)).not.toThrow();
    expect(() => assertCents('amountCents', 123_456)).not.toThrow();
    expect(() => assertCents('amountCents', 1.5)).toThrow(/^amountCents must be a whole, non-negative number of cents, not 1.5$/);
    expect(() => assertCents('amountCents', -1)).toThrow(RangeError);
    expect(() => assertCents('amountCents', Number.NaN)).toThrow(RangeError);
    expect(() => assertCents('amountCents', 2 ** 53)).toThrow(RangeError);
  });
});
