import { toCardinal as german } from 'n2words/de-DE';
import { toCardinal as british } from 'n2words/en-GB';
import type { DocumentLanguage } from './document-types.js';

/**
 * An amount in words, as a decision states it beside the figures ("in Worten"): euros and cents
 * always named, so that 0,01 € reads "null Euro und ein Cent". n2words spells the numbers; its own
 * currency form leaves out a zero euro part and in British English speaks of pounds.
 */
export function amountInWords(cents: number, lang: DocumentLanguage): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`Not an amount in cents: ${cents}`);
  const euros = Math.floor(cents / 100);
  const rest = cents % 100;
  return lang === 'de' ? inGerman(euros, rest) : inEnglish(euros, rest);
}

function inGerman(euros: number, cents: number): string {
  // The number before a noun: "ein Euro", not "eins Euro"; "einundzwanzig Euro" keeps its form.
  const count = (n: number) => (n === 1 ? 'ein' : german(n));
  const words = `${count(euros)} Euro`;
  return cents === 0 ? words : `${words} und ${count(cents)} Cent`;
}

function inEnglish(euros: number, cents: number): string {
  const words = `${british(euros)} ${euros === 1 ? 'euro' : 'euros'}`;
  return cents === 0 ? words : `${words} and ${british(cents)} ${cents === 1 ? 'cent' : 'cents'}`;
}
