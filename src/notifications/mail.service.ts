import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../common/config.token.js';
import { resolveDataDir } from '../common/paths.js';
import type { Language } from '../web/i18n.js';
import { render } from '../web/view.js';

export interface MailMessage {
  to: string;
  template: string;
  lang: Language;
  context: Record<string, unknown>;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/**
 * Sends the service's emails. With SMTP_URL set they go out through that server; without it,
 * each message is written as an .eml file to DATA_DIR/outbox/ so that nothing is lost on a
 * machine with no mail server.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter;
  private readonly outboxDir: string | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.smtpUrl) {
      this.transport = nodemailer.createTransport(config.smtpUrl);
      this.outboxDir = null;
    } else {
      this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.outboxDir = join(resolveDataDir(config.dataDir), 'outbox');
    }
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
    const info = await this.transport.sendMail({
      from: this.config.mailFrom,
      to: message.to,
      subject,
      text,
      attachments: message.attachments,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    if (this.outboxDir) {
      await mkdir(this.outboxDir, { recursive: true });
      const file = join(this.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      await writeFile(file, (info as unknown as { message: Buffer }).message);
      this.logger.log(`Mail "${subject}" to ${message.to} written to ${file}`);
    }
  }

  /** Sending after a commit must never undo the commit: failures are logged, not thrown. */
  async sendQuietly(message: MailMessage): Promise<boolean> {
    try {
      await this.send(message);
      return true;
    } catch (error) {
      this.logger.error(`Mail ${message.template} to ${message.to} failed: ${(error as Error).message}`);
      return false;
    }
  }
}
