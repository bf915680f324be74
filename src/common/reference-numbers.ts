const REFERENCE = /^NE-(\d{4})-(\d+)$/;

/**
 * Orders reference numbers by year, then by number, so that NE-2027-10000 comes after NE-2027-0002
 * (as text it would come first). Anything else is compared as text.
 */
export function compareReferenceNumbers(a: string, b: string): number {
  const x = REFERENCE.exec(a);
  const y = REFERENCE.exec(b);
  if (x && y) return Number(x[1]) - Number(y[1]) || Number(x[2]) - Number(y[2]);
  return a < b ? -1 : a > b ? 1 : 0;
}
