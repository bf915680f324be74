import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import { documentIdParams } from './common/param-pipes.js';
import { resolveDataDir } from './common/paths.js';
import type { AppConfig } from './config/app-config.js';
import { DEFAULT_POOL, dataSourceOptions, type PoolSettings } from './database/data-source.js';
import { startEmbeddedPostgres } from './database/embedded-postgres.js';
import { configureApp } from './web/pipeline.js';

const LOG_LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** DATABASE_URL when given; otherwise the embedded PostgreSQL with its data under DATA_DIR/postgres. */
export async function startDatabase(config: AppConfig): Promise<{ url: string; stop?: () => Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const logger = new Logger('EmbeddedPostgres');
  const embedded = await startEmbeddedPostgres({
    databaseDir: join(resolveDataDir(config.dataDir), 'postgres'),
    port: config.embeddedDbPort,
    database: 'foerdertisch',
    log: (line) => config.logLevel === 'debug' && logger.debug(line),
  });
  console.log(`Embedded PostgreSQL running on 127.0.0.1:${config.embeddedDbPort}, data in ${join(config.dataDir, 'postgres')}`);
  return embedded;
}

/** Connects and brings the schema up to date; `synchronize` is never used. */
export async function openDatabase(url: string, pool: PoolSettings = DEFAULT_POOL): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(url, pool));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/** SESSION_SECRET, or a random one kept in DATA_DIR so that logins survive restarts. */
export async function resolveSessionSecret(config: AppConfig): Promise<string> {
  if (config.sessionSecret) return config.sessionSecret;
  const dir = resolveDataDir(config.dataDir);
  const file = join(dir, 'session-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(dir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

export async function createApp(config: AppConfig, dataSource: DataSource, sessionSecret: string): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, dataSource), {
    bodyParser: false,
    logger: LOG_LEVELS[config.logLevel],
  });
  configureApp(app, config, sessionSecret);
  const document = documentIdParams(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Fördertisch API')
      .setDescription(
        'JSON API of the grant workflow of the Runder Tisch Integrationsförderung (City of Neuss). ' +
          'Log in with POST /api/v1/auth/login; send the returned csrfToken as X-CSRF-Token on every change.',
      )
      .setVersion('1')
      .addCookieAuth('ft_session')
      .build(),
  ));
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs/openapi.json',
    customSiteTitle: 'Fördertisch API',
    // Theme and button names as static files: the CSP allows no inline scripts.
    customCssUrl: '/static/api-docs.css',
    customJs: '/static/api-docs.js',
    // Without deep links the path in an operation's heading is text, not a link nested in its button.
    // A light highlighting theme: the dark default shows numbers with too little contrast.
    swaggerOptions: { deepLinking: false, syntaxHighlight: { theme: 'idea' } },
  });
  return app;
}
