import { ValidationPipe, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../common/paths.js';
import { CSRF_COOKIE, CSRF_FIELD, CsrfTokens, sentCsrfToken } from '../auth/csrf.js';
import type { RequestWithActor } from '../auth/guards.js';
import { SessionService } from '../auth/session.service.js';
import type { AppConfig } from '../config/app-config.js';
import { AppError, ValidationFailed } from '../common/errors.js';
import { requestContext } from '../common/request-context.js';
import { RequestLoad } from '../common/request-load.js';
import { toFieldErrors } from '../common/validation.js';
import { sendError } from './errors-out.js';
import { IdParamsPipe } from '../common/param-pipes.js';
import { inputGuard, MAX_BODY, MAX_FORM_DEPTH, refuseDeepJson } from './input-guard.js';
import { isLanguage, translate, type Language } from './i18n.js';
import { navigationFor } from './navigation.js';

export const SESSION_COOKIE = 'ft_session';
export const LANGUAGE_COOKIE = 'ft_lang';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The page language and its translate function, available to every page and error page. */
function setLanguage(res: Response, lang: Language): void {
  res.locals.lang = lang;
  res.locals.t = (key: string, params?: Record<string, unknown>) => translate(lang, key, params);
}

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/** Runs an async middleware and answers its errors with the same responses as the controllers. */
function safely(fn: (req: Request, res: Response) => Promise<boolean | void>): Middleware {
  return (req, res, next) => {
    fn(req, res).then((stop) => (stop === true ? undefined : next()), (error) => sendError(error, req, res));
  };
}

/**
 * The request pipeline shared by `main.ts` and the tests: security headers, body parsing, correlation
 * ids, sessions, CSRF, language and page locals, validation (422) and error answers.
 */
export function configureApp(app: INestApplication, config: AppConfig, sessionSecret: string): void {
  const express_ = app as NestExpressApplication;
  express_.set('trust proxy', 'loopback');
  express_.disable('x-powered-by');
  const csrf = new CsrfTokens(sessionSecret);
  const sessions = app.get(SessionService);
  const load = app.get(RequestLoad);

  app.use((req: Request, res: Response, next: NextFunction) => {
    // Counted until the answer is sent or the connection is gone: the job queue yields meanwhile.
    load.begin();
    res.once('close', () => load.end());
    const incoming = req.header('x-correlation-id');
    const correlationId = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Correlation-Id', correlationId);
    requestContext.run({ correlationId }, next);
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: config.secureCookies ? [] : null,
        },
      },
      strictTransportSecurity: config.secureCookies,
    }),
  );
  express_.useStaticAssets(join(TEMPLATES_DIR, 'static'), { prefix: '/static/', maxAge: '1h' });
  app.use(cookieParser());
  // Limits before parsing: size (413), JSON nesting counted on the raw bytes and form nesting (400).
  const parsers: Middleware[] = [
    express.json({ limit: MAX_BODY, verify: refuseDeepJson }),
    // `depth` is a body-parser 2 option its type definitions do not name yet.
    express.urlencoded({ extended: true, limit: MAX_BODY, depth: MAX_FORM_DEPTH } as Parameters<typeof express.urlencoded>[0]),
    inputGuard,
  ];
  for (const parser of parsers) {
    app.use((req: Request, res: Response, next: NextFunction) => parser(req, res, (error?: unknown) => (error ? sendError(error, req, res) : next())));
  }

  // Language: ?lang= switches and is remembered in a cookie; else the account's choice; German by default.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const asked = req.query.lang;
    if (isLanguage(asked)) res.cookie(LANGUAGE_COOKIE, asked, { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: 365 * 86400_000 });
    const remembered = req.cookies?.[LANGUAGE_COOKIE];
    setLanguage(res, isLanguage(asked) ? asked : isLanguage(remembered) ? remembered : 'de');
    res.locals.path = req.path;
    res.locals.notice = typeof req.query.notice === 'string' && /^[\w.]+$/.test(req.query.notice) ? req.query.notice : undefined;
    next();
  });

  app.use(
    safely(async (req: RequestWithActor, res) => {
      const token = req.cookies?.[SESSION_COOKIE];
      if (typeof token === 'string' && token.length > 0) {
        const actor = await sessions.resolve(token);
        if (actor) {
          req.actor = actor;
          req.sessionToken = token;
          // What a signed-in person sees is theirs: no browser or proxy keeps a copy.
          res.setHeader('Cache-Control', 'no-store');
          res.locals.actor = actor;
          res.locals.nav = navigationFor(actor);
          if (!isLanguage(req.query.lang) && !isLanguage(req.cookies?.[LANGUAGE_COOKIE])) setLanguage(res, actor.preferredLanguage);
        } else {
          res.clearCookie(SESSION_COOKIE, { path: '/' });
        }
      }
    }),
  );

  app.use(
    safely(async (req: RequestWithActor, res) => {
      let nonce = req.cookies?.[CSRF_COOKIE];
      if (typeof nonce !== 'string' || nonce.length < 20) {
        nonce = csrf.newNonce();
        res.cookie(CSRF_COOKIE, nonce, { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/' });
      }
      res.locals.csrfToken = csrf.tokenFor(nonce);
      if (SAFE_METHODS.has(req.method)) return;
      if (!csrf.verify(req.cookies?.[CSRF_COOKIE], sentCsrfToken(req))) throw new AppError(403, 'csrf_invalid', 'errors.csrf');
      if (req.body && typeof req.body === 'object') delete (req.body as Record<string, unknown>)[CSRF_FIELD];
    }),
  );

  app.useGlobalPipes(
    new IdParamsPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new ValidationFailed(toFieldErrors(errors)),
    }),
  );
}
