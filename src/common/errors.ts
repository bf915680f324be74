/**
 * Errors the services raise on purpose. The global filter turns each into its HTTP status;
 * anything else is a 500 with a correlation id and nothing internal in the body.
 */
export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** 422: input that breaks a rule; `fields` maps each field to message keys (see templates/i18n). */
export class ValidationFailed extends AppError {
  constructor(readonly fields: FieldErrors) {
    super(422, 'validation_failed', 'errors.validation', { fields });
  }
}

export class NotFound extends AppError {
  constructor(what = 'resource') {
    super(404, 'not_found', 'errors.notFound', { what });
  }
}

export class Forbidden extends AppError {
  constructor(reason = 'errors.forbidden') {
    super(403, 'forbidden', reason);
  }
}

export class Unauthenticated extends AppError {
  constructor() {
    super(401, 'unauthenticated', 'errors.unauthenticated');
  }
}

/** 409: the record changed meanwhile or is in a state that does not allow the action. */
export class Conflict extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(409, 'conflict', message, details);
  }
}

export class TooManyRequests extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too_many_requests', 'errors.tooManyAttempts', { retryAfterSeconds });
  }
}

/**
 * A message key carrying the values its text names (`key?name=value`); values whose name ends in
 * `Cents` are shown as euro amounts in the reader's language.
 */
export function messageWith(key: string, params: Record<string, string | number>): string {
  return `${key}?${new URLSearchParams(Object.entries(params).map(([name, value]) => [name, String(value)])).toString()}`;
}

export function fieldError(field: string, key: string): ValidationFailed {
  return new ValidationFailed({ [field]: [key] });
}
