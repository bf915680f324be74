import { describe, expect, it } from '@jest/globals';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './app-config.js';

describe('configuration', () => {
  it('has working defaults for a fresh clone', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.dataDir).toBe('data');
    expect(config.secureCookies).toBe(false);
  });

  it('reads valid values and marks https deployments for secure cookies', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u:p@db:5432/ft', BASE_URL: 'https://foerdertisch.neuss.de/', SMTP_URL: 'smtp://mail:25' });
    expect(config.port).toBe(8080);
    expect(config.baseUrl).toBe('https://foerdertisch.neuss.de');
    expect(config.secureCookies).toBe(true);
  });

  it('sizes the database pool and its acquire timeout, 20 connections and 5 s unless set', () => {
    expect(loadConfig({})).toMatchObject({ dbPoolSize: 20, dbAcquireTimeoutMs: 5000 });
    expect(loadConfig({ DB_POOL_SIZE: '1', DB_ACQUIRE_TIMEOUT_MS: '250' })).toMatchObject({ dbPoolSize: 1, dbAcquireTimeoutMs: 250 });
    expect(() => loadConfig({ DB_POOL_SIZE: '0' })).toThrow(/DB_POOL_SIZE must be a whole number of connections/);
    expect(() => loadConfig({ DB_ACQUIRE_TIMEOUT_MS: 'soon' })).toThrow(/DB_ACQUIRE_TIMEOUT_MS must be a whole number of milliseconds/);
  });

  it('names each wrong value with what is expected', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', SESSION_SECRET: 'short', SMTP_URL: 'mail.example', BASE_URL: 'localhost', DATA_DIR: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT must be a whole number');
    expect(problems).toContain('DATABASE_URL must be a postgres://');
    expect(problems).toContain('SESSION_SECRET must be at least 32');
    expect(problems).toContain('SMTP_URL must be an smtp://');
    expect(problems).toContain('BASE_URL must be an http://');
    // an empty value counts as unset
    expect(problems).not.toContain('DATA_DIR');
  });

  it('keeps personal data 12 months and receipts 5 years unless set, and refuses receipts kept shorter than the law asks', () => {
    expect(loadConfig({})).toMatchObject({ retentionPersonalDataMonths: 12, retentionReceiptsYears: 5 });
    expect(loadConfig({ RETENTION_PERSONAL_DATA_MONTHS: '6', RETENTION_RECEIPTS_YEARS: '10' })).toMatchObject({ retentionPersonalDataMonths: 6, retentionReceiptsYears: 10 });
    expect(() => loadConfig({ RETENTION_RECEIPTS_YEARS: '4' })).toThrow(/RETENTION_RECEIPTS_YEARS must be a whole number of years between 5 and 30/);
    expect(() => loadConfig({ RETENTION_PERSONAL_DATA_MONTHS: '0' })).toThrow(/RETENTION_PERSONAL_DATA_MONTHS must be a whole number of months/);
  });

  it('renders PDFs in as many worker threads as cores but one, at least one, or PDF_WORKERS', () => {
    expect(loadConfig({}).pdfWorkers).toBe(Math.max(1, availableParallelism() - 1));
    expect(loadConfig({ PDF_WORKERS: '3' }).pdfWorkers).toBe(3);
    expect(() => loadConfig({ PDF_WORKERS: '0' })).toThrow('PDF_WORKERS must be a whole number between 1 and 64');
  });

  it('publishes open data under the 360Giving prefix set, which must start with 360G-', () => {
    expect(loadConfig({}).openDataGrantPrefix).toBe('360G-stadtneuss');
    expect(loadConfig({ OPEN_DATA_GRANT_PREFIX: '360G-neuss_foerder' }).openDataGrantPrefix).toBe('360G-neuss_foerder');
    expect(() => loadConfig({ OPEN_DATA_GRANT_PREFIX: 'stadtneuss' })).toThrow('OPEN_DATA_GRANT_PREFIX must be the publisher’s 360Giving prefix');
    expect(() => loadConfig({ OPEN_DATA_GRANT_PREFIX: '360G-' })).toThrow('OPEN_DATA_GRANT_PREFIX');
  });
});
