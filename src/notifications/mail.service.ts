import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../common/config.token.js';
import { resolveDataDir } from '../common/paths.js';
import type { Language } from '../web/i18n.js';
import { JobsService } from './jobs.service.js';
import { renderMailText } from './mail-text.js';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

/** An attachment made when the mail is sent (e.g. a PDF rendered from the database), named by kind. */
export interface AttachmentRef {
  kind: string;
  params: Record<string, unknown>;
}

export interface MailMessage {
  to: string;
  template: string;
  lang: Language;
  context: Record<string, unknown>;
  attachments?: AttachmentRef[];
}

export type AttachmentMaker = (params: Record<string, unknown>) => Promise<MailAttachment>;

export const MAIL_QUEUE = 'mail.send';
/** Mails handled at once by one instance (rendering and attachments overlap with SMTP round trips). */
const MAIL_CONCURRENCY = 10;
/** A mail still in flight this long after its instance died is sent again (with the same Message-ID). */
const MAIL_EXPIRE_SECONDS = 30;

/**
 * Sends the service's emails. With SMTP_URL set they go out through that server (a small pool of
 * connections); without it, each message is written as an .eml file to DATA_DIR/outbox/ (folder
 * 0700, files 0600: they hold one-time links) so that nothing is lost on a machine with no mail server.
 */
@Injectable()
export class MailService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter;
  private readonly outboxDir: string | null;
  private outboxReady: Promise<void> | null = null;
  private readonly attachmentMakers = new Map<string, AttachmentMaker>();
  private readonly messageIdDomain: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
  ) {
    if (config.smtpUrl) {
      this.transport = nodemailer.createTransport(pooledSmtpUrl(config.smtpUrl));
      this.outboxDir = null;
    } else {
      this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.outboxDir = join(resolveDataDir(config.dataDir), 'outbox');
    }
    this.messageIdDomain = /@([^>\s]+)/.exec(config.mailFrom)?.[1] ?? 'foerdertisch.invalid';
  }

  async onModuleInit(): Promise<void> {
    await this.jobs.work<MailMessage>(MAIL_QUEUE, (message, job) => this.send(message, job.id), {
      concurrency: MAIL_CONCURRENCY,
      expireInSeconds: MAIL_EXPIRE_SECONDS,
    });
  }

  /** The queue stops first, so that no mail in flight loses its connection. */
  async onApplicationShutdown(): Promise<void> {
    await this.jobs.onApplicationShutdown();
    this.transport.close();
  }

  /** Modules that attach documents register how to make them. */
  registerAttachment(kind: string, maker: AttachmentMaker): void {
    this.attachmentMakers.set(kind, maker);
  }

  /**
   * Queues a mail inside the caller's transaction: it is sent after the commit, retried while the
   * SMTP server fails, and never sent for a change that was rolled back.
   */
  async queue(manager: EntityManager, message: MailMessage): Promise<void> {
    this.compose(message); // a broken template fails the change now, not the mail later
    await this.jobs.enqueue(manager, MAIL_QUEUE, message);
  }

  /** Mail text lives in templates/mail/<lang>/<name>.njk; its first line is "Subject: …". Plain text, not HTML-escaped. */
  compose(message: MailMessage): { subject: string; text: string } {
    const rendered = renderMailText(`mail/${message.lang}/${message.template}.njk`, {
      ...message.context,
      baseUrl: this.config.baseUrl,
      lang: message.lang,
    });
    const [first, ...rest] = rendered.split('\n');
    if (!first.startsWith('Subject: ')) throw new Error(`Mail template ${message.template} lacks its Subject line`);
    return { subject: first.slice('Subject: '.length).trim(), text: rest.join('\n').trim() + '\n' };
  }

  /**
   * Sends one mail. `key` (the job's id) makes the Message-ID: a retry after a crash carries the
   * same one, so the receiving side can recognise the repeat.
   */
  async send(message: MailMessage, key: string = randomUUID()): Promise<void> {
    const { subject, text } = this.compose(message);
    const attachments = await Promise.all(
      (message.attachments ?? []).map((ref) => {
        const maker = this.attachmentMakers.get(ref.kind);
        if (!maker) throw new Error(`No maker for mail attachments of kind ${ref.kind}`);
        return maker(ref.params);
      }),
    );
    const info = await this.transport.sendMail({
      from: this.config.mailFrom,
      to: message.to,
      subject,
      text,
      attachments,
      messageId: `<${key}@${this.messageIdDomain}>`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    if (this.outboxDir) {
      await this.prepareOutbox(this.outboxDir);
      const file = join(this.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${key.slice(0, 8)}.eml`);
      await writeFile(file, (info as unknown as { message: Buffer }).message, { mode: 0o600 });
      this.logger.log(`Mail "${subject}" to ${message.to} written to ${file}`);
    }
  }

  /** The outbox holds reset and invitation links: readable by the service's user only. */
  private prepareOutbox(dir: string): Promise<void> {
    this.outboxReady ??= (async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700); // an outbox made by an older version was 0755
    })().catch((error) => {
      this.outboxReady = null;
      throw error;
    });
    return this.outboxReady;
  }
}

/** SMTP with a few reused connections, and time limits well inside a mail job's expiry. */
function pooledSmtpUrl(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  const defaults: Record<string, string> = {
    pool: 'true', maxConnections: '5', connectionTimeout: '10000', greetingTimeout: '10000', socketTimeout: '20000',
  };
  for (const [key, value] of Object.entries(defaults)) if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  return url.toString();
}
