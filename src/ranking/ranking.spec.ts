import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { allocate, rank, reallocate, type RankInput } from './ranking.js';

const item = (id: string, importance: number, urgency: number, recommendedCents: number, extra: Partial<RankInput> = {}): RankInput => ({
  id, importance, urgency, recommendedCents, submittedAt: '2026-09-01T10:00:00Z', referenceNumber: `NE-2026-${id.padStart(4, '0')}`, fieldOfAction: 'Sprachförderung', ...extra,
});
const equal = { importance: 1, urgency: 1 };

describe('ranking', () => {
  it('orders by the combined rating with the call’s weights', () => {
    const items = [item('1', 5, 1, 100), item('2', 3, 4, 100), item('3', 2, 2, 100)];
    expect(rank(items, equal).map((i) => i.id)).toEqual(['2', '1', '3']);
    expect(rank(items, { importance: 3, urgency: 1 }).map((i) => i.id)).toEqual(['1', '2', '3']);
  });

  it('breaks ties by higher urgency, then earlier submission, then reference number', () => {
    const items = [
      item('1', 4, 2, 100),
      item('2', 2, 4, 100),
      item('3', 3, 3, 100, { submittedAt: '2026-09-02T10:00:00Z' }),
      item('4', 3, 3, 100, { submittedAt: '2026-09-01T09:00:00Z' }),
      item('5', 3, 3, 100, { submittedAt: '2026-09-01T09:00:00Z' }),
    ];
    expect(rank(items, equal).map((i) => i.id)).toEqual(['2', '4', '5', '3', '1']);
  });
});

describe('allocation', () => {
  const ranked = rank([item('1', 5, 5, 400), item('2', 4, 4, 300), item('3', 3, 3, 200), item('4', 2, 2, 50)], equal);

  it('funds in rank order until the budget is spent; the rest waits', () => {
    const result = allocate(ranked, { budgetCents: 800, partialFunding: false });
    expect(result.funded.map((i) => [i.id, i.grantedCents])).toEqual([['1', 400], ['2', 300]]);
    expect(result.waitingList.map((i) => i.id)).toEqual(['3', '4']);
    expect(result.remainingCents).toBe(100);
  });

  it('with partial funding the first item that does not fit gets the rest', () => {
    const result = allocate(ranked, { budgetCents: 800, partialFunding: true });
    expect(result.funded.map((i) => [i.id, i.grantedCents, i.partial])).toEqual([['1', 400, false], ['2', 300, false], ['3', 100, true]]);
    expect(result.waitingList.map((i) => i.id)).toEqual(['4']);
    expect(result.remainingCents).toBe(0);
  });

  it('a field cap skips only the items of that field', () => {
    const items = rank([item('1', 5, 5, 400), item('2', 4, 4, 300, { fieldOfAction: 'Diversität' }), item('3', 3, 3, 200)], equal);
    const result = allocate(items, { budgetCents: 10_000, partialFunding: false, fieldCapsCents: { Sprachförderung: 500 } });
    expect(result.funded.map((i) => i.id)).toEqual(['1', '2']);
    expect(result.waitingList.map((i) => i.id)).toEqual(['3']);
  });

  it('freed money offers the next items from the waiting list', () => {
    const first = allocate(ranked, { budgetCents: 800, partialFunding: false });
    const { allocation, offered } = reallocate(ranked, first, { budgetCents: 800, partialFunding: false }, ['2']);
    expect(allocation.funded.map((i) => i.id)).toEqual(['1', '3', '4']);
    expect(offered.map((i) => i.id)).toEqual(['3', '4']);
  });
});

const arbitraryItems = fc.uniqueArray(
  fc.record({
    id: fc.uuid(),
    importance: fc.integer({ min: 1, max: 5 }),
    urgency: fc.integer({ min: 1, max: 5 }),
    recommendedCents: fc.integer({ min: 1, max: 1_000_000 }),
    submittedAt: fc.date({ min: new Date('2026-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
    referenceNumber: fc.integer({ min: 1, max: 9999 }).map((n) => `NE-2026-${String(n).padStart(4, '0')}`),
    fieldOfAction: fc.constantFrom('Antirassismus', 'Diversität', 'Sprachförderung'),
  }),
  { selector: (i) => i.id, maxLength: 60 },
);
const arbitraryOptions = fc.record({ budgetCents: fc.integer({ min: 0, max: 20_000_000 }), partialFunding: fc.boolean() });
const weights = fc.record({ importance: fc.integer({ min: 0, max: 5 }), urgency: fc.integer({ min: 0, max: 5 }) });

describe('allocation properties', () => {
  it('never exceeds the budget, and every item is either funded or waiting', () => {
    fc.assert(
      fc.property(arbitraryItems, arbitraryOptions, weights, (items, options, w) => {
        const result = allocate(rank(items, w), options);
        const spent = result.funded.reduce((sum, i) => sum + i.grantedCents, 0);
        expect(spent).toBeLessThanOrEqual(options.budgetCents);
        expect(spent).toBe(result.spentCents);
        expect(result.funded.length + result.waitingList.length).toBe(items.length);
        expect(result.funded.every((i) => i.grantedCents > 0 && i.grantedCents <= i.recommendedCents)).toBe(true);
      }),
    );
  });

  it('never funds an item ranked below an unfunded one, unless partial funding is on', () => {
    fc.assert(
      fc.property(arbitraryItems, arbitraryOptions, weights, (items, options, w) => {
        const result = allocate(rank(items, w), { ...options, partialFunding: false });
        const lowestFunded = Math.max(0, ...result.funded.map((i) => i.rank));
        const highestWaiting = Math.min(Infinity, ...result.waitingList.map((i) => i.rank));
        expect(lowestFunded).toBeLessThan(highestWaiting);
      }),
    );
  });

  it('is deterministic: the same input in any order gives the same result', () => {
    fc.assert(
      fc.property(arbitraryItems, arbitraryOptions, weights, fc.nat(), (items, options, w, seed) => {
        const shuffled = [...items].sort((a, b) => ((a.id.charCodeAt(seed % 8) ^ seed) - (b.id.charCodeAt(seed % 8) ^ seed)));
        expect(allocate(rank(shuffled, w), options)).toEqual(allocate(rank(items, w), options));
      }),
    );
  });
});

describe('ranking ties on everything but the reference number', () => {
  it('puts NE-2026-10000 after NE-2026-9999', () => {
    const items = [item('a', 3, 3, 100, { referenceNumber: 'NE-2026-10000' }), item('b', 3, 3, 100, { referenceNumber: 'NE-2026-9999' })];
    expect(rank(items, equal).map((i) => i.referenceNumber)).toEqual(['NE-2026-9999', 'NE-2026-10000']);
  });
});
