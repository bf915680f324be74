import { describe, expect, it } from '@jest/globals';
import { findBadText, jsonDepthExceeds } from './input-guard.js';

const depth = (json: string, limit: number) => jsonDepthExceeds(Buffer.from(json), limit);

describe('jsonDepthExceeds', () => {
  it('counts arrays and objects, not brackets inside strings or after escaped quotes', () => {
    expect(depth('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(depth('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(depth('{"a":"[[[[[[[[{{{{{{"}', 1)).toBe(false);
    expect(depth('{"a":"\\"[[[[[[","b":1}', 1)).toBe(false);
    expect(depth('{"a":"\\\\","b":[[[1]]]}', 3)).toBe(true);
    expect(depth('[]'.repeat(10_000), 1)).toBe(false);
  });
});

describe('findBadText', () => {
  it('names the first value or key with a NUL byte or a lone surrogate, and passes paired surrogates', () => {
    expect(findBadText({ title: 'Sprachcafé 😀', lines: [{ text: 'ok' }] })).toBeUndefined();
    expect(findBadText({ lines: [{ text: 'a\u0000' }] })).toBe('lines.0.text');
    expect(findBadText({ note: 'x\ud800' })).toBe('note');
    expect(findBadText({ note: '\udc00x' })).toBe('note');
    expect(findBadText({ caps: { '\ud83d': 1 } })).toBe('caps.\ud83d');
    expect(findBadText('\u0000')).toBe('body');
  });
});
