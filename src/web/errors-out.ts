import { HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AppError, type FieldErrors } from '../common/errors.js';
import { isPoolExhausted } from '../common/transactions.js';
import { currentCorrelationId } from '../common/request-context.js';
import { databaseRefusal } from './database-errors.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-unavailable.js';
import { statusText, translate, type Language } from './i18n.js';
import { renderPage } from './page.js';

const logger = new Logger('Errors');

const HTTP_CODES: Record<number, string> = {
  400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
  409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'validation_failed', 429: 'too_many_requests',
};

export function isApiRequest(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path === '/health';
}

interface Described {
  status: number;
  code: string;
  messageKey: string;
  details: Record<string, unknown>;
  fields?: FieldErrors;
}

/** Maps anything thrown to status, code and message; unknown errors become an opaque 500. */
export function describe(error: unknown): Described {
  if (error instanceof AppError) {
    const { fields, ...details } = error.details as { fields?: FieldErrors };
    return { status: error.status, code: error.code, messageKey: error.message, details, fields };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, code: HTTP_CODES[status] ?? 'http_error', messageKey: `errors.http${status}`, details: {} };
  }
  if (isPoolExhausted(error)) {
    // No free connection within DB_ACQUIRE_TIMEOUT_MS: busy, not broken; the client may try again.
    return { status: 503, code: 'service_unavailable', messageKey: 'errors.unavailable', details: {} };
  }
  const status = (error as { status?: number; statusCode?: number })?.status ?? (error as { statusCode?: number })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser and similar middleware errors (malformed JSON, too large a body)
    return { status, code: HTTP_CODES[status] ?? 'bad_request', messageKey: `errors.http${status}`, details: {} };
  }
  if (isDatabaseUnavailable(error)) {
    return { status: 503, code: 'database_unavailable', messageKey: 'errors.databaseUnavailable', details: {} };
  }
  const refused = databaseRefusal(error);
  if (refused) return { ...refused, details: refused.details ?? {} };
  return { status: 500, code: 'internal_error', messageKey: 'errors.internal', details: {} };
}

function translateFields(lang: Language, fields: FieldErrors | undefined): Record<string, string[]> | undefined {
  if (!fields) return undefined;
  return Object.fromEntries(Object.entries(fields).map(([field, keys]) => [field, keys.map((key) => translate(lang, key))]));
}

/** Writes the error as JSON (API) or as a page (browser), the same way from middleware and from Nest. */
export function sendError(error: unknown, req: Request, res: Response): void {
  const described = describe(error);
  const correlationId = currentCorrelationId() ?? randomUUID();
  if (described.code === 'database_unavailable') {
    // Expected while the database restarts: one line, and the client is told when to try again.
    logger.warn(`[${correlationId}] ${req.method} ${req.originalUrl}: database unavailable: ${(error as Error)?.message}`);
    if (!res.headersSent) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  } else if (described.status >= 500) {
    logger.error(`[${correlationId}] ${req.method} ${req.originalUrl}: ${(error as Error)?.stack ?? String(error)}`);
  } else if (!(error instanceof AppError) && databaseRefusal(error) && described.messageKey !== 'calls.archived') {
    // Answered as bad input, but a check before the database was missing: worth a look.
    logger.warn(`[${correlationId}] ${req.method} ${req.path}: database refused the input (${(error as { code?: string }).code}): ${(error as Error).message}`);
  }
  if (res.headersSent) return;
  const lang: Language = (res.locals?.lang as Language) ?? 'de';
  const message = translate(lang, described.messageKey, { ...described.details, statusText: statusText(lang, described.details.status) });
  if (error instanceof AppError && error.code === 'too_many_requests') {
    res.setHeader('Retry-After', String(described.details.retryAfterSeconds));
  }
  if (described.status === 503) res.setHeader('Retry-After', '5');

  if (isApiRequest(req)) {
    res.status(described.status).json({
      statusCode: described.status,
      error: described.code,
      message,
      ...(described.fields ? { fields: translateFields(lang, described.fields) } : {}),
      ...(described.status >= 500 ? { correlationId } : described.details),
    });
    return;
  }
  if (described.status === 401) {
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  let html: string;
  try {
    html = renderPage(res, 'pages/error.njk', {
      t: (key: string, params?: Record<string, unknown>) => translate(lang, key, params),
      lang,
      status: described.status,
      message,
      fields: translateFields(lang, described.fields),
      correlationId: described.status >= 500 ? correlationId : undefined,
    });
  } catch (renderError) {
    logger.error(`[${correlationId}] error page failed: ${(renderError as Error).message}`);
    html = `<!DOCTYPE html><html lang="${lang}"><title>${described.status}</title><h1>${described.status}</h1><p>${message}</p><p>${correlationId}</p></html>`;
  }
  res.status(described.status).type('html').send(html);
}
