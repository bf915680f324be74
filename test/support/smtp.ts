import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  url: string;
  messages: Email[];
  /** Resolves when `count` messages have arrived (or fails after a few seconds). */
  waitFor: (count: number) => Promise<Email[]>;
  /** Resolves with the first message that matches (or fails after a few seconds). */
  waitForMail: (match: (mail: Email) => boolean, timeoutMs?: number) => Promise<Email>;
  close: () => Promise<void>;
}

/** A real SMTP server in the test process that keeps every message it receives. */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  const messages: Email[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        PostalMime.parse(Buffer.concat(chunks)).then((mail) => {
          messages.push(mail);
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${bound}`,
    messages,
    waitFor: async (count) => {
      const until = Date.now() + 5000;
      while (messages.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      if (messages.length < count) throw new Error(`expected ${count} mails, got ${messages.length}`);
      return messages;
    },
    waitForMail: async (match, timeoutMs = 8000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no matching mail among ${messages.length}: ${messages.map((m) => m.subject).join(' | ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The one-time link in a mail's text, as a path. */
export function linkIn(mail: Email): string {
  const match = /https?:\/\/[^/\s]+(\/(?:invitation|password-reset)\/[\w-]+)/.exec(mail.text ?? '');
  if (!match) throw new Error(`no link in mail: ${mail.text}`);
  return match[1];
}

export interface GatedSmtp {
  url: string;
  messages: Email[];
  /** Messages whose data has arrived (held ones included). */
  arrived: () => string[];
  /** Accepts the held messages and every later one. */
  release: () => void;
  close: () => Promise<void>;
}

/**
 * An SMTP server that holds the messages to the recipients `hold` picks (all by default) until
 * `release()`: their mail jobs stay in flight meanwhile.
 */
export async function startGatedSmtp(hold: (recipient: string) => boolean = () => true): Promise<GatedSmtp> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const messages: Email[] = [];
  const arrived: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const recipient = session.envelope.rcptTo[0]?.address ?? '';
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        arrived.push(recipient);
        (hold(recipient) ? gate : Promise.resolve())
          .then(() => PostalMime.parse(Buffer.concat(chunks)))
          .then((mail) => {
            messages.push(mail);
            callback();
          }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    arrived: () => [...arrived],
    release,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
