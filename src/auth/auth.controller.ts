import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG } from '../common/config.token.js';
import { AppError } from '../common/errors.js';
import { parseDto } from '../common/validation.js';
import type { AppConfig } from '../config/app-config.js';
import { translate, type Language } from '../web/i18n.js';
import { handleForm, sendPage } from '../web/page.js';
import { SESSION_COOKIE } from '../web/pipeline.js';
import { AccountsService } from './accounts.service.js';
import type { Actor } from './actor.js';
import { AuthService } from './auth.service.js';
import { LoginDto, RegisterDto, RequestResetDto, SetPasswordDto } from './dto/auth.dto.js';
import { OptionalActor, Public, type RequestWithActor } from './guards.js';
import { startPageFor } from './roles.js';
import { SESSION_MAX_MS } from './session.service.js';

/** Only a path on this site may follow the login (no open redirect). */
function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : undefined;
}

function meta(req: Request) {
  return { ip: req.ip ?? 'unknown', userAgent: req.header('user-agent') };
}

/** Login, logout, invitations, self-registration and password reset as pages. */
@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('login')
  @Public()
  loginForm(@OptionalActor() actor: Actor | undefined, @Query('next') next: string | undefined, @Res() res: Response) {
    if (actor) return res.redirect(303, safeNext(next) ?? startPageFor(actor.roles));
    sendPage(res, 'pages/auth/login.njk', { next: safeNext(next), values: {} });
  }

  @Post('login')
  @Public()
  async login(@Req() req: Request, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const next = safeNext(body.next);
    const values = { email: body.email };
    await handleForm(res, { template: 'pages/auth/login.njk', context: { next }, values }, async () => {
      try {
        const { actor, token } = await this.auth.login(await parseDto(LoginDto, { email: body.email, password: body.password }), meta(req));
        this.setSessionCookie(res, token);
        res.redirect(303, next ?? startPageFor(actor.roles));
      } catch (error) {
        if (!(error instanceof AppError) || (error.status !== 401 && error.status !== 429)) throw error;
        const formError = translate(res.locals.lang as Language, error.message, error.details);
        if (error.status === 429) res.setHeader('Retry-After', String(error.details.retryAfterSeconds));
        sendPage(res, 'pages/auth/login.njk', { next, values, formError }, error.status);
      }
    });
  }

  @Post('logout')
  @Public()
  async logout(@Req() req: RequestWithActor, @Res() res: Response) {
    await this.auth.logout(req.actor ?? null, req.sessionToken);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login?notice=auth.loggedOut');
  }

  @Get('register')
  @Public()
  registerForm(@Res() res: Response) {
    sendPage(res, 'pages/auth/register.njk', { values: {} });
  }

  @Post('register')
  @Public()
  async register(@Req() req: Request, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await handleForm(res, { template: 'pages/auth/register.njk', context: {}, values: body }, async () => {
      await this.accounts.register(await parseDto(RegisterDto, body), res.locals.lang as Language, meta(req).ip);
      sendPage(res, 'pages/auth/check-mail.njk', { reason: 'register' });
    });
  }

  @Get('invitation/:token')
  @Public()
  async invitationForm(@Param('token') token: string, @Res() res: Response) {
    const user = await this.accounts.checkToken(token, 'invitation');
    sendPage(res, 'pages/auth/set-password.njk', { user, purpose: 'invitation', action: `/invitation/${token}`, values: {} });
  }

  @Post('invitation/:token')
  @Public()
  async acceptInvitation(@Req() req: Request, @Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.setPassword(req, res, token, 'invitation', body);
  }

  @Get('password-reset')
  @Public()
  resetRequestForm(@Res() res: Response) {
    sendPage(res, 'pages/auth/reset-request.njk', { values: {} });
  }

  @Post('password-reset')
  @Public()
  async requestReset(@Req() req: Request, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await handleForm(res, { template: 'pages/auth/reset-request.njk', context: {}, values: body }, async () => {
      await this.accounts.requestPasswordReset((await parseDto(RequestResetDto, body)).email, meta(req).ip);
      sendPage(res, 'pages/auth/check-mail.njk', { reason: 'reset' });
    });
  }

  @Get('password-reset/:token')
  @Public()
  async resetForm(@Param('token') token: string, @Res() res: Response) {
    const user = await this.accounts.checkToken(token, 'password_reset');
    sendPage(res, 'pages/auth/set-password.njk', { user, purpose: 'password_reset', action: `/password-reset/${token}`, values: {} });
  }

  @Post('password-reset/:token')
  @Public()
  async reset(@Req() req: Request, @Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.setPassword(req, res, token, 'password_reset', body);
  }

  private async setPassword(req: Request, res: Response, token: string, purpose: 'invitation' | 'password_reset', body: Record<string, unknown>) {
    const user = await this.accounts.checkToken(token, purpose);
    const action = purpose === 'invitation' ? `/invitation/${token}` : `/password-reset/${token}`;
    await handleForm(res, { template: 'pages/auth/set-password.njk', context: { user, purpose, action }, values: {} }, async () => {
      const dto = await parseDto(SetPasswordDto, { password: body.password, passwordRepeat: body.passwordRepeat });
      await this.accounts.setPasswordWithToken(token, purpose, dto);
      const signedIn = await this.auth.login({ email: user.email, password: dto.password }, meta(req)).catch((error: unknown) => {
        // the password is saved even when this address must wait before its next login
        if (error instanceof AppError && error.status === 429) return null;
        throw error;
      });
      if (!signedIn) return res.redirect(303, '/login?notice=auth.passwordSaved');
      this.setSessionCookie(res, signedIn.token);
      res.redirect(303, `${startPageFor(signedIn.actor.roles)}?notice=auth.passwordSet`);
    });
  }

  private setSessionCookie(res: Response, token: string) {
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: this.config.secureCookies, path: '/', maxAge: SESSION_MAX_MS });
  }
}

/** The same login for API clients: the session cookie plus a CSRF token for the X-CSRF-Token header. */
@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthApiController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('csrf')
  @Public()
  @ApiOperation({ summary: 'A CSRF token for this browser/client; send it as X-CSRF-Token on every change' })
  csrf(@Res({ passthrough: true }) res: Response) {
    return { csrfToken: res.locals.csrfToken };
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  async login(@Req() req: Request, @Body() dto: LoginDto, @Res({ passthrough: true }) res: Response) {
    const { actor, token } = await this.auth.login(dto, meta(req));
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: this.config.secureCookies, path: '/', maxAge: SESSION_MAX_MS });
    return { user: actor, startPage: startPageFor(actor.roles), csrfToken: res.locals.csrfToken };
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: RequestWithActor, @Res({ passthrough: true }) res: Response) {
    await this.auth.logout(req.actor ?? null, req.sessionToken);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  me(@Req() req: RequestWithActor) {
    return req.actor;
  }
}
