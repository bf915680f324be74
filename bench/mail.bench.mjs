// Receipt mails per second through the service's mail queue: 300 receipts ("Eingangsbestätigung"
// with the receipt PDF rendered at send time) queued at once, delivered to a local SMTP server.
// Beside it the floor: nodemailer sending the same finished mail (the bytes the server received)
// over the same kind of pooled connection. Goal: at least 20 receipt mails per second.
// Run with `npm run bench` (it builds first), or `node bench/run.mjs mail`.
import { chmod, mkdtemp } from 'node:fs/promises';
import { freePort } from './support/harness.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { createApp, openDatabase } from '../dist/src/bootstrap.js';
import { loadConfig } from '../dist/src/config/app-config.js';
import { startEmbeddedPostgres } from '../dist/src/database/embedded-postgres.js';
import { seedDemo } from '../dist/src/database/seed-demo.js';
import { MailService } from '../dist/src/notifications/mail.service.js';

const COUNT = Number(process.env.MAIL_BENCH_COUNT ?? 300);
const WARM_UP = 10;
const GOAL_PER_SECOND = 20;
const FLOOR_CONCURRENCY = 10;


/** A local SMTP server that keeps the first message and counts the rest. */
async function startSmtp() {
  let received = 0;
  let first = null;
  const waiters = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('end', () => {
        received++;
        first ??= Buffer.concat(chunks);
        for (const waiter of waiters.filter((w) => received >= w.count)) waiter.resolve();
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${server.server.address().port}`,
    received: () => received,
    first: () => first,
    until: (count) => (received >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const root = await mkdtemp(join(tmpdir(), 'foerdertisch-mail-bench-'));
await chmod(root, 0o755);
const db = await startEmbeddedPostgres({ databaseDir: join(root, 'postgres'), port: await freePort(), database: 'foerdertisch' });
const smtp = await startSmtp();
const dataSource = await openDatabase(db.url);
await seedDemo(dataSource);
const config = loadConfig({ DATA_DIR: join(root, 'data'), SMTP_URL: smtp.url, LOG_LEVEL: 'error', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-1' });
const app = await createApp(config, dataSource, config.sessionSecret);
await app.init();
const mail = app.get(MailService);

// One application submitted the way an applicant does it: its receipt is the mail measured.
const PDF_FILE = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const applicant = request.agent(app.getHttpServer());
const { csrfToken } = (await applicant.get('/api/v1/auth/csrf').expect(200)).body;
await applicant.post('/api/v1/auth/login').set('X-CSRF-Token', csrfToken).send({ email: 'verein@neuss.example', password: 'Neuss-Demo-2026' }).expect(200);
const [call] = (await applicant.get('/api/v1/calls?open=true').expect(200)).body;
const [organisation] = (await applicant.get('/api/v1/organisations').expect(200)).body;
const draft = (await applicant.post('/api/v1/applications').set('X-CSRF-Token', csrfToken).send({
  callId: call.id, organisationId: organisation.id, title: 'Sprachcafé im Quartier', fieldOfAction: 'Sprachförderung',
  targetGroup: 'Neu zugewanderte Familien', district: 'Erfttal', description: 'Wöchentliches Sprachcafé mit Kinderbetreuung.',
  goals: 'Alltagsdeutsch üben, Nachbarschaft stärken.', methods: 'Gesprächsrunden, Spiele, gemeinsame Ausflüge.', expectedParticipants: 40,
  openness: 'Offen für alle, kostenfrei, barrierearmer Raum.',
  costLines: [{ category: 'Honorare', description: 'Kursleitung 40 Stunden', amountCents: 300_000 }, { category: 'Sachkosten', description: 'Material und Getränke', amountCents: 50_000 }],
  ownFundsCents: 50_000, thirdParty: [{ source: 'Bürgerstiftung Neuss', amountCents: 20_000, status: 'applied' }], requestedCents: 280_000,
  startDate: call.fundingPeriodStart, endDate: call.fundingPeriodEnd, declarations: call.declarations,
}).expect(201)).body;
for (const kind of call.requiredAttachments) {
  await applicant.post(`/api/v1/applications/${draft.id}/attachments`).set('X-CSRF-Token', csrfToken).field('kind', kind).attach('file', PDF_FILE, `${kind}.pdf`).expect(201);
}
const submitted = (await applicant.post(`/api/v1/applications/${draft.id}/submit`).set('X-CSRF-Token', csrfToken).expect(200)).body;
await smtp.until(1); // the real receipt of this submission
const version = { id: draft.id, number: 1, title: submitted.title, referenceNumber: submitted.referenceNumber, email: 'verein@neuss.example', name: 'Verein' };
const receipt = {
  to: version.email,
  template: 'application-submitted',
  lang: 'de',
  context: { name: version.name, referenceNumber: version.referenceNumber, title: version.title, callTitle: call.title, callYear: call.year, number: version.number, link: `/applications/${version.id}` },
  attachments: [{ kind: 'application-receipt', params: { applicationId: version.id, number: version.number, referenceNumber: version.referenceNumber, lang: 'de' } }],
};
const queueReceipts = (count) => dataSource.transaction(async (manager) => {
  for (let i = 0; i < count; i++) await mail.queue(manager, receipt);
});

await queueReceipts(WARM_UP);
await smtp.until(1 + WARM_UP);

await queueReceipts(COUNT);
const started = performance.now();
await smtp.until(1 + WARM_UP + COUNT);
const serviceSeconds = (performance.now() - started) / 1000;
const servicePerSecond = COUNT / serviceSeconds;
// The same mails without the PDF: what the queue and SMTP path alone achieve.
const textOnly = { ...receipt, attachments: [] };
await dataSource.transaction(async (manager) => {
  for (let i = 0; i < COUNT; i++) await mail.queue(manager, textOnly);
});
const textStarted = performance.now();
await smtp.until(1 + WARM_UP + 2 * COUNT);
const textPerSecond = COUNT / ((performance.now() - textStarted) / 1000);

// Floor: the finished receipt, sent again and again with the same pooled transport settings.
const raw = smtp.first();
const transport = nodemailer.createTransport(`${smtp.url}?pool=true&maxConnections=5`);
const floorStarted = performance.now();
let next = 0;
await Promise.all(Array.from({ length: FLOOR_CONCURRENCY }, async () => {
  while (next < COUNT) {
    next++;
    await transport.sendMail({ envelope: { from: 'foerdertisch@stadt.neuss.de', to: version.email }, raw });
  }
}));
const floorSeconds = (performance.now() - floorStarted) / 1000;
const floorPerSecond = COUNT / floorSeconds;
transport.close();

console.log(
  `receipt mails (text + PDF receipt, queued, SMTP): ${servicePerSecond.toFixed(1)}/s (${COUNT} in ${serviceSeconds.toFixed(2)} s) · ` +
    `floor (nodemailer, same finished mail): ${floorPerSecond.toFixed(1)}/s · ratio ${(servicePerSecond / floorPerSecond).toFixed(2)} · goal ≥ ${GOAL_PER_SECOND}/s`,
);
console.log(`  the same mails without the PDF: ${textPerSecond.toFixed(1)}/s · ratio to the floor ${(textPerSecond / floorPerSecond).toFixed(2)}`);

await app.close();
if (dataSource.isInitialized) await dataSource.destroy();
await db.stop();
await smtp.close();
process.exitCode = servicePerSecond >= GOAL_PER_SECOND ? 0 : 1;
