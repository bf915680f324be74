// Award letters (Zuwendungsbescheide): renders 500 of them through the render jobs' entry point, the
// function the worker threads run for the service, here in this process; beside it the floor in
// the same run: bare pdfkit writing a one-page document in the same fonts (DejaVu Sans and Bold from
// the same files, embedded), with nothing of the kit (no PDF/A, no tagging, no cached fonts). The
// figure is letters/s ÷ floor documents/s, goal ≥ 0.5. The two alternate in rounds, so that load
// from elsewhere on the machine falls on both alike. BENCH_SCALE scales the count.
// Run with `npm run bench -- letters` (builds first).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { create as parseFont } from 'fontkit';
import PDFDocument from 'pdfkit';
import { finish, fmt, report, scaled } from './support/harness.mjs';
import renderDocument from '../dist/src/documents/render-jobs.js';

const LETTERS = scaled(500, 10);
const ROUNDS = 10;
const GOAL = 0.5;

const organisations = ['Raum der Kulturen Neuss e.V.', 'Türkischer Elternverein für Bildung und Kultur Rhein-Kreis Neuss e.V.', 'Neusser Interkultur e.V. (Neik e.V.)', 'Interkulturelles Frauennetzwerk Neuss e.V.'];
const titles = ['Sprachcafé Erfttal', 'Hausaufgabenhilfe mit Elterncafé', 'Interkulturelles Nachbarschaftsfest Weckhoven', 'Bewerbungstraining für zugewanderte Frauen'];
const categories = ['Honorare', 'Sachkosten', 'Raummiete', 'Öffentlichkeitsarbeit'];

/** The i-th award: a 12-line plan, amounts and names varying as a call's letters do. */
function award(i) {
  const costLines = Array.from({ length: 12 }, (_, line) => ({
    category: categories[line % categories.length],
    description: `${['Honorar Sprachlehrerin', 'Lernmaterial', 'Miete Bürgerhaus', 'Flyer und Plakate'][line % 4]}, Los ${line + 1}`,
    amountCents: 20_000 + ((i * 7919 + line * 104_729) % 300_000),
  }));
  const totalCostsCents = costLines.reduce((sum, line) => sum + line.amountCents, 0);
  const amountCents = Math.round(totalCostsCents * 0.8);
  return {
    referenceNumber: `NE-2027-${String(i + 1).padStart(4, '0')}`,
    date: '2027-03-15',
    organisation: { name: organisations[i % organisations.length], street: `Further Straße ${1 + (i % 90)}`, postalCode: '41462', city: 'Neuss' },
    contactName: i % 3 === 0 ? null : 'Aylin Demir',
    clerkName: 'Jonas Becker',
    clerkPhone: '02131 90-2417',
    clerkEmail: 'jonas.becker@stadt.neuss.de',
    applicationTitle: titles[i % titles.length],
    callTitle: 'Teilhabe und Begegnung in Neuss',
    callYear: 2027,
    submittedAt: '2026-09-12T08:15:00.000Z',
    requestedCents: amountCents + (i % 2) * 50_000,
    amountCents,
    purpose: `${titles[i % titles.length]}: Begegnung und Teilhabe im Stadtteil für neu Zugewanderte und ihre Nachbarschaft`,
    periodStart: '2027-04-01',
    periodEnd: '2027-12-31',
    financeType: 'share',
    sharePercent: 80,
    maxAmountCents: 5_000_000,
    financePlan: { costLines, ownFundsCents: totalCostsCents - amountCents, thirdParty: [], totalCostsCents },
    specialConditions: i % 2 === 0 ? ['Die Teilnehmendenlisten sind dem Verwendungsnachweis beizufügen.'] : [],
    reportDueDate: '2028-03-31',
    paymentWindowMonths: 2,
    lineDeviationPercent: 20,
  };
}

const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = readFileSync(join(FONT_DIR, 'DejaVuSans.ttf'));
const BOLD = readFileSync(join(FONT_DIR, 'DejaVuSans-Bold.ttf'));
const FLOOR_TEXT = [
  'Die Allgemeinen Nebenbestimmungen für Zuwendungen zur Projektförderung (ANBest-P) sind Bestandteil dieses Bescheids.',
  'Der Finanzierungsplan ist in seiner Gesamtsumme verbindlich. Eine einzelne Kostenposition darf um bis zu 20 % überschritten werden, wenn Einsparungen bei anderen Positionen die Überschreitung ausgleichen.',
  'Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim Verwaltungsgericht Düsseldorf, Bastionstraße 39, 40213 Düsseldorf, erhoben werden.',
];

/** The same fonts parsed once, as the kit keeps them: for a second, informative floor. */
const PARSED = { regular: parseFont(REGULAR), bold: parseFont(BOLD) };

/**
 * The floor: bare pdfkit, one A4 page of a heading and paragraphs in the two fonts, embedded. Given
 * the font files, pdfkit parses them for each document; with `fonts` parsed once, it does not.
 */
function floorDocument(i, fonts = { regular: REGULAR, bold: BOLD }) {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', font: '' });
    const chunks = [];
    doc.on('data', (chunk) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('Regular', fonts.regular).registerFont('Bold', fonts.bold);
    doc.font('Bold').fontSize(14).text(`Zuwendungsbescheid NE-2027-${String(i + 1).padStart(4, '0')}`, { paragraphGap: 10 });
    doc.font('Regular').fontSize(10);
    for (let n = 0; n < 6; n++) for (const text of FLOOR_TEXT) doc.text(text, { paragraphGap: 6 });
    doc.end();
  });
}

const pages = (pdf) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

// Warm-up for both: fonts parsed, code compiled.
for (let i = 0; i < 5; i++) {
  await renderDocument({ kind: 'award', args: [award(i), 'de'] });
  await floorDocument(i);
  await floorDocument(i, PARSED);
}
const sample = Buffer.from(await renderDocument({ kind: 'award', args: [award(0), 'de'] }));
const floorSample = await floorDocument(0);
if (pages(floorSample) !== 1) throw new Error(`the floor document has ${pages(floorSample)} pages, not one`);

let letterMs = 0;
let floorMs = 0;
let parsedMs = 0;
let letterBytes = 0;
const perRound = Math.ceil(LETTERS / ROUNDS);
for (let done = 0; done < LETTERS; done += perRound) {
  const count = Math.min(perRound, LETTERS - done);
  let started = performance.now();
  for (let i = done; i < done + count; i++) letterBytes += (await renderDocument({ kind: 'award', args: [award(i), 'de'] })).length;
  letterMs += performance.now() - started;
  started = performance.now();
  for (let i = done; i < done + count; i++) await floorDocument(i);
  floorMs += performance.now() - started;
  started = performance.now();
  for (let i = done; i < done + count; i++) await floorDocument(i, PARSED);
  parsedMs += performance.now() - started;
}

const lettersPerSecond = (LETTERS * 1000) / letterMs;
const floorPerSecond = (LETTERS * 1000) / floorMs;
const ratio = lettersPerSecond / floorPerSecond;
const parsedPerSecond = (LETTERS * 1000) / parsedMs;
console.log(`award letters: ${LETTERS}, ${pages(sample)} pages each (12-line plan), ${(letterBytes / LETTERS / 1024).toFixed(0)} KB each; floor: ${LETTERS} one-page documents, ${(floorSample.length / 1024).toFixed(0)} KB each`);
console.log(`for comparison, the floor with the fonts parsed once (as the kit keeps them): ${fmt.rate(parsedPerSecond)}, ratio ${fmt.ratio(lettersPerSecond / parsedPerSecond)}`);
const met = report('letters', [
  { name: 'award letters per second', figure: fmt.rate(lettersPerSecond), floor: fmt.rate(floorPerSecond), ratio: fmt.ratio(ratio), goal: `ratio ≥ ${GOAL}`, ok: ratio >= GOAL },
]);
await finish(met);
