import { describe, expect, it } from '@jest/globals';
import { formatRating, roundRating } from './ratings.js';

describe('ratings and scores', () => {
  it('round to two decimals, half away from zero on the decimal value', () => {
    expect(roundRating(4.465)).toBe(4.47);
    expect(roundRating((2 * 4.6 + 4.2) / 3)).toBe(4.47);
    expect(roundRating(25 / 6)).toBe(4.17);
    expect(roundRating(1.005)).toBe(1.01);
    expect(roundRating(4)).toBe(4);
  });

  it('are written with a decimal comma in German and a point in English', () => {
    expect(formatRating(4, 'de')).toBe('4,00');
    expect(formatRating(25 / 6, 'de')).toBe('4,17');
    expect(formatRating(25 / 6, 'en')).toBe('4.17');
    expect(formatRating(4.465, 'de')).toBe('4,47');
  });
});
