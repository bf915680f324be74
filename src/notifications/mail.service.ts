import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../common/config.token.js';
import { resolveDataDir } from '../common/paths.js';
import type { Language } from '../web/i18n.js';
import { render } from '../web/view.js';
import { JobsService } from './jobs.service.js';

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

/**
 * Sends the service's emails. With SMTP_URL set they go out through that server; without it,
 * each message is written as an .eml file to DATA_DIR/outbox/ so that nothing is lost on a
 * machine with no mail server.
 */
@Injectable()
export class MailService implements OnModuleInit {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter;
  private readonly outboxDir: string | null;
  private readonly attachmentMakers = new Map<string, AttachmentMaker>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
  ) {
    if (config.smtpUrl) {
      this.transport = nodemailer.createTransport(config.smtpUrl);
      this.outboxDir = null;
    } else {
      this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.outboxDir = join(resolveDataDir(config.dataDir), 'outbox');
    }
  }

  async onModuleInit(): Promise<void> {
    await this.jobs.work<MailMessage>(MAIL_QUEUE, (message) => this.send(message));
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

  /** Mail text lives in templates/mail/<lang>/<name>.njk; its first line is "Subject: …". */
  compose(message: MailMessage): { subject: string; text: string } {
    const rendered = render(`mail/${message.lang}/${message.template}.njk`, {
      ...message.context,
      baseUrl: this.config.baseUrl,
      lang: message.lang,
    });
    const [first, ...rest] = rendered.split('\n');
    if (!first.startsWith('Subject: ')) throw new Error(`Mail template ${message.template} lacks its Subject line`);
    return { subject: first.slice('Subject: '.length).trim(), text: rest.join('\n').trim() + '\n' };
  }

  async send(message: MailMessage): Promise<void> {
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
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    if (this.outboxDir) {
      await mkdir(this.outboxDir, { recursive: true });
      const file = join(this.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      await writeFile(file, (info as unknown as { message: Buffer }).message);
      this.logger.log(`Mail "${subject}" to ${message.to} written to ${file}`);
    }
  }
}
