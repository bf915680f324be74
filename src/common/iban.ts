/** Removes spaces and upper-cases, so that "de89 3704 0044 0532 0130 00" is stored as one form. */
export function normaliseIban(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

const LENGTHS: Record<string, number> = { DE: 22, AT: 20, NL: 18, BE: 16, LU: 20, FR: 27, CH: 21, PL: 28 };

/** ISO 13616 check: country code, length where known, and the mod-97 checksum. */
export function isValidIban(input: string): boolean {
  const iban = normaliseIban(input);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const expectedLength = LENGTHS[iban.slice(0, 2)];
  if (expectedLength && iban.length !== expectedLength) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** "DE89370400440532013000" → "DE89 3704 0044 0532 0130 00" for display. */
export function formatIban(iban: string): string {
  return normaliseIban(iban).replace(/(.{4})/g, '$1 ').trim();
}
