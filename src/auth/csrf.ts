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
