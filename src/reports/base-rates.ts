import type { BaseRate } from './interest.rules.js';

/**
 * The base rate of § 247 BGB (Basiszinssatz) since 2023, as published by the Deutsche Bundesbank in
 * the Bundesanzeiger for each 1 January and 1 July. Each entry applies from its day until the next
 * one; basis points, so 162 is 1.62 %. This seeds the table the office maintains; a new half-year's
 * rate is added there, not here.
 *
 * Sources (checked 2026-11-30):
 * - 2023-01-01 1.62 %: Bundesbank notice BAnz AT 28.12.2022 B5, as cited in Prütting/Wegen/Weinreich,
 *   BGB, § 247 Rn. 3 (haufe.de); also stb-bruns.com "Basiszinssatz wurde angepasst".
 * - 2023-07-01 3.12 % and 2024-01-01 3.62 %: Bundesbank announcement of December 2023, reported as
 *   "von 3,12 auf 3,62 Prozent" (flash-up.com, 2023-12).
 * - 2025-07-01 1.27 % and 2026-01-01 1.27 %: Bundesbank announcement "Bekanntgabe des Basiszinssatzes
 *   zum 1. Januar 2026: Basiszinssatz bleibt unverändert bei 1,27 %" (state-of.biz/bbk).
 * - 2024-07-01 3.37 % and 2025-01-01 2.27 %: no published notice found in the sources at hand; both
 *   follow from § 247 Abs. 1 BGB and the ECB main refinancing rate (4.50 % → 4.25 % in June 2024,
 *   → 3.15 % by December 2024, → 2.15 % by June 2025), which also leads from 3.62 % to the verified
 *   1.27 %. The office should confirm them against bundesbank.de before the first claim letter.
 */
export const PUBLISHED_BASE_RATES: BaseRate[] = [
  { from: '2023-01-01', basisPoints: 162 },
  { from: '2023-07-01', basisPoints: 312 },
  { from: '2024-01-01', basisPoints: 362 },
  { from: '2024-07-01', basisPoints: 337 },
  { from: '2025-01-01', basisPoints: 227 },
  { from: '2025-07-01', basisPoints: 127 },
  { from: '2026-01-01', basisPoints: 127 },
];
