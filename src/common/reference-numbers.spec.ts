import { describe, expect, it } from '@jest/globals';
import { compareReferenceNumbers } from './reference-numbers.js';

describe('reference number order', () => {
  it('orders by year, then by number, however many digits', () => {
    const sorted = ['NE-2027-10000', 'NE-2027-9999', 'NE-2027-2', 'NE-2026-9999', 'NE-2027-0010'].sort(compareReferenceNumbers);
    expect(sorted).toEqual(['NE-2026-9999', 'NE-2027-2', 'NE-2027-0010', 'NE-2027-9999', 'NE-2027-10000']);
  });
});
