import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import type request from 'supertest';
import { csrfToken, DEMO, loginAs, startTestApp, type TestApp } from '../support/app.js';
import { eligibleApplication, PDF_FILE, preparedDraft, scheduledSession } from '../support/applications.js';
import { decidedCallCopy } from '../support/transparency.js';

/**
 * The route × role matrix: every operation of the OpenAPI document (/api/docs/openapi.json), asked
 * by every kind of caller, with the answer each one must get.
 *
 * A cell is `401`, `403` or `404` when the access check refuses the caller, and `ok` when it lets
 * the caller through (any answer below 500 that is not 401/403/404: a 2xx, or the 409/422 the
 * state of the fixture or the empty body then gives). Requests carry a valid CSRF token and ids of
 * real rows, so that authorization, not validation, decides. An operation missing from the table, or
 * a cell that differs, fails the test with the row as it was measured.
 *
 * Callers: anonymous; the demo applicant (`applicant`) and another organisation's applicant
 * (`other`); an account invited with the member roles voting_member and chair but without a
 * round-table membership (`roleOnly`); the demo advisory member, voting member and chair; office;
 * admin.
 */
const CALLERS = ['anonymous', 'applicant', 'other', 'roleOnly', 'advisory', 'voting', 'chair', 'office', 'admin'] as const;
type Caller = (typeof CALLERS)[number];
type Cell = 'ok' | '401' | '403' | '404';

// prettier-ignore
const EXPECTED: Record<string, string> = {
  //                                                                  anonymous applicant other roleOnly advisory voting chair office admin
  'GET /api/v1/audit':                                               '401       403       403   403      403      403    403   403    ok',
  'GET /api/v1/auth/csrf':                                           'ok        ok        ok    ok       ok       ok     ok    ok     ok',
  'POST /api/v1/auth/login':                                         'ok        ok        ok    ok       ok       ok     ok    ok     ok',
  'POST /api/v1/auth/logout':                                        '401       ok        ok    ok       ok       ok     ok    ok     ok',
  'GET /api/v1/auth/me':                                             '401       ok        ok    ok       ok       ok     ok    ok     ok',
  'GET /api/v1/accounts':                                            '401       403       403   403      403      403    403   ok     ok',
  'POST /api/v1/accounts/invitations':                               '401       403       403   403      403      403    403   ok     ok',
  'PUT /api/v1/accounts/{id}/status':                                '401       403       403   403      403      403    403   403    ok',
  'GET /api/v1/organisations':                                       '401       ok        ok    403      403      403    403   ok     ok',
  'POST /api/v1/organisations':                                      '401       ok        ok    403      403      403    403   ok     ok',
  'GET /api/v1/organisations/{id}':                                  '401       ok        404   403      403      403    403   ok     ok',
  'PUT /api/v1/organisations/{id}':                                  '401       ok        404   403      403      403    403   ok     ok',
  'POST /api/v1/organisations/{id}/confirm':                         '401       403       403   403      403      403    403   ok     ok',
  'POST /api/v1/organisations/{id}/contacts':                        '401       ok        404   403      403      403    403   ok     ok',
  'DELETE /api/v1/organisations/{id}/contacts/{contactId}':          '401       ok        404   403      403      403    403   ok     ok',
  'GET /api/v1/round-table/members':                                 '401       403       403   403      ok       ok     ok    ok     ok',
  'POST /api/v1/round-table/members':                                '401       403       403   403      403      403    403   ok     ok',
  'GET /api/v1/round-table/me':                                      '401       403       403   403      ok       ok     ok    403    403',
  'GET /api/v1/round-table/voting-right':                            '401       403       403   403      403      ok     403   403    403',
  'GET /api/v1/round-table/members/{id}':                            '401       404       404   404      404      ok     404   ok     ok',
  'PUT /api/v1/round-table/members/{id}':                            '401       403       403   403      403      403    403   ok     ok',
  'POST /api/v1/round-table/members/{id}/affiliations':              '401       403       403   403      403      403    403   ok     ok',
  'DELETE /api/v1/round-table/members/{id}/affiliations/{affiliationId}': '401  403       403   403      403      403    403   ok     ok',
  'GET /api/v1/calls':                                               'ok        ok        ok    ok       ok       ok     ok    ok     ok',
  'POST /api/v1/calls':                                              '401       403       403   403      403      403    403   ok     ok',
  'GET /api/v1/calls/{id}':                                          'ok        ok        ok    ok       ok       ok     ok    ok     ok',
  'PUT /api/v1/calls/{id}':                                          '401       403       403   403      403      403    403   ok     ok',
  'GET /api/v1/calls/{id}/pdf':                                      'ok        ok        ok    ok       ok       ok     ok    ok     ok',
  'POST /api/v1/calls/{id}/publish':                                 '401       403       403   403      403      403    403   ok     ok',
  'POST /api/v1/calls/{id}/start-review':                            '401       403       403   403      403      403    403   ok     ok',
  'POST /api/v1/calls/{id}/archive':                                 '401       403       403   403      403      403    403   ok     ok',
  'GET /api/v1/applications':                                        '401       ok        ok    403      403      403    403   ok     ok',
  'POST /api/v1/applications':                                       '401       ok        ok    403      403      403    403   403    403',
  'GET /api/v1/applications/{id}':                                   '401       ok        404   403      ok       ok     ok    ok     ok',
  'PUT /api/v1/applications/{id}':                                   '401       ok        404   403      403      403    403   403    403',
  'DELETE /api/v1/applications/{id}':                                '401       ok        404   403      403      403    403   403    403',
  'POST /api/v1/applications/{id}/submit':                           '401       ok        404   403      403      403    403   403    403',
  'POST /api/v1/applications/{id}/withdraw':                         '401       ok        404   403      403      403    403   403    403',
  'POST /api/v1/applications/{id}/attachments':                      '401       ok        404   403      403      403    403   403    403',
  'DELETE /api/v1/applications/{id}/attachments/{attachmentId}':     '401       ok        404   403      403      403    403   403    403',
  'GET /api/v1/applications/{id}/attachments/{attachmentId}':        '401       ok        404   403      ok       ok     ok    ok     ok',
  'GET /api/v1/applications/{id}/versions/{number}/receipt.pdf':     '401       ok        404   403      ok       ok     ok    ok     ok',
  'GET /api/v1/calls/{id}/applications':                             '401       403       403   403      403      403    403   ok     ok',
  'GET /api/v1/calls/{id}/applications.csv':                         '401       403       403   403      403      403    403   ok     ok',
  'GET /api/v1/applications/{id}/dossier':                           '401       403       403   403      403      403    403   ok     ok',
  'POST /api/v1/applications/{id}/checklist':                        '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/applications/{id}/rejection-letter/preview':         '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/applications/{id}/decision':                         '401       403       403   403      403      403    403   ok     403',
  'GET /api/v1/sessions':                                            '401       404       404   404      ok       ok     ok    ok     ok',
  'POST /api/v1/sessions':                                           '401       404       404   404      403      403    403   ok     ok',
  'GET /api/v1/sessions/{id}':                                       '401       404       404   404      ok       ok     ok    ok     ok',
  'PATCH /api/v1/sessions/{id}':                                     '401       404       404   404      403      403    403   ok     ok',
  'GET /api/v1/open-data/calls':                                     'ok        ok        ok    ok       ok       ok     ok    ok     ok',
  'GET /api/v1/open-data/calls/{id}':                                'ok        ok        ok    ok       ok       ok     ok    ok     ok',
  'GET /api/v1/open-data/calls/{id}/grants.csv':                     'ok        ok        ok    ok       ok       ok     ok    ok     ok',
  'GET /api/v1/open-data/calls/{id}/360giving.json':                 'ok        ok        ok    ok       ok       ok     ok    ok     ok',
  'POST /api/v1/sessions/{id}/cancel':                               '401       404       404   404      403      403    403   ok     ok',
  'PUT /api/v1/sessions/{id}/attendance':                            '401       404       404   404      403      403    403   ok     ok',
  'POST /api/v1/sessions/{id}/open':                                 '401       404       404   404      403      403    ok    ok     ok',
  'POST /api/v1/sessions/{id}/close':                                '401       404       404   404      403      403    ok    ok     ok',
  'POST /api/v1/agenda-items/{id}/open':                             '401       404       404   404      403      403    ok    ok     ok',
  'POST /api/v1/agenda-items/{id}/conflicts':                        '401       404       404   404      ok       ok     ok    403    403',
  'POST /api/v1/agenda-items/{id}/secret-ballot-requests':           '401       404       404   404      403      ok     403   403    403',
  'POST /api/v1/agenda-items/{id}/votes':                            '401       404       404   404      403      ok     403   403    403',
  'POST /api/v1/agenda-items/{id}/show-of-hands':                    '401       404       404   404      403      403    403   ok     ok',
  'PUT /api/v1/agenda-items/{id}/ballot-counts':                     '401       404       404   404      403      403    403   ok     ok',
  'POST /api/v1/agenda-items/{id}/close':                            '401       404       404   404      403      403    ok    ok     ok',
  'POST /api/v1/agenda-items/{id}/defer':                            '401       404       404   404      403      403    ok    ok     ok',
  'PUT /api/v1/agenda-items/{id}/rating':                            '401       404       404   404      403      ok     403   403    403',
  'PUT /api/v1/agenda-items/{id}/recommendation':                    '401       404       404   404      ok       403    ok    403    403',
  'POST /api/v1/calls/{id}/ranking/confirm':                         '401       404       404   404      403      403    403   ok     ok',
  'GET /api/v1/calls/{id}/ranking':                                  '401       404       404   404      ok       ok     ok    ok     ok',
  'GET /api/v1/applications/{id}/decision':                          '401       ok        404   404      ok       ok     ok    ok     ok',
  'POST /api/v1/calls/{id}/decisions':                               '401       403       403   403      403      403    403   ok     403',
  'GET /api/v1/calls/{id}/decisions':                                '401       403       403   403      ok       ok     ok    ok     ok',
  'POST /api/v1/calls/{id}/decisions/waiting-list':                  '401       403       403   403      403      403    403   ok     403',
  'GET /api/v1/calls/{id}/ledger':                                   '401       403       403   403      ok       ok     ok    ok     ok',
  'POST /api/v1/calls/{id}/decide':                                  '401       403       403   403      403      403    403   ok     403',
  'GET /api/v1/decisions/{id}':                                      '401       ok        404   404      ok       ok     ok    ok     ok',
  'PUT /api/v1/decisions/{id}':                                      '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/decisions/{id}/release':                             '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/decisions/{id}/acceptance':                          '401       ok        404   403      403      403    403   403    403',
  'GET /api/v1/decisions/{id}/letter.pdf':                           '401       ok        404   404      ok       ok     ok    ok     ok',
  'GET /api/v1/decisions/{id}/preview.pdf':                          '401       403       403   403      403      403    403   ok     403',
  'GET /api/v1/decisions/{id}/payments':                             '401       ok        404   404      404      404    404   ok     ok',
  'POST /api/v1/decisions/{id}/payments':                            '401       ok        404   403      403      403    403   403    403',
  'GET /api/v1/calls/{id}/payments':                                 '401       403       403   403      403      403    403   ok     ok',
  'POST /api/v1/payments/{id}/confirm':                              '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/payments/{id}/release':                              '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/payments/{id}/reject':                               '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/payment-exports':                                    '401       403       403   403      403      403    403   ok     403',
  'GET /api/v1/payment-exports':                                     '401       403       403   403      403      403    403   ok     ok',
  'GET /api/v1/payment-exports/{id}/payments.csv':                   '401       403       403   403      403      403    403   ok     ok',
  'GET /api/v1/payment-exports/{id}/sepa.xml':                       '401       403       403   403      403      403    403   ok     ok',
  'GET /api/v1/base-rates':                                          '401       403       403   403      403      403    403   ok     ok',
  'PUT /api/v1/base-rates/{validFrom}':                              '401       403       403   403      403      403    403   ok     403',
  'GET /api/v1/usage-reports':                                      '401       403       403   403      403      403    403   ok     ok',
  'GET /api/v1/usage-reports.csv':                                  '401       403       403   403      403      403    403   ok     ok',
  'GET /api/v1/usage-reports/receipt-template.csv':                 '401       ok        ok    403      403      403    403   ok     ok',
  'GET /api/v1/usage-reports/{id}':                                 '401       ok        404   403      403      403    403   ok     ok',
  'PUT /api/v1/usage-reports/{id}':                                 '401       ok        404   403      403      403    403   403    403',
  'PUT /api/v1/usage-reports/{id}/receipts':                        '401       ok        404   403      403      403    403   403    403',
  'POST /api/v1/usage-reports/{id}/receipts.csv':                   '401       ok        404   403      403      403    403   403    403',
  'POST /api/v1/usage-reports/{id}/files':                          '401       ok        404   403      403      403    403   403    403',
  'DELETE /api/v1/usage-reports/{id}/files/{fileId}':               '401       ok        404   403      403      403    403   403    403',
  'GET /api/v1/usage-reports/{id}/files/{fileId}':                  '401       403       404   403      403      403    403   ok     403',
  'POST /api/v1/usage-reports/{id}/submit':                         '401       ok        404   403      403      403    403   403    403',
  'POST /api/v1/usage-reports/{id}/start-check':                    '401       403       403   403      403      403    403   ok     403',
  'PUT /api/v1/usage-reports/{id}/receipts/{receiptId}/finding':    '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/usage-reports/{id}/checks':                         '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/usage-reports/{id}/clarification':                  '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/usage-reports/{id}/close':                          '401       403       403   403      403      403    403   ok     403',
  'GET /api/v1/decisions/{id}/visits':                              '401       ok        404   404      404      404    404   ok     ok',
  'POST /api/v1/decisions/{id}/visits':                             '401       403       403   403      403      403    403   ok     403',
  'PUT /api/v1/visits/{id}':                                         '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/visits/{id}/protocol':                               '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/visits/{id}/photos':                                 '401       403       403   403      403      403    403   ok     403',
  'GET /api/v1/visits/{id}/photos/{photoId}':                        '401       403       403   403      403      403    403   ok     403',
  'GET /api/v1/calls/{id}/visits':                                   '401       403       403   403      403      403    403   ok     ok',
  'GET /api/v1/calls/{id}/visit-report.pdf':                         '401       403       403   403      ok       ok     ok    ok     ok',
  'GET /api/v1/monitoring/years':                                     '401       403       403   403      ok       ok     ok    ok     ok',
  'GET /api/v1/monitoring/calls/{id}':                                '401       403       403   403      ok       ok     ok    ok     ok',
  'GET /api/v1/reports/{id}/claim':                                 '401       ok        404   404      404      404    404   ok     ok',
  'PUT /api/v1/reports/{id}/claim':                                 '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/reports/{id}/claim/release':                        '401       403       403   403      403      403    403   ok     403',
  'POST /api/v1/reports/{id}/claim/repayment':                      '401       403       403   403      403      403    403   ok     403',
  'GET /api/v1/reports/{id}/claim/letter.pdf':                      '401       ok        404   404      404      404    404   ok     ok',
  'GET /api/v1/privacy/retention':                                   '401       403       403   403      403      403    403   ok     ok',
  'POST /api/v1/privacy/retention/run':                              '401       403       403   403      403      403    403   403    ok',
  'GET /api/v1/organisations/{id}/access-report':                    '401       ok        404   403      403      403    403   ok     ok',
  'GET /health':                                                     'ok        ok        ok    ok       ok       ok     ok    ok     ok',
};

let t: TestApp;
type Agent = ReturnType<typeof request.agent>;
const agents = {} as Record<Caller, { agent: Agent; token: string }>;
const LOGINS: Record<Exclude<Caller, 'anonymous'>, string> = {
  applicant: DEMO.applicant,
  other: DEMO.otherApplicant,
  roleOnly: 'nur-rolle@neuss.example',
  advisory: DEMO.advisory,
  voting: DEMO.voting,
  chair: DEMO.chair,
  office: DEMO.office,
  admin: DEMO.admin,
};

/** The ids each operation is asked with: real rows in the state the operation needs. */
const ids: Record<string, string> = {};
let organisationBody: object = {};
/** Path parameters that need a fresh row for each caller, because the operation removes it. */
const fresh: Record<string, (caller: Caller, index: number) => Promise<string>> = {};

async function first<T>(sql: string, params: unknown[]): Promise<T> {
  const [row] = await t.dataSource.query(sql, params);
  return row as T;
}

beforeAll(async () => {
  t = await startTestApp();
  await t.dataSource.query(
    `INSERT INTO app_user (email, full_name, password_hash, roles, status, preferred_language)
     SELECT $1, 'Nur eingeladen', password_hash, ARRAY['voting_member', 'chair'], 'active', 'de' FROM app_user WHERE email = $2`,
    [LOGINS.roleOnly, DEMO.voting],
  );

  // On the agenda of session A (read by members), on the agenda of session B (opened and closed by the matrix).
  const onAgenda = await eligibleApplication(t);
  ids.callId = onAgenda.callId;
  ids.organisationId = onAgenda.organisationId;
  ids.onAgenda = onAgenda.applicationId;
  ids.sessionA = await scheduledSession(t, onAgenda.office, onAgenda.officeToken, onAgenda.callId, [onAgenda.applicationId]);
  const other = await eligibleApplication(t);
  ids.sessionB = await scheduledSession(t, other.office, other.officeToken, other.callId, [other.applicationId]);
  ids.itemA = (await first<{ id: string }>(`SELECT id FROM agenda_item WHERE session_id = $1`, [ids.sessionA])).id;
  ids.itemB = (await first<{ id: string }>(`SELECT id FROM agenda_item WHERE session_id = $1`, [ids.sessionB])).id;
  ids.onAgendaAttachment = (await first<{ id: string }>(`SELECT id FROM attachment WHERE application_id = $1 LIMIT 1`, [ids.onAgenda])).id;

  // Drafts and submitted applications of the demo applicant, one per operation that changes them.
  ids.draft = (await preparedDraft(t)).applicationId;
  ids.draftAttachment = (await first<{ id: string }>(`SELECT id FROM attachment WHERE application_id = $1 LIMIT 1`, [ids.draft])).id;
  ids.toSubmit = (await preparedDraft(t)).applicationId;
  ids.toDelete = (await preparedDraft(t)).applicationId;
  for (const name of ['toWithdraw', 'submitted']) {
    const prepared = await preparedDraft(t);
    await prepared.agent.post(`/api/v1/applications/${prepared.applicationId}/submit`).set('X-CSRF-Token', prepared.token).expect(200);
    ids[name] = prepared.applicationId;
  }

  const organisation = (await onAgenda.office.get(`/api/v1/organisations/${ids.organisationId}`).expect(200)).body.organisation;
  organisationBody = Object.fromEntries(
    ['name', 'legalForm', 'registerCourt', 'registerNumber', 'nonProfit', 'nonProfitCertificateExpiresOn', 'street', 'postalCode', 'city', 'district', 'iban', 'accountHolder', 'version']
      .map((field) => [field, organisation[field]])
      .filter(([, value]) => value !== null),
  );
  ids.votingMember = (await first<{ id: string }>(`SELECT id FROM round_table_member WHERE email = $1`, [DEMO.voting])).id;
  ids.otherAccount = (await first<{ id: string }>(`SELECT id FROM app_user WHERE email = $1`, [DEMO.otherApplicant])).id;
  // A released award with its letter on the applicant's application on the agenda; a draft, by the
  // office's second person, on a submitted one (so that the office may release it).
  const officeId = (await first<{ id: string }>(`SELECT id FROM app_user WHERE email = $1`, [DEMO.office])).id;
  const secondOfficeId = (await first<{ id: string }>(`SELECT id FROM app_user WHERE email = $1`, [DEMO.secondOffice])).id;
  ids.releasedDecision = (await first<{ id: string }>(
    `INSERT INTO decision (application_id, call_id, kind, status, amount_cents, purpose, period_start, period_end, report_due_on, drafted_by,
                           released_by, released_at, sent_on, notified_on, remedy_period_ends_on, final_on)
     VALUES ($1, $2, 'award', 'released', 100000, 'Sprachcafé', '2027-01-01', '2027-12-31', '2028-06-30', $3, $4, now(), current_date, current_date + 4, current_date + 35, current_date + 36)
     RETURNING id`,
    [ids.onAgenda, ids.callId, secondOfficeId, officeId],
  )).id;
  await t.dataSource.query(`INSERT INTO decision_letter (decision_id, filename, content, sha256) VALUES ($1, 'Zuwendungsbescheid.pdf', $2, $3)`, [
    ids.releasedDecision, PDF_FILE, createHash('sha256').update(PDF_FILE).digest('hex'),
  ]);
  ids.draftDecision = (await first<{ id: string }>(
    `INSERT INTO decision (application_id, call_id, kind, status, amount_cents, purpose, period_start, period_end, report_due_on, drafted_by)
     VALUES ($1, $2, 'award', 'draft', 100000, 'Sprachcafé', '2027-01-01', '2027-12-31', '2028-06-30', $3) RETURNING id`,
    [ids.submitted, ids.callId, secondOfficeId],
  )).id;
  // Payment requests on the released award: one to confirm or refuse, one confirmed by the second person (so that the office may release it); one export.
  const request = (status: string, confirmedBy: string | null) => first<{ id: string }>(
    `INSERT INTO payment_request (decision_id, call_id, amount_cents, needed_on, purpose, status, requested_by, confirmed_by, confirmed_at)
     SELECT $1, $2, 10000, current_date, 'Honorare', $3, u.id, $4::uuid, CASE WHEN $4::uuid IS NULL THEN NULL ELSE now() END FROM app_user u WHERE u.email = $5 RETURNING id`,
    [ids.releasedDecision, ids.callId, status, confirmedBy, DEMO.applicant],
  );
  ids.requestedPayment = (await request('requested', null)).id;
  ids.confirmedPayment = (await request('confirmed', secondOfficeId)).id;
  ids.paymentExport = (await first<{ id: string }>(
    `INSERT INTO payment_export (created_by, payouts, total_cents, csv, sepa) VALUES ($1, 1, 10000, $2, $3) RETURNING id`,
    [officeId, Buffer.from('Zahlungsempfänger;IBAN\r\n'), Buffer.from('<Document/>')],
  )).id;
  // The usage report of the released award, submitted (so that the office may start its check), with a receipt and two participant lists.
  const applicantId = (await first<{ id: string }>(`SELECT id FROM app_user WHERE email = $1`, [DEMO.applicant])).id;
  await t.dataSource.query(`UPDATE funding_call SET participant_lists_required = true WHERE id = $1`, [ids.callId]);
  ids.usageReport = (await first<{ id: string }>(
    `INSERT INTO usage_report (decision_id, call_id, organisation_id, due_on, status, submitted_at, first_submitted_at, submission_count)
     VALUES ($1, $2, $3, '2028-06-30', 'submitted', now(), now(), 1) RETURNING id`,
    [ids.releasedDecision, ids.callId, ids.organisationId],
  )).id;
  ids.reportReceipt = (await first<{ id: string }>(
    `INSERT INTO report_receipt (report_id, position, receipt_date, payee, purpose, amount_cents, cost_line, paid_on) VALUES ($1, 1, '2027-03-01', 'Kursleitung', 'Honorar', 10000, 1, '2027-03-05') RETURNING id`,
    [ids.usageReport],
  )).id;
  for (const name of ['reportFile', 'reportFileToRemove']) {
    ids[name] = (await first<{ id: string }>(
      `INSERT INTO report_file (report_id, filename, content_type, size_bytes, content, uploaded_by) VALUES ($1, 'Liste.pdf', 'application/pdf', $2, $3, $4) RETURNING id`,
      [ids.usageReport, PDF_FILE.length, PDF_FILE, applicantId],
    )).id;
  }
  // A planned site visit with a photo on the released award.
  ids.visit = (await first<{ id: string }>(
    `INSERT INTO site_visit (decision_id, call_id, visit_on, staff, planned_by) VALUES ($1, $2, current_date, 'Jonas Becker', $3) RETURNING id`,
    [ids.releasedDecision, ids.callId, officeId],
  )).id;
  ids.visitPhoto = (await first<{ id: string }>(
    `INSERT INTO site_visit_photo (visit_id, filename, content_type, size_bytes, content, uploaded_by) VALUES ($1, 'foto.png', 'image/png', 8, $2, $3) RETURNING id`,
    [ids.visit, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), officeId],
  )).id;
  // A usage report of the applicant closed with a repayment claim, released by the office with its letter
  // (drafted by the second person), so that every claim operation reaches its service.
  const claimed = await preparedDraft(t);
  await claimed.agent.post(`/api/v1/applications/${claimed.applicationId}/submit`).set('X-CSRF-Token', claimed.token).expect(200);
  const claimedDecision = (await first<{ id: string }>(
    `INSERT INTO decision (application_id, call_id, kind, status, amount_cents, purpose, period_start, period_end, report_due_on, drafted_by,
                           released_by, released_at, sent_on, notified_on, remedy_period_ends_on, final_on)
     VALUES ($1, $2, 'award', 'released', 100000, 'Sprachcafé', '2026-01-01', '2026-06-30', '2026-10-31', $3, $4, now(), current_date, current_date + 4, current_date + 35, current_date + 36)
     RETURNING id`,
    [claimed.applicationId, claimed.callId, secondOfficeId, officeId],
  )).id;
  const settlement = { input: { financeType: 'deficit', sharePercent: null, awardedCents: 100000, paidCents: 100000, admittedCostsCents: 90000, ownFundsCents: 0, thirdPartyCents: 0, otherIncomeCents: 0 },
    result: { dueCents: 90000, paidCents: 100000, differenceCents: -10000, outcome: 'repayment', lines: [{ key: 'admittedCosts', cents: 90000 }, { key: 'due', cents: 90000 }, { key: 'paid', cents: 100000 }, { key: 'repayment', cents: 10000 }] } };
  ids.claimReport = (await first<{ id: string }>(
    `INSERT INTO usage_report (decision_id, call_id, organisation_id, due_on, status, submitted_at, submission_count, accepted_at, accepted_by, settlement)
     VALUES ($1, $2, $3, '2026-10-31', 'settled_with_claim', now(), 1, now(), $4, $5) RETURNING id`,
    [claimedDecision, claimed.callId, claimed.organisationId, officeId, JSON.stringify(settlement)],
  )).id;
  const claimId = (await first<{ id: string }>(
    `INSERT INTO repayment_claim (report_id, decision_id, call_id, status, repayment_cents, revoked_from, payment_due_on, drafted_by, released_by, released_at, sent_on)
     VALUES ($1, $2, $3, 'released', 10000, current_date, current_date + 30, $4, $5, now(), current_date) RETURNING id`,
    [ids.claimReport, claimedDecision, claimed.callId, secondOfficeId, officeId],
  )).id;
  await t.dataSource.query(`INSERT INTO repayment_claim_letter (claim_id, filename, content, sha256) VALUES ($1, 'Rueckforderungsbescheid.pdf', $2, $3)`, [
    claimId, PDF_FILE, createHash('sha256').update(PDF_FILE).digest('hex'),
  ]);
  ids.decidedCall = await decidedCallCopy(t, ids.callId, ids.onAgenda);
  fresh.contactId = async (caller) =>
    (await first<{ id: string }>(`INSERT INTO organisation_contact (organisation_id, full_name, is_primary) VALUES ($1, $2, false) RETURNING id`, [ids.organisationId, `Kontakt ${caller}`])).id;
  const organisations = (await t.dataSource.query(`SELECT id FROM organisation ORDER BY name`)) as { id: string }[];
  fresh.affiliationId = async (_caller, index) =>
    (await first<{ id: string }>(`INSERT INTO member_affiliation (member_id, organisation_id, kind) VALUES ($1, $2, 'membership') RETURNING id`, [ids.votingMember, organisations[index].id])).id;

  const anonymous = t.agent();
  agents.anonymous = { agent: anonymous, token: await csrfToken(anonymous) };
  for (const [caller, email] of Object.entries(LOGINS) as [Exclude<Caller, 'anonymous'>, string][]) {
    const agent = t.agent();
    agents[caller] = { agent, token: await loginAs(agent, email) };
  }
}, 180_000);

afterAll(async () => {
  await t.close();
});

/** The row of ids an operation is asked with, by operation (path parameters in OpenAPI spelling). */
function parametersFor(key: string): Record<string, string | ((caller: Caller, index: number) => Promise<string>)> {
  const application: Record<string, string> = {
    'DELETE /api/v1/applications/{id}': ids.toDelete,
    'PUT /api/v1/applications/{id}': ids.draft,
    'POST /api/v1/applications/{id}/submit': ids.toSubmit,
    'POST /api/v1/applications/{id}/withdraw': ids.toWithdraw,
    'POST /api/v1/applications/{id}/attachments': ids.draft,
    'DELETE /api/v1/applications/{id}/attachments/{attachmentId}': ids.draft,
    'GET /api/v1/applications/{id}/dossier': ids.submitted,
    'POST /api/v1/applications/{id}/checklist': ids.submitted,
    'POST /api/v1/applications/{id}/rejection-letter/preview': ids.submitted,
    'POST /api/v1/applications/{id}/decision': ids.submitted,
  };
  if (key.includes('/applications/{id}')) {
    return {
      id: application[key] ?? ids.onAgenda,
      attachmentId: key.startsWith('DELETE') ? ids.draftAttachment : ids.onAgendaAttachment,
      number: '1',
    };
  }
  if (key.includes('/usage-reports/{id}')) return { id: ids.usageReport, receiptId: ids.reportReceipt, fileId: key.startsWith('DELETE') ? ids.reportFileToRemove : ids.reportFile };
  if (key.includes('/reports/{id}/claim')) return { id: ids.claimReport };
  if (key.includes('/base-rates/{validFrom}')) return { validFrom: '2027-01-01' };
  if (key.includes('/payments/{id}')) return { id: key.endsWith('/release') ? ids.confirmedPayment : ids.requestedPayment };
  if (key.includes('/payment-exports/{id}')) return { id: ids.paymentExport };
  if (key.includes('/visits/{id}')) return { id: ids.visit, photoId: ids.visitPhoto };
  if (key.includes('/decisions/{id}')) return { id: key.startsWith('PUT') || key.endsWith('/release') || key.endsWith('/preview.pdf') ? ids.draftDecision : ids.releasedDecision };
  if (key.includes('/agenda-items/{id}')) return { id: key.endsWith('/defer') ? ids.itemB : ids.itemA };
  if (key.includes('/sessions/{id}')) return { id: key.endsWith('/open') || key.endsWith('/close') ? ids.sessionB : ids.sessionA };
  if (key.includes('/organisations/{id}')) return { id: ids.organisationId, contactId: fresh.contactId };
  if (key.includes('/round-table/members/{id}')) return { id: ids.votingMember, affiliationId: fresh.affiliationId };
  if (key.includes('/accounts/{id}')) return { id: ids.otherAccount };
  if (key.includes('/open-data/calls/{id}')) return { id: ids.decidedCall };
  if (key.includes('/calls/{id}')) return { id: ids.callId };
  return {};
}

/**
 * Bodies that pass validation, where the validation pipe would otherwise answer before the service's
 * access check (an empty body does for the rest: the guards run before the pipe).
 */
function bodyFor(key: string): object {
  if (key === 'PUT /api/v1/organisations/{id}') return organisationBody;
  if (key === 'PUT /api/v1/decisions/{id}') return { version: 1, purpose: 'Sprachcafé im Quartier' };
  if (key === 'POST /api/v1/decisions/{id}/acceptance') return { waive: false };
  if (key === 'POST /api/v1/decisions/{id}/payments') return { amountCents: 1000, neededOn: new Date().toISOString().slice(0, 10), purpose: 'Honorare' };
  if (key === 'POST /api/v1/payments/{id}/reject') return { reason: 'Belege fehlen' };
  if (key === 'PUT /api/v1/usage-reports/{id}') return { version: 1 };
  if (key === 'PUT /api/v1/usage-reports/{id}/receipts') return { version: 1, receipts: [] };
  if (key === 'PUT /api/v1/usage-reports/{id}/receipts/{receiptId}/finding') return { finding: 'admitted' };
  if (key === 'POST /api/v1/usage-reports/{id}/checks') return { part: 'content' };
  if (key === 'POST /api/v1/usage-reports/{id}/clarification') return { message: 'Bitte erläutern Sie die Teilnehmendenzahl.' };
  if (key === 'POST /api/v1/decisions/{id}/visits') return { visitOn: new Date().toISOString().slice(0, 10), staff: 'Jonas Becker' };
  if (key === 'PUT /api/v1/visits/{id}') return { staff: 'Jonas Becker, Aylin Şahin' };
  if (key === 'POST /api/v1/visits/{id}/protocol') {
    return { visitOn: '2026-01-05', checklist: { activity_as_described: 'yes', target_group_reached: 'yes', open_to_everyone: 'yes', participants_present: 'no', publicity_names_city: 'partly' } };
  }
  if (key === 'POST /api/v1/reports/{id}/claim/repayment') return { repaidOn: new Date().toISOString().slice(0, 10), receivedCents: 10000 };
  if (key === 'PUT /api/v1/base-rates/{validFrom}') return { basisPoints: 127 };
  if (key === 'POST /api/v1/organisations/{id}/contacts') return { fullName: 'Neuer Kontakt', isPrimary: false };
  if (key === 'POST /api/v1/agenda-items/{id}/conflicts') return { reason: 'Vorstandsmitglied des Trägers' };
  if (key === 'POST /api/v1/agenda-items/{id}/votes') return { choice: 'yes' };
  if (key === 'PUT /api/v1/agenda-items/{id}/rating') return { importance: 3, urgency: 3 };
  if (key === 'PUT /api/v1/agenda-items/{id}/recommendation') return { text: 'Das Projekt ergänzt die Angebote im Stadtteil.' };
  if (key === 'PUT /api/v1/applications/{id}') return { title: 'Geänderter Entwurf', costLines: [], thirdParty: [], ownFundsCents: 0, declarations: [], version: 1 };
  return {};
}

/** What the access check did with the caller: refused (401/403/404), or let through (`ok`). A 5xx is shown as it is. */
function cell(status: number): string {
  if (status === 401 || status === 403 || status === 404 || status >= 500) return String(status);
  return 'ok';
}

async function ask(key: string, caller: Caller, index: number): Promise<number> {
  const [method, template] = key.split(' ');
  let path = template;
  for (const [name, value] of Object.entries(parametersFor(key))) {
    if (!path.includes(`{${name}}`)) continue;
    path = path.replace(`{${name}}`, typeof value === 'function' ? await value(caller, index) : value);
  }
  let { agent, token } = agents[caller];
  // Logging out ends the session: it is asked from a session of its own.
  if (key === 'POST /api/v1/auth/logout' && caller !== 'anonymous') {
    agent = t.agent();
    token = await loginAs(agent, LOGINS[caller]);
  }
  const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const req = agent[verb](path).set('X-CSRF-Token', token);
  const res = verb === 'get' || verb === 'delete' ? await req : await req.send(bodyFor(key));
  return res.status;
}

describe('route × role matrix', () => {
  it('every operation of the OpenAPI document answers each caller as the table says', async () => {
    const document = (await t.agent().get('/api/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.length).toBeGreaterThan(60);

    const missing: string[] = [];
    const differing: string[] = [];
    const width = Math.max(...operations.map((key) => key.length)) + 3;
    for (const key of operations) {
      const measured: string[] = [];
      for (const [index, caller] of CALLERS.entries()) measured.push(cell(await ask(key, caller, index)));
      const row = `  '${key}':`.padEnd(width + 4) + `'${measured.map((c, i) => c.padEnd(CALLERS[i].length + 1)).join('').trimEnd()}',`;
      const expected = EXPECTED[key]?.trim().split(/\s+/) as Cell[] | undefined;
      if (!expected) missing.push(row);
      else if (expected.join(' ') !== measured.join(' ')) {
        const cells = CALLERS.flatMap((caller, i) => (expected[i] !== measured[i] ? [`${caller}: expected ${expected[i]}, got ${measured[i]}`] : []));
        differing.push(`${key}: ${cells.join('; ')}`);
      }
    }
    const stale = Object.keys(EXPECTED).filter((key) => !operations.includes(key));
    expect({ missing, differing, stale }).toEqual({ missing: [], differing: [], stale: [] });
  }, 300_000);

  it('documents every path parameter, and each id among them as a UUID', async () => {
    type Parameter = { name: string; in: string; schema?: { type?: string; format?: string } };
    const document = (await t.agent().get('/api/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };
    const undeclared: string[] = [];
    const ids: string[] = [];
    const notUuid: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const declared = new Map((operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, p]));
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
          const parameter = declared.get(name);
          const where = `${method.toUpperCase()} ${path} {${name}}`;
          if (!parameter) undeclared.push(where);
          else if (name === 'id' || name.endsWith('Id')) {
            ids.push(where);
            if (parameter.schema?.type !== 'string' || parameter.schema.format !== 'uuid') notUuid.push(`${where}: ${JSON.stringify(parameter.schema)}`);
          }
        }
      }
    }
    expect(ids.length).toBeGreaterThan(40);
    expect({ undeclared, notUuid }).toEqual({ undeclared: [], notUuid: [] });
  });
});
