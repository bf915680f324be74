import type { NextFunction, Request, Response } from 'express';
import { AppError, ValidationFailed } from '../common/errors.js';

/** No form or API body nests deeper than a few levels; 32 leaves room and refuses bombs. */
export const MAX_JSON_DEPTH = 32;
/** Form fields nest at most `costLines[0][amount]`. */
export const MAX_FORM_DEPTH = 4;
/** Bodies larger than this are refused with 413 before parsing. */
export const MAX_BODY = '1mb';

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest nesting of arrays and objects in raw JSON, counted byte by byte before `JSON.parse`
 * (linear, no allocation), stopping as soon as `limit` is passed.
 */
export function jsonDepthExceeds(raw: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** body-parser's `verify` hook: runs on the raw bytes before they are parsed. */
export function refuseDeepJson(_req: Request, _res: Response, raw: Buffer): void {
  if (jsonDepthExceeds(raw, MAX_JSON_DEPTH)) {
    throw new AppError(400, 'bad_request', 'errors.nestingTooDeep', { maxDepth: MAX_JSON_DEPTH });
  }
}

// A NUL byte, or a UTF-16 surrogate without its partner: PostgreSQL cannot store either in text.
const BAD_TEXT = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isBadText(text: string): boolean {
  return BAD_TEXT.test(text);
}

/** The path of the first string (value or key) holding a NUL byte or a lone surrogate. */
export function findBadText(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isBadText(value) ? path || 'body' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, entry] of Object.entries(value)) {
    const entryPath = path ? `${path}.${key}` : key;
    if (isBadText(key)) return entryPath;
    const found = findBadText(entry, entryPath);
    if (found) return found;
  }
  return undefined;
}

/**
 * Every query parameter is one plain string: `a[]=`, `a[b]=` and repeated keys are refused, so a
 * filter given in an unexpected shape is a 422 instead of being silently ignored.
 */
function structuredQueryParameter(query: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(query)) {
    if (key.includes('[') || key.includes(']') || typeof value !== 'string') return key.replace(/\[.*$/, '') || key;
  }
  return undefined;
}

/**
 * Runs after the body parsers, before anything reads the input: refuses text PostgreSQL cannot
 * store (422 naming the field) and structured query parameters (422 naming the parameter).
 */
export function inputGuard(req: Request, _res: Response, next: NextFunction): void {
  const query = req.query as Record<string, unknown>;
  const structured = structuredQueryParameter(query);
  if (structured) return next(new ValidationFailed({ [structured]: ['validation.singleValue'] }));
  const bad = findBadText(query) ?? findBadText(req.body);
  if (bad) return next(new ValidationFailed({ [bad]: ['validation.badCharacters'] }));
  next();
}
