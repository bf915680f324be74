import { expect } from '@jest/globals';

/** Page or PDF text with the no-break space written before the euro sign made a plain space. */
export const plain = (text: string | null) => (text ?? '').replace(/\u00a0/g, ' ');

/** Each text occurs, and each after the one before. */
export function expectInOrder(text: string, parts: string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    expect({ part, found: at >= 0 }).toEqual({ part, found: true });
    from = at + part.length;
  }
}
