import { hmac, newToken, safeEqual } from './tokens.js';

export const CSRF_COOKIE = 'ft_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Signed double-submit tokens: the browser holds a random nonce in an HttpOnly cookie; forms and
 * API calls send HMAC(secret, nonce). A foreign site can neither read the nonce nor compute the
 * token, and needs no session row for visitors who are not logged in (the login form is protected too).
 */
export class CsrfTokens {
  constructor(private readonly secret: string) {}

  newNonce(): string {
    return newToken();
  }

  tokenFor(nonce: string): string {
    return hmac(this.secret, `csrf:${nonce}`);
  }

  verify(nonce: string | undefined, token: unknown): boolean {
    if (!nonce || typeof token !== 'string' || token.length === 0) return false;
    return safeEqual(this.tokenFor(nonce), token);
  }
}

/**
 * The token a request sends: the header or the form field. Only a multipart upload may carry it in
 * the query string (its body is read after the check); elsewhere a token in a URL would end up in
 * logs, histories and Referer headers, so it is not accepted there.
 */
export function sentCsrfToken(req: { header(name: string): string | undefined; body?: unknown; query: Record<string, unknown> }): unknown {
  const fromHeader = req.header(CSRF_HEADER);
  if (fromHeader !== undefined) return fromHeader;
  const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : undefined;
  if (body?.[CSRF_FIELD] !== undefined) return body[CSRF_FIELD];
  const multipart = /^multipart\/form-data\b/i.test(req.header('content-type') ?? '');
  return multipart ? req.query[CSRF_FIELD] : undefined;
}
