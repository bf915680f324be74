import { plainToInstance, Transform } from 'class-transformer';
import { availableParallelism } from 'node:os';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

/**
 * The environment the service reads, checked once at boot. Each wrong value is named with what
 * is expected, so that an operator can fix the start-up without reading code.
 */
export class EnvironmentVariables {
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'PORT must be a whole number between 1 and 65535' })
  @Min(1, { message: 'PORT must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'PORT must be a whole number between 1 and 65535' })
  PORT?: number;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters long' })
  SESSION_SECRET?: string;

  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example:587' })
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(3, { message: 'MAIL_FROM must be a sender address such as "Fördertisch <foerdertisch@stadt.neuss.de>"' })
  MAIL_FROM?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'BASE_URL must be an http:// or https:// URL, e.g. https://foerdertisch.neuss.de' })
  BASE_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'DATA_DIR must be a folder path' })
  DATA_DIR?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'EMBEDDED_DB_PORT must be a whole number between 1024 and 65535' })
  @Min(1024, { message: 'EMBEDDED_DB_PORT must be a whole number between 1024 and 65535' })
  @Max(65535, { message: 'EMBEDDED_DB_PORT must be a whole number between 1024 and 65535' })
  EMBEDDED_DB_PORT?: number;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'SEED_DEMO must be true or false' })
  SEED_DEMO?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'JOB_RETRY_DELAY_SECONDS must be a whole number of seconds, at least 1' })
  @Min(1, { message: 'JOB_RETRY_DELAY_SECONDS must be a whole number of seconds, at least 1' })
  JOB_RETRY_DELAY_SECONDS?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'DB_POOL_SIZE must be a whole number of connections between 1 and 200' })
  @Min(1, { message: 'DB_POOL_SIZE must be a whole number of connections between 1 and 200' })
  @Max(200, { message: 'DB_POOL_SIZE must be a whole number of connections between 1 and 200' })
  DB_POOL_SIZE?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'DB_ACQUIRE_TIMEOUT_MS must be a whole number of milliseconds between 100 and 60000' })
  @Min(100, { message: 'DB_ACQUIRE_TIMEOUT_MS must be a whole number of milliseconds between 100 and 60000' })
  @Max(60000, { message: 'DB_ACQUIRE_TIMEOUT_MS must be a whole number of milliseconds between 100 and 60000' })
  DB_ACQUIRE_TIMEOUT_MS?: number;

  @IsOptional()
  @IsIn(['error', 'warn', 'log', 'debug'], { message: 'LOG_LEVEL must be one of error, warn, log, debug' })
  LOG_LEVEL?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'PDF_WORKERS must be a whole number between 1 and 64' })
  @Min(1, { message: 'PDF_WORKERS must be a whole number between 1 and 64' })
  @Max(64, { message: 'PDF_WORKERS must be a whole number between 1 and 64' })
  PDF_WORKERS?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'DECISION_NOTIFICATION_DAYS must be 3 or 4 (the day after sending on which a decision counts as notified)' })
  @Min(3, { message: 'DECISION_NOTIFICATION_DAYS must be 3 or 4 (the day after sending on which a decision counts as notified)' })
  @Max(4, { message: 'DECISION_NOTIFICATION_DAYS must be 3 or 4 (the day after sending on which a decision counts as notified)' })
  DECISION_NOTIFICATION_DAYS?: number;

  @IsOptional()
  @MinLength(2, { message: 'PAYMENT_DEBTOR_NAME must be the name of the city’s account, e.g. "Stadt Neuss"' })
  PAYMENT_DEBTOR_NAME?: string;

  @IsOptional()
  @Matches(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/, { message: 'PAYMENT_DEBTOR_IBAN must be the IBAN of the city’s account, without spaces' })
  PAYMENT_DEBTOR_IBAN?: string;

  @IsOptional()
  @Matches(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, { message: 'PAYMENT_DEBTOR_BIC must be a BIC of 8 or 11 characters' })
  PAYMENT_DEBTOR_BIC?: string;

  @IsOptional()
  @MinLength(1, { message: 'PAYMENT_BUDGET_LINE must name the budget line (Haushaltsstelle) the grants are paid from' })
  PAYMENT_BUDGET_LINE?: string;

  @IsOptional()
  @Matches(/^[a-zA-Z]+(,[a-zA-Z]+)*$/, { message: 'PAYMENT_CSV_COLUMNS must be a comma-separated list of columns, e.g. creditor,iban,amount,dueOn,budgetLine,reference,purpose' })
  PAYMENT_CSV_COLUMNS?: string;

  @IsOptional()
  @Matches(/^360G-[A-Za-z0-9]+([-_][A-Za-z0-9]+)*$/, { message: 'OPEN_DATA_GRANT_PREFIX must be the publisher’s 360Giving prefix, starting with 360G- (letters, digits, - or _), e.g. 360G-stadtneuss' })
  OPEN_DATA_GRANT_PREFIX?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'RETENTION_PERSONAL_DATA_MONTHS must be a whole number of months between 1 and 120 (participant lists and visit photos are deleted this long after the usage report was accepted)' })
  @Min(1, { message: 'RETENTION_PERSONAL_DATA_MONTHS must be a whole number of months between 1 and 120 (participant lists and visit photos are deleted this long after the usage report was accepted)' })
  @Max(120, { message: 'RETENTION_PERSONAL_DATA_MONTHS must be a whole number of months between 1 and 120 (participant lists and visit photos are deleted this long after the usage report was accepted)' })
  RETENTION_PERSONAL_DATA_MONTHS?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'RETENTION_RECEIPTS_YEARS must be a whole number of years between 5 and 30 (ANBest-P 6.9: receipts are kept at least five years)' })
  @Min(5, { message: 'RETENTION_RECEIPTS_YEARS must be a whole number of years between 5 and 30 (ANBest-P 6.9: receipts are kept at least five years)' })
  @Max(30, { message: 'RETENTION_RECEIPTS_YEARS must be a whole number of years between 5 and 30 (ANBest-P 6.9: receipts are kept at least five years)' })
  RETENTION_RECEIPTS_YEARS?: number;
}

export const CONFIG_KEYS = [
  'PORT', 'DATABASE_URL', 'SESSION_SECRET', 'SMTP_URL', 'MAIL_FROM', 'BASE_URL', 'DATA_DIR',
  'EMBEDDED_DB_PORT', 'SEED_DEMO', 'LOG_LEVEL', 'JOB_RETRY_DELAY_SECONDS', 'DB_POOL_SIZE', 'DB_ACQUIRE_TIMEOUT_MS', 'PDF_WORKERS',
  'DECISION_NOTIFICATION_DAYS', 'PAYMENT_DEBTOR_NAME', 'PAYMENT_DEBTOR_IBAN', 'PAYMENT_DEBTOR_BIC', 'PAYMENT_BUDGET_LINE', 'PAYMENT_CSV_COLUMNS',
  'OPEN_DATA_GRANT_PREFIX',
  'RETENTION_PERSONAL_DATA_MONTHS', 'RETENTION_RECEIPTS_YEARS',
] as const;

export interface AppConfig {
  port: number;
  databaseUrl?: string;
  sessionSecret?: string;
  smtpUrl?: string;
  mailFrom: string;
  baseUrl: string;
  dataDir: string;
  embeddedDbPort: number;
  seedDemo: boolean;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** First delay before a failed job (e.g. mail while SMTP is down) is tried again; it grows with each try. */
  jobRetryDelaySeconds: number;
  /** How often idle workers look for new jobs. */
  jobPollSeconds: number;
  /** Connections the service's pool holds at most. */
  dbPoolSize: number;
  /** How long a request waits for a free connection before it is answered 503. */
  dbAcquireTimeoutMs: number;
  /** Cookies get the Secure flag when the service is reached over https. */
  secureCookies: boolean;
  /** Worker threads that render PDFs, so that no request waits for a PDF being made. */
  pdfWorkers: number;
  /**
   * The day after sending on which a decision counts as notified: the fourth under § 41 Abs. 2
   * VwVfG since 2025; the VwVfG NRW may still say the third (src/awards/decision-dates.ts).
   */
  decisionNotificationDays: number;
  /** The city's account the payouts are paid from (the debtor of the SEPA file). */
  paymentDebtor: { name: string; iban: string; bic: string };
  /** The budget line (Haushaltsstelle) named in the treasury's payment orders. */
  paymentBudgetLine: string;
  /** The columns of the treasury's payment-order CSV, in order (see payments/payment-exports.ts). */
  paymentCsvColumns?: string;
  /** The 360Giving publisher prefix of the open-data export: grant ids are `<prefix>-<reference number>`. */
  openDataGrantPrefix: string;
  /** Months after a usage report's acceptance after which the grant's personal data is deleted (src/privacy). */
  retentionPersonalDataMonths: number;
  /** Years after a usage report's last submission that its receipts and figures are kept (ANBest-P 6.9: at least five). */
  retentionReceiptsYears: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = Object.fromEntries(CONFIG_KEYS.filter((key) => env[key] !== undefined && env[key] !== '').map((key) => [key, env[key]]));
  const vars = plainToInstance(EnvironmentVariables, raw);
  const errors = validateSync(vars, { whitelist: false });
  if (errors.length) {
    throw new ConfigError(errors.flatMap((e) => Object.values(e.constraints ?? {})).filter(unique));
  }
  const port = vars.PORT ?? 3000;
  const baseUrl = (vars.BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    port,
    databaseUrl: vars.DATABASE_URL,
    sessionSecret: vars.SESSION_SECRET,
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM ?? 'Fördertisch Stadt Neuss <foerdertisch@stadt.neuss.de>',
    baseUrl,
    dataDir: vars.DATA_DIR ?? 'data',
    embeddedDbPort: vars.EMBEDDED_DB_PORT ?? 54329,
    seedDemo: vars.SEED_DEMO !== 'false',
    logLevel: (vars.LOG_LEVEL as AppConfig['logLevel']) ?? 'warn',
    jobRetryDelaySeconds: vars.JOB_RETRY_DELAY_SECONDS ?? 30,
    jobPollSeconds: 1,
    dbPoolSize: vars.DB_POOL_SIZE ?? 20,
    dbAcquireTimeoutMs: vars.DB_ACQUIRE_TIMEOUT_MS ?? 5000,
    secureCookies: baseUrl.startsWith('https://'),
    // One core stays free for the requests.
    pdfWorkers: vars.PDF_WORKERS ?? Math.max(1, availableParallelism() - 1),
    decisionNotificationDays: vars.DECISION_NOTIFICATION_DAYS ?? 4,
    // The demo's account: Sparkasse Neuss, a made-up account number.
    paymentDebtor: { name: vars.PAYMENT_DEBTOR_NAME ?? 'Stadt Neuss', iban: vars.PAYMENT_DEBTOR_IBAN ?? 'DE20305500000000123456', bic: vars.PAYMENT_DEBTOR_BIC ?? 'WELADEDNXXX' },
    paymentBudgetLine: vars.PAYMENT_BUDGET_LINE ?? '05.02.01 Integrationsförderung',
    paymentCsvColumns: vars.PAYMENT_CSV_COLUMNS,
    openDataGrantPrefix: vars.OPEN_DATA_GRANT_PREFIX ?? '360G-stadtneuss',
    retentionPersonalDataMonths: vars.RETENTION_PERSONAL_DATA_MONTHS ?? 12,
    retentionReceiptsYears: vars.RETENTION_RECEIPTS_YEARS ?? 5,
  };
}

function unique<T>(value: T, index: number, all: T[]): boolean {
  return all.indexOf(value) === index;
}
