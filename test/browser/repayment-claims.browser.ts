import { describe, expect, it } from '@jest/globals';
import { berlinDay } from '../../src/common/dates.js';
import { DEMO, eventually } from '../support/app.js';
import { browserJourney, browserSkipReason, click, download } from '../support/browser.js';
import { closeReportWithRepayment } from '../support/claims.js';
import { pdfText } from '../support/pdf.js';
import { plain } from '../support/text.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

suite('the repayment claim, in Chromium', () => {
  const journey = browserJourney();
  const { tabs, loggedIn } = journey;

  it('A drafts with a waiver refused and then without, B releases, the association finds the claim and its letter, A books the refund', async () => {
    const t = journey.app;
    const { reportId, award } = await closeReportWithRepayment(t);

    // Office person A opens the claim page and drafts: a waiver without a reason is refused.
    const a = await loggedIn(DEMO.office);
    await a.goto(`/applications/${award.applicationId}`);
    await click(a, 'link', 'Zur Rückforderung');
    expect(await a.page.locator('h1').textContent()).toContain('Rückforderung');
    await a.page.getByLabel(/Auf die Zinsen verzichten/).check();
    await click(a, 'button', 'Entwurf speichern');
    expect(await a.page.locator('.error-summary').textContent()).toContain('schriftliche Begründung');
    await a.page.getByLabel(/Auf die Zinsen verzichten/).uncheck();
    await click(a, 'button', 'Entwurf speichern');
    expect(await a.page.getByRole('status').textContent()).toContain('Entwurf der Rückforderung ist gespeichert');
    expect(await a.page.getByRole('table', { name: /Zinsen: fünf Prozentpunkte/ }).count()).toBe(1);
    expect(await a.page.getByRole('button', { name: 'Rückforderung freigeben' }).count()).toBe(0);

    // Office person B releases it.
    const b = await loggedIn(DEMO.secondOffice);
    await b.goto(`/office/reports/${reportId}/claim`);
    await click(b, 'button', 'Rückforderung freigeben');
    expect(await b.page.getByRole('status').textContent()).toContain('freigegeben');

    // The association finds the claim on its application page and downloads the letter.
    const association = await loggedIn(DEMO.applicant);
    await eventually(async () => (await t.dataSource.query(`SELECT 1 FROM repayment_claim_letter l JOIN repayment_claim c ON c.id = l.claim_id WHERE c.report_id = $1`, [reportId])).length === 1, 45_000, 'letter');
    await association.goto(`/applications/${award.applicationId}`);
    await click(association, 'link', 'Berechnung und Bescheid ansehen');
    const letter = plain(await pdfText(await download(association.page, () => association.page.getByRole('link', { name: 'Rückforderungsbescheid (PDF)' }).click())));
    expect(letter).toContain('Rückforderungsbescheid');
    expect(letter).toContain('700,00 €');

    // A books the refund.
    await a.goto(`/office/reports/${reportId}/claim`);
    const total = plain(await a.page.locator('dd strong').first().textContent()).replace(/\s*€/, '');
    await a.page.getByLabel('Eingegangen am').fill(berlinDay(new Date()));
    await a.page.getByLabel('Eingegangener Betrag in Euro').fill(total);
    await click(a, 'button', 'Zahlungseingang buchen');
    expect(await a.page.getByRole('status').textContent()).toContain('Zahlungseingang ist gebucht');

    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  }, 180_000);
});
