import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addMonths } from '../../src/awards/calendar-days.js';
import { berlinDay } from '../../src/common/dates.js';
import { formatEuroCents } from '../../src/common/money.js';
import { DEMO, eventually, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { plain } from '../support/text.js';
import { binary } from '../support/applications.js';
import { decidedTable, decisions, releasedAward } from '../support/awards.js';
import { pdfText } from '../support/pdf.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const euro = (cents: number) => plain(formatEuroCents(cents, 'de'));
/** 2027-03-31 → 31.03.2027, as the pages write days. */
const day = (iso: string) => iso.split('-').reverse().join('.');
const today = () => berlinDay(new Date());

const fieldError = (html: string, field: string) => plain(html).match(new RegExp(`<span class="field-error" id="f-${field}-error">([^<]*)</span>`))?.[1] ?? '';

async function letterStored(decisionId: string) {
  await eventually(async () => (await t.dataSource.query(`SELECT 1 FROM decision_letter WHERE decision_id = $1`, [decisionId])).length === 1, 60_000, 'letter stored');
}

describe('the decision on the application page', () => {
  it('shows nothing before the release; then the decision, its letter, acceptance with waiver, the account and payment requests', async () => {
    const { office, officeToken, second, secondToken, callId } = await decidedTable(t, 1, 1);
    await office.post(`/api/v1/calls/${callId}/decisions`).set('X-CSRF-Token', officeToken).expect(200);
    const drafted = (await decisions(office, callId)).decisions;
    const award = drafted.find((d) => d.kind === 'award')!;
    const rejection = drafted.find((d) => d.kind === 'rejection')!;
    const applicant = t.agent();
    const token = await loginAs(applicant, DEMO.applicant);
    const page = async (applicationId: string) => plain((await applicant.get(`/applications/${applicationId}`).expect(200)).text);
    const appId = award.applicationId;

    // A draft is the office's business: no section, no letter, no forms.
    const before = await page(appId);
    expect(before).not.toContain('id="decision"');
    expect(before).not.toContain('Zuwendung bewilligt');
    expect(before).not.toContain('/decision/acceptance');
    await applicant.get(`/applications/${appId}/decision/letter.pdf`).expect(404);
    await applicant.post(`/applications/${appId}/decision/acceptance`).type('form').send({ _csrf: token, waive: 'true' }).expect(404);
    await applicant.post(`/applications/${appId}/payments`).type('form').send({ _csrf: token, amountCents: '100', neededOn: today(), purpose: 'x' }).expect(404);

    await second.post(`/api/v1/decisions/${award.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
    await second.post(`/api/v1/decisions/${rejection.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
    await letterStored(award.id);
    await letterStored(rejection.id);
    const [dates] = await t.dataSource.query(
      `SELECT notified_on::text AS "notifiedOn", remedy_period_ends_on::text AS "remedyEndsOn", final_on::text AS "finalOn" FROM decision WHERE id = $1`, [award.id]);

    const shown = await page(appId);
    expect(shown).toContain('<h2 id="decision">Bescheid</h2>');
    expect(shown).toContain('Zuwendung bewilligt');
    expect(shown).toContain(euro(award.amountCents!));
    // The dates, and the one sentence saying what they mean.
    expect(shown).toContain(`Der Bescheid gilt am ${day(dates.notifiedOn)} als bei Ihnen angekommen; bis zum ${day(dates.remedyEndsOn)} können Sie dagegen beim Verwaltungsgericht Düsseldorf klagen, und ab dem ${day(dates.finalOn)} ist er bestandskräftig`);
    expect(shown).toContain(`href="/applications/${appId}/decision/letter.pdf"`);
    // The acceptance form: the waiver is a choice of its own, in a fieldset with a legend.
    expect(shown).toContain(`action="/applications/${appId}/decision/acceptance"`);
    expect(shown).toMatch(/<fieldset aria-describedby="waive-explained">\s*<legend>Verzicht auf Rechtsbehelfe \(freiwillig\)<\/legend>[\s\S]*id="f-waive" name="waive" value="true"[\s\S]*<label for="f-waive">Ich verzichte auf Rechtsbehelfe \(der Bescheid wird damit sofort bestandskräftig\)<\/label>[\s\S]*<\/fieldset>/);
    // The account, as a table with a caption and row headers; no payment form before acceptance, and why.
    expect(shown).toMatch(/<caption>Konto der Zuwendung<\/caption>/);
    expect(shown).toContain(`<th scope="row">Bewilligt</th><td class="amount">${euro(award.amountCents!)}</td>`);
    expect(shown).toContain(`<th scope="row">Noch offen (noch abrufbar)</th><td class="amount"><strong>${euro(award.amountCents!)}</strong></td>`);
    expect(shown).toContain('Sie können Mittel abrufen, sobald Sie den Bescheid angenommen haben');
    expect(shown).not.toContain(`action="/applications/${appId}/payments"`);
    // Nothing of the office's people reaches the organisation.
    const staff: { id: string; fullName: string }[] = await t.dataSource.query(`SELECT id, full_name AS "fullName" FROM app_user WHERE email = ANY($1)`, [[DEMO.office, DEMO.secondOffice]]);
    expect(staff).toHaveLength(2);
    for (const person of staff) {
      expect(shown).not.toContain(person.fullName);
      expect(shown).not.toContain(person.id);
    }
    // In English too.
    const english = plain((await applicant.get(`/applications/${appId}?lang=en`).expect(200)).text);
    expect(english).toContain('Grant awarded');
    expect(english).toContain('Account of the grant');
    await applicant.get(`/applications/${appId}?lang=de`).expect(200);

    // The letter as it was sent.
    const letter = await applicant.get(`/applications/${appId}/decision/letter.pdf`).buffer(true).parse(binary).expect(200);
    expect(letter.headers['content-type']).toBe('application/pdf');
    expect(letter.headers['content-disposition']).toContain('Zuwendungsbescheid');
    const [stored] = await t.dataSource.query(`SELECT sha256 FROM decision_letter WHERE decision_id = $1`, [award.id]);
    expect(letter.headers['x-content-sha256']).toBe(stored.sha256);
    const [{ referenceNumber }] = await t.dataSource.query(`SELECT reference_number AS "referenceNumber" FROM application WHERE id = $1`, [appId]);
    const text = await pdfText(letter.body as Buffer);
    expect(text).toContain('Zuwendungsbescheid');
    expect(text).toContain(referenceNumber);

    // A payment before acceptance: the page says why (409).
    const early = plain((await applicant.post(`/applications/${appId}/payments`).type('form').send({ _csrf: token, amountCents: '100,00', neededOn: today(), purpose: 'Miete' }).expect(409)).text);
    expect(early).toContain('Mittel können erst abgerufen werden, wenn der Zuwendungsbescheid bestandskräftig ist oder Sie ihn angenommen haben (Stand: bewilligt).');
    expect(early).toContain('class="error-summary"');

    // A box ticked with something else than its own value is a message at the box.
    const odd = (await applicant.post(`/applications/${appId}/decision/acceptance`).type('form').send({ _csrf: token, waive: 'yes' }).expect(422)).text;
    expect(fieldError(odd, 'waive')).not.toBe('');
    expect(odd).toContain('<a href="#f-waive">Ich verzichte auf Rechtsbehelfe');
    // Accepting with the waiver.
    const accepted = await applicant.post(`/applications/${appId}/decision/acceptance`).type('form').send({ _csrf: token, waive: 'true' }).expect(303);
    expect(accepted.headers.location).toBe(`/applications/${appId}?notice=grant.acceptedWaived#decision`);
    const [row] = await t.dataSource.query(`SELECT accepted_at AS "acceptedAt", waived_at AS "waivedAt", final_on::text AS "finalOn" FROM decision WHERE id = $1`, [award.id]);
    expect(row.acceptedAt).not.toBeNull();
    expect(row.waivedAt).not.toBeNull();
    // Final on the day of the waiver, but not before the decision counts as notified.
    expect(row.finalOn).toBe(dates.notifiedOn > today() ? dates.notifiedOn : today());
    const afterAccept = plain((await applicant.get(`/applications/${appId}?notice=grant.acceptedWaived`).expect(200)).text);
    expect(afterAccept).toContain('Sie haben den Bescheid angenommen und auf Rechtsbehelfe verzichtet.');
    expect(afterAccept).toMatch(/Sie haben den Bescheid am \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} angenommen und am \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} auf Rechtsbehelfe verzichtet\./);
    expect(afterAccept).toContain(`Weil Sie auf Rechtsbehelfe verzichtet haben, ist der Bescheid ab dem ${day(row.finalOn)} bestandskräftig, also endgültig.`);
    expect(afterAccept).toContain('<dt>Klagefrist endet am</dt><dd>entfällt (Sie haben verzichtet)</dd>');
    expect(afterAccept).not.toContain(`action="/applications/${appId}/decision/acceptance"`);

    // The payment window is stated before the form, with the latest day allowed.
    const latest = addMonths(today(), 2);
    expect(afterAccept).toContain(`Sie können Geld nur für Zahlungen abrufen, die innerhalb von 2 Monaten fällig werden. Der späteste Tag, den Sie heute als „Benötigt am“ angeben können, ist der ${day(latest)}.`);
    expect(afterAccept).toContain(`action="/applications/${appId}/payments"`);
    expect(afterAccept).toMatch(/<label for="f-amountCents">Betrag in Euro<\/label>/);
    expect(afterAccept).toContain(`min="${today()}" max="${latest}"`);

    const requestPayment = (fields: Record<string, string>) => applicant.post(`/applications/${appId}/payments`).type('form').send({ _csrf: token, amountCents: '500,00', neededOn: today(), purpose: 'Honorare Februar', ...fields });
    // A bad amount: the message at the field, what was typed kept.
    const badAmount = (await requestPayment({ amountCents: 'fünf' }).expect(422)).text;
    expect(fieldError(badAmount, 'amountCents')).not.toBe('');
    expect(badAmount).toContain('aria-invalid="true"');
    expect(badAmount).toContain('value="fünf"');
    expect(badAmount).toContain('<a href="#f-amountCents">Betrag in Euro:');
    const tooMuch = (await requestPayment({ amountCents: String(award.amountCents! / 100 + 1) }).expect(422)).text;
    expect(fieldError(tooMuch, 'amountCents')).toContain(`(${euro(award.amountCents!)})`);
    // A day beyond the window: the message names the latest day.
    const tooLate = (await requestPayment({ neededOn: addMonths(today(), 3) }).expect(422)).text;
    expect(fieldError(tooLate, 'neededOn')).toContain(`innerhalb von 2 Monaten fällig werden: spätestens zum ${day(latest)}`);
    expect(tooLate).toContain('<a href="#f-neededOn">Benötigt am:');
    await requestPayment({ neededOn: '2020-01-01' }).expect(422);
    await requestPayment({ purpose: '' }).expect(422);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM payment_request WHERE decision_id = $1`, [award.id]))[0].n).toBe(0);

    const done = await requestPayment({}).expect(303);
    expect(done.headers.location).toBe(`/applications/${appId}?notice=grant.paymentRequested#payments`);
    const listed = plain((await applicant.get(`/applications/${appId}`).expect(200)).text);
    expect(listed).toMatch(/<td class="amount">500,00 €<\/td>\s*<td>[\d.]+<\/td>\s*<td>Honorare Februar<\/td>\s*<td>abgerufen – die Geschäftsstelle prüft den Abruf<\/td>/);
    expect(listed).toContain(`<th scope="row">Abgerufen</th><td class="amount">500,00 €</td>`);
    expect(listed).toContain(`<th scope="row">Davon ausgezahlt</th><td class="amount">0,00 €</td>`);
    expect(listed).toContain(`<th scope="row">Noch offen (noch abrufbar)</th><td class="amount"><strong>${euro(award.amountCents! - 50_000)}</strong></td>`);

    // Confirmed by one office user, released by another: paid on the value date. A refused one says why.
    const [payment] = await t.dataSource.query(`SELECT id FROM payment_request WHERE decision_id = $1`, [award.id]);
    await office.post(`/api/v1/payments/${payment.id}/confirm`).set('X-CSRF-Token', officeToken).expect(200);
    expect(plain((await applicant.get(`/applications/${appId}`).expect(200)).text)).toContain('bestätigt – die Auszahlung wird angeordnet');
    await second.post(`/api/v1/payments/${payment.id}/release`).set('X-CSRF-Token', secondToken).expect(200);
    await requestPayment({ amountCents: '100', purpose: 'Raummiete' }).expect(303);
    const [refused] = await t.dataSource.query(`SELECT id FROM payment_request WHERE decision_id = $1 AND purpose = 'Raummiete'`, [award.id]);
    await office.post(`/api/v1/payments/${refused.id}/reject`).set('X-CSRF-Token', officeToken).send({ reason: 'Belege fehlen' }).expect(200);
    const paid = plain((await applicant.get(`/applications/${appId}`).expect(200)).text);
    expect(paid).toContain(`ausgezahlt am ${day(today())}`);
    expect(paid).toContain('abgelehnt: Belege fehlen');
    expect(paid).toContain(`<th scope="row">Davon ausgezahlt</th><td class="amount">500,00 €</td>`);
    for (const person of staff) expect(paid).not.toContain(person.fullName);

    // The rejection: its reason, its letter, no acceptance and no money.
    const rejected = plain((await applicant.get(`/applications/${rejection.applicationId}`).expect(200)).text);
    expect(rejected).toContain('<strong>Ablehnung</strong>');
    expect(rejected).toContain('Der Runde Tisch hat sich gegen eine Förderung ausgesprochen.');
    expect(rejected).not.toContain('/decision/acceptance');
    expect(rejected).not.toContain('Konto der Zuwendung');
    // A rejection cannot be withdrawn any more: no button that would lead to a refusal.
    expect(rejected).not.toContain(`/applications/${rejection.applicationId}/withdraw`);
    const rejectionLetter = await applicant.get(`/applications/${rejection.applicationId}/decision/letter.pdf`).buffer(true).parse(binary).expect(200);
    expect(await pdfText(rejectionLetter.body as Buffer)).toContain('Ablehnungsbescheid');
    await applicant.post(`/applications/${rejection.applicationId}/decision/acceptance`).type('form').send({ _csrf: token, waive: 'true' }).expect(409);
    await applicant.post(`/applications/${rejection.applicationId}/payments`).type('form').send({ _csrf: token, amountCents: '1', neededOn: today(), purpose: 'x' }).expect(404);

    // Another organisation: 404 everywhere, and nothing changes.
    const other = t.agent();
    const otherToken = await loginAs(other, DEMO.otherApplicant);
    await other.get(`/applications/${appId}`).expect(404);
    await other.get(`/applications/${appId}/decision/letter.pdf`).expect(404);
    await other.post(`/applications/${appId}/decision/acceptance`).type('form').send({ _csrf: otherToken, waive: 'true' }).expect(404);
    await other.post(`/applications/${appId}/payments`).type('form').send({ _csrf: otherToken, amountCents: '1,00', neededOn: today(), purpose: 'x' }).expect(404);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM payment_request WHERE decision_id = $1`, [award.id]))[0].n).toBe(2);
    // Office users act on their own pages; these forms are the organisation's.
    await office.post(`/applications/${appId}/payments`).type('form').send({ _csrf: officeToken, amountCents: '1,00', neededOn: today(), purpose: 'x' }).expect(403);
    await office.get(`/applications/${appId}/decision/letter.pdf`).expect(200);
  }, 240_000);
});

describe('bad input on the decision routes', () => {
  it('answers malformed ids and bodies on the page routes without a 5xx', async () => {
    const { award, applicant, applicantToken } = await releasedAward(t);
    const appId = award.applicationId;
    // Accepted without the waiver (the box left unticked), so that payment requests get past the state check.
    const accepted = await applicant.post(`/applications/${appId}/decision/acceptance`).type('form').send({ _csrf: applicantToken }).expect(303);
    expect(accepted.headers.location).toBe(`/applications/${appId}?notice=grant.accepted#decision`);
    const [row] = await t.dataSource.query(`SELECT accepted_at AS "acceptedAt", waived_at AS "waivedAt" FROM decision WHERE id = $1`, [award.id]);
    expect(row.acceptedAt).not.toBeNull();
    expect(row.waivedAt).toBeNull();
    // The waiver can follow on its own, as a button that says what it does.
    const page = (await applicant.get(`/applications/${appId}?notice=grant.accepted`).expect(200)).text;
    expect(page).toContain('Sie haben den Bescheid angenommen. Sie können jetzt Mittel abrufen.');
    expect(page).toMatch(/Sie haben den Bescheid am [\d.]+, [\d:]+ angenommen\./);
    expect(page).toContain('<h3 id="accept">Auf Rechtsbehelfe verzichten</h3>');
    expect(page).toContain('<button type="submit" class="secondary">Ich verzichte auf Rechtsbehelfe</button>');
    expect(page).not.toContain('<h3 id="accept">Bescheid annehmen</h3>');
    expect(page).toContain(`action="/applications/${appId}/payments"`);
    const ids = [appId, 'abc', '0', '-1', '%00', 'a%00b', '%ED%A0%80', '%F0%9F%98%80', '00000000-0000-0000-0000-000000000000', 'a'.repeat(300), '1e20', award.id];
    const values = ['\u0000', 'a\u0000b', '%ED%A0%80', '', ' ', 'x'.repeat(20_000), '1e20', '-1', '0', '0,001', '99999999999999999999', 'NaN', '2027-02-30', '<b>', 'on', 'true'];
    const encode = (value: string) => (value === '%ED%A0%80' ? value : encodeURIComponent(value));
    const shapes = (name: string, value: string) => [`${name}=${encode(value)}`, `${name}[]=${encode(value)}`, `${name}[x]=${encode(value)}`, `${name}[a][b][c][d][e]=${encode(value)}`];
    const failures: string[] = [];
    const statuses = new Set<number>();
    const check = (what: string, status: number) => {
      statuses.add(status);
      if (status >= 500) failures.push(`${status} ${what}`);
    };
    for (const id of ids) {
      check(`GET letter ${id}`, (await applicant.get(`/applications/${id}/decision/letter.pdf`)).status);
    }
    for (const [index, value] of values.entries()) {
      const id = ids[index % ids.length];
      for (const body of shapes('waive', value)) {
        check(`POST acceptance ${id} ${body.slice(0, 80)}`, (await applicant.post(`/applications/${id}/decision/acceptance`).type('form').send(`_csrf=${applicantToken}&${body}`)).status);
      }
      for (const field of ['amountCents', 'neededOn', 'purpose', 'status']) {
        for (const body of shapes(field, value)) {
          const rest = ['amountCents=1', `neededOn=${today()}`, 'purpose=x'].filter((part) => !part.startsWith(`${field}=`)).join('&');
          check(`POST payments ${body.slice(0, 80)}`, (await applicant.post(`/applications/${appId}/payments`).type('form').send(`_csrf=${applicantToken}&${rest}&${body}`)).status);
          check(`POST payments ${id} ${body.slice(0, 80)}`, (await applicant.post(`/applications/${id}/payments`).type('form').send(`_csrf=${applicantToken}&${body}`)).status);
        }
      }
    }
    expect(failures).toEqual([]);
    // The waiver after all: recorded, and the button gone.
    await applicant.post(`/applications/${appId}/decision/acceptance`).type('form').send({ _csrf: applicantToken, waive: 'true' }).expect(303);
    expect((await t.dataSource.query(`SELECT waived_at AS "waivedAt" FROM decision WHERE id = $1`, [award.id]))[0].waivedAt).not.toBeNull();
    expect((await applicant.get(`/applications/${appId}`).expect(200)).text).not.toContain('Auf Rechtsbehelfe verzichten</h3>');
    for (const status of [404, 422]) expect(statuses.has(status)).toBe(true);
    // Without the token nothing is read at all.
    const before = (await t.dataSource.query(`SELECT count(*)::int AS n FROM payment_request WHERE decision_id = $1`, [award.id]))[0].n;
    await applicant.post(`/applications/${appId}/payments`).type('form').send({ amountCents: '1', neededOn: today(), purpose: 'x' }).expect(403);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM payment_request WHERE decision_id = $1`, [award.id]))[0].n).toBe(before);
  }, 240_000);
});
