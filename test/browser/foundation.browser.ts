import { describe, expect, it } from '@jest/globals';
import { DEMO, eventually, outboxMails } from '../support/app.js';
import { axeViolations, browserJourney, browserSkipReason } from '../support/browser.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);
const suite = skip ? describe.skip : describe;

suite('the web shell in Chromium', () => {
  const journey = browserJourney();
  const { newTab, login, tabs } = journey;

  it('public pages: start, login, registration, password reset, accessibility statement, English', async () => {
    const { tab, context } = await newTab();
    await tab.goto('/');
    expect(await tab.page.locator('h1').textContent()).toContain('Integrationsförderung');
    await tab.goto('/register');
    await tab.goto('/password-reset');
    await tab.goto('/accessibility');
    expect(await tab.page.locator('h1').textContent()).toBe('Erklärung zur Barrierefreiheit');
    expect(await tab.page.locator('a[href^="mailto:"]').count()).toBe(1);
    await tab.goto('/login?lang=en');
    expect(await tab.page.locator('html').getAttribute('lang')).toBe('en');
    expect(await tab.page.locator('h1').textContent()).toBe('Sign in');

    // keyboard: the first Tab reaches the skip link, which leads to the main content
    await tab.goto('/accessibility?lang=de');
    await tab.page.keyboard.press('Tab');
    expect(await tab.page.evaluate(() => document.activeElement?.textContent)).toBe('Zum Inhalt springen');
    await tab.page.keyboard.press('Enter');
    expect(await tab.page.evaluate(() => document.activeElement?.id)).toBe('main');

    // the check itself can fail: an image without a text alternative is reported
    await tab.page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<img src="/static/none.png">'));
    expect((await axeViolations(tab.page)).join('\n')).toContain('image-alt');
    await context.close();
  });

  it('the API documentation linked from the footer passes axe, also with operations, their forms, a response, the login dialog and a schema opened', async () => {
    const { tab, context } = await newTab();
    await tab.goto('/accessibility');
    await tab.page.getByRole('link', { name: 'Programmierschnittstelle (API)' }).click();
    // Swagger UI draws the operations with its script after the page has loaded
    await tab.page.locator('.opblock').first().waitFor();
    await tab.check();
    expect(new URL(tab.page.url()).pathname).toBe('/api/docs');
    // an operation with query parameters, then one with a request body, each with its form
    const list = tab.page.locator('#operations-audit-AuditController_list');
    await list.locator('.opblock-summary-control').click();
    await list.locator('tr[data-param-name="entityType"]').waitFor();
    await list.locator('.responses-table').first().waitFor();
    await tab.check();
    await list.getByRole('button', { name: 'Try it out' }).click();
    await list.getByRole('button', { name: 'Execute' }).click();
    await list.locator('.live-responses-table').waitFor();
    await tab.check();
    const login = tab.page.locator('#operations-auth-AuthApiController_login');
    await login.locator('.opblock-summary-control').click();
    await login.locator('.opblock-section-request-body').waitFor();
    await login.locator('.responses-table').first().waitFor();
    await tab.check();
    await login.getByRole('button', { name: 'Try it out' }).click();
    await login.locator('textarea.body-param__text').waitFor();
    await tab.check();
    await tab.page.getByRole('button', { name: 'Authorize' }).first().click();
    await tab.page.locator('.modal-ux').waitFor();
    await tab.check();
    await tab.page.getByRole('button', { name: 'Close' }).first().click();
    // a schema opened from the list at the end
    await tab.page.locator('.models .model-box-control').first().click();
    await tab.page.locator('.models .model-box .model').first().waitFor();
    await tab.check();
    expect(tab.violations).toEqual([]);
    await context.close();
  });

  it('an applicant corrects a wrong IBAN in the organisation profile', async () => {
    const { tab, context } = await newTab();
    await login(tab, DEMO.applicant);
    expect(new URL(tab.page.url()).pathname).toBe('/applications');
    await tab.page.getByRole('link', { name: 'Meine Organisationen' }).click();
    await tab.check();
    await tab.page.getByRole('link', { name: 'Raum der Kulturen Neuss e.V.' }).click();
    await tab.check();
    await tab.page.getByRole('link', { name: 'Angaben bearbeiten' }).click();
    await tab.check();

    await tab.page.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 01');
    await tab.page.getByRole('button', { name: 'Speichern' }).click();
    await tab.check();
    const summary = tab.page.locator('#error-summary');
    expect(await summary.textContent()).toContain('IBAN');
    const iban = tab.page.getByLabel('IBAN');
    expect(await iban.getAttribute('aria-invalid')).toBe('true');
    expect(await tab.page.locator('#f-iban-error').textContent()).toContain('nicht gültig');

    // the error summary links to the field
    await summary.getByRole('link').first().click();
    expect(await tab.page.evaluate(() => document.activeElement?.id)).toBe('f-iban');

    await iban.fill('DE02 1203 0000 0000 2020 51');
    await tab.page.getByRole('button', { name: 'Speichern' }).click();
    await tab.check();
    expect(await tab.page.getByRole('status').textContent()).toContain('erneut');
    expect(await tab.page.locator('dl.summary').nth(2).textContent()).toContain('DE02 1203 0000 0000 2020 51');
    await context.close();
  });

  it('the office confirms an organisation and keeps the round-table membership', async () => {
    const { tab, context } = await newTab();
    await login(tab, DEMO.office);
    expect(new URL(tab.page.url()).pathname).toBe('/office');
    await tab.page.getByRole('link', { name: 'Sozialdienst katholischer Männer Neuss e.V.' }).click();
    await tab.check();
    await tab.page.getByRole('button', { name: 'Organisation bestätigen' }).click();
    await tab.check();
    expect(await tab.page.getByRole('status').textContent()).toContain('bestätigt');

    await tab.page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Organisationen' }).click();
    await tab.check();
    await tab.page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Runder Tisch' }).click();
    await tab.check();
    expect(await tab.page.locator('table').first().locator('tbody tr').count()).toBeGreaterThanOrEqual(18);

    await tab.page.getByRole('link', { name: 'Mitglied eintragen' }).click();
    await tab.check();
    await tab.page.getByLabel('Name', { exact: true }).fill('Elif Şahin');
    await tab.page.getByLabel('Gruppe').selectOption('welfare_association');
    await tab.page.getByLabel('Stimmrecht').selectOption('voting');
    await tab.page.getByLabel('Amtszeit von').fill('2025-11-01');
    await tab.page.getByRole('button', { name: 'Speichern' }).click();
    await tab.check();
    expect(await tab.page.locator('#f-votingRight-error').textContent()).toContain('Stimmberechtigt sind nur');
    await tab.page.getByLabel('Stimmrecht').selectOption('advisory');
    await tab.page.getByRole('button', { name: 'Speichern' }).click();
    await tab.check();
    expect(await tab.page.locator('h1').textContent()).toBe('Elif Şahin');

    await tab.page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Diakonie Rhein-Kreis Neuss e.V.' });
    await tab.page.getByLabel('Art der Verbindung').selectOption('employment');
    await tab.page.getByRole('button', { name: 'Verbindung eintragen' }).click();
    await tab.check();
    expect(await tab.page.locator('#affiliations + p + .table-scroll table').textContent()).toContain('Diakonie Rhein-Kreis Neuss e.V.');

    await tab.page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Benutzerkonten' }).click();
    await tab.check();
    await tab.page.getByRole('link', { name: 'Person einladen' }).click();
    await tab.check();
    await context.close();
  });

  it('an invited applicant chooses a password from the mailed link', async () => {
    const { tab: office, context: officeContext } = await newTab();
    await login(office, DEMO.office);
    await office.goto('/office/accounts/invite');
    await office.page.getByLabel('Name', { exact: true }).fill('Hüseyin Çelik');
    await office.page.getByLabel('E-Mail-Adresse').fill('hueseyin@tandem.example');
    await office.page.getByLabel('Antragstellende').check();
    await office.page.getByLabel('Handelt für Organisation').selectOption({ label: 'Neusser Tandem-Treff (NE T-T) e.V.' });
    await office.page.getByRole('button', { name: 'Einladung schicken' }).click();
    await office.check();
    expect(await office.page.getByRole('status').textContent()).toContain('Einladung wurde verschickt');
    await officeContext.close();

    // no SMTP in this test: the mail is in the outbox as an .eml file
    const [mail] = await eventually(async () => {
      const mails = await outboxMails(journey.app.config.dataDir, 'To: hueseyin@tandem.example');
      return mails.length ? mails : undefined;
    });
    const link = /\/invitation\/[\w-]+/.exec(mail.replace(/=\r?\n/g, ''))![0];

    const { tab, context } = await newTab();
    await tab.goto(link);
    expect(await tab.page.locator('h1').textContent()).toBe('Passwort festlegen');
    await tab.page.getByLabel('Neues Passwort').fill('Tandem am Rhein 2026');
    await tab.page.getByLabel('Passwort wiederholen').fill('Tandem am Rhein 2027');
    await tab.page.getByRole('button', { name: 'Passwort speichern' }).click();
    await tab.check();
    expect(await tab.page.locator('#f-passwordRepeat-error').textContent()).toContain('stimmen nicht überein');
    await tab.page.getByLabel('Neues Passwort').fill('Tandem am Rhein 2026');
    await tab.page.getByLabel('Passwort wiederholen').fill('Tandem am Rhein 2026');
    await tab.page.getByRole('button', { name: 'Passwort speichern' }).click();
    await tab.check();
    expect(new URL(tab.page.url()).pathname).toBe('/applications');
    await tab.page.getByRole('link', { name: 'Meine Organisationen' }).click();
    await tab.check();
    expect(await tab.page.getByRole('link', { name: 'Neusser Tandem-Treff (NE T-T) e.V.' }).count()).toBe(1);
    await context.close();
  });

  it('members, the chair and the administrator reach their pages', async () => {
    for (const [email, path] of [[DEMO.voting, '/voting'], [DEMO.advisory, '/member'], [DEMO.chair, '/member'], [DEMO.admin, '/admin']] as const) {
      const { tab, context } = await newTab();
      await login(tab, email);
      await tab.goto(path);
      expect(await tab.page.locator('h1').count()).toBe(1);
      if (email === DEMO.admin) {
        await tab.page.getByText('Vorher und nachher anzeigen').first().click();
        await tab.check();
      }
      await tab.page.getByRole('button', { name: 'Abmelden' }).click();
      await tab.check();
      expect(new URL(tab.page.url()).pathname).toBe('/login');
      await context.close();
    }
  });

  it('axe-core found no WCAG 2.1 AA violation on any page visited', () => {
    expect(tabs.length).toBeGreaterThan(0);
    expect(tabs.flatMap((tab) => tab.unchecked())).toEqual([]);
    expect(tabs.flatMap((tab) => tab.violations)).toEqual([]);
  });
});
