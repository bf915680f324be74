import type { Response } from 'express';
import type { FieldErrors } from '../common/errors.js';
import { ValidationFailed, AppError } from '../common/errors.js';
import { statusText, translate, type Language } from './i18n.js';
import { views } from './view.js';

/** Renders a page from templates/ with the request's locals (user, language, CSRF token, navigation). */
export function renderPage(res: Response, template: string, context: object = {}): string {
  return views.render(template, { ...res.locals, ...context });
}

export function sendPage(res: Response, template: string, context: object = {}, status = 200): void {
  res.status(status).type('html').send(renderPage(res, template, context));
}

/**
 * Sends a body made in chunks (a large CSV), waiting whenever the client reads slower than it is
 * made. An error after the first chunk can no longer change the status: the connection is cut, so
 * that the client sees an incomplete download rather than a complete-looking file.
 */
export async function sendChunks(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  try {
    for await (const chunk of chunks) {
      if (!res.write(chunk)) await writable(res);
      if (res.destroyed) return; // the client went away
    }
    res.end();
  } catch (error) {
    if (!res.headersSent) throw error;
    res.destroy(error as Error);
  }
}

function writable(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Runs a form action. When the input breaks a rule (422) or conflicts with the current state (409),
 * the same form is shown again with the entered values and each message next to its field. With
 * `refusals`, a 403 that gives its own reason (the four-eyes principle) is shown on the form as well.
 * With `reload`, a 409 shows the page as it is now: a second click on a button that changes the state
 * (the first one already went through) then shows the new state beside the message, not the old one.
 */
export async function handleForm(
  res: Response,
  form: { template: string; context: object; values: unknown; refusals?: boolean; reload?: () => Promise<object> },
  action: () => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    const lang = (res.locals.lang as Language) ?? 'de';
    if (error instanceof ValidationFailed) {
      sendPage(res, form.template, { ...form.context, values: form.values, errors: translateFieldErrors(lang, error.fields) }, 422);
      return;
    }
    if (error instanceof AppError && error.status === 409) {
      const field = (error.details as { field?: string }).field;
      const message = translate(lang, error.message, { ...error.details, statusText: statusText(lang, error.details.status) });
      const context = form.reload ? await form.reload() : form.context;
      sendPage(res, form.template, { ...context, values: form.values, errors: field ? { [field]: [message] } : {}, formError: message }, 409);
      return;
    }
    if (form.refusals && error instanceof AppError && error.status === 403 && error.message !== 'errors.forbidden') {
      sendPage(res, form.template, { ...form.context, values: form.values, errors: {}, formError: translate(lang, error.message) }, 403);
      return;
    }
    throw error;
  }
}

export function translateFieldErrors(lang: Language, fields: FieldErrors): Record<string, string[]> {
  return Object.fromEntries(Object.entries(fields).map(([field, keys]) => [field, keys.map((key) => translate(lang, key))]));
}
