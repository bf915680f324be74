import { describe, expect, it } from '@jest/globals';
import { amountInWords } from './amount-in-words.js';

describe('amountInWords', () => {
  it.each([
    [1, 'null Euro und ein Cent', 'zero euros and one cent'],
    [100, 'ein Euro', 'one euro'],
    [1_100, 'elf Euro', 'eleven euros'],
    [100_100, 'eintausendeins Euro', 'one thousand and one euros'],
    [
      99_999_999,
      'neunhundertneunundneunzigtausendneunhundertneunundneunzig Euro und neunundneunzig Cent',
      'nine hundred and ninety-nine thousand nine hundred and ninety-nine euros and ninety-nine cents',
    ],
  ])('spells %i cents', (cents, german, english) => {
    expect(amountInWords(cents, 'de')).toBe(german);
    expect(amountInWords(cents, 'en')).toBe(english);
  });

  it('keeps "ein" only for exactly one and the number form inside larger numbers', () => {
    expect(amountInWords(2_101, 'de')).toBe('einundzwanzig Euro und ein Cent');
    expect(amountInWords(10_102, 'de')).toBe('einhunderteins Euro und zwei Cent');
    expect(amountInWords(101, 'en')).toBe('one euro and one cent');
    expect(amountInWords(0, 'de')).toBe('null Euro');
    expect(amountInWords(0, 'en')).toBe('zero euros');
  });

  it('refuses what is not a whole, non-negative number of cents', () => {
    expect(() => amountInWords(-1, 'de')).toThrow(RangeError);
    expect(() => amountInWords(1.5, 'de')).toThrow(RangeError);
    expect(() => amountInWords(Number.NaN, 'en')).toThrow(RangeError);
  });
});
