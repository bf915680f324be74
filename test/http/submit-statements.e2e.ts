import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Application } from '../../src/applications/application.entities.js';
import { ApplicationsRepository } from '../../src/applications/applications.repository.js';
import { FundingCall } from '../../src/calls/call.entity.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { preparedDraft } from '../support/applications.js';
import { statementsOf } from '../support/statements.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('a submission on the database', () => {
  it('takes the session lookup, one read for every check, one write with version and audit row, the mail job and the transaction', async () => {
    // The year's first submission creates the reference number sequence; the counted one is the second.
    const first = await preparedDraft(t, { title: 'Erste Einreichung des Jahres' });
    await first.agent.post(`/api/v1/applications/${first.applicationId}/submit`).set('X-CSRF-Token', first.token).send({}).expect(200);

    const draft = await preparedDraft(t);
    const correlationId = 'submit-statements-1';
    const statements = await statementsOf(t, correlationId, () =>
      draft.agent.post(`/api/v1/applications/${draft.applicationId}/submit`).set('X-CSRF-Token', draft.token).set('X-Correlation-Id', correlationId).send({}).expect(200));
    // Session lookup, BEGIN, the locked read, the submission with version and audit row, the mail job, COMMIT
    // (the login's once-a-minute touch aside, should the setup have taken that long).
    expect(statements.filter((sql) => !sql.startsWith('UPDATE "user_session"'))).toHaveLength(6);

    // Fewer statements, the same records: the version, the audit row with the number drawn in the statement.
    const [application] = await t.dataSource.query(`SELECT reference_number AS "referenceNumber", status FROM application WHERE id = $1`, [draft.applicationId]);
    expect(application.status).toBe('submitted');
    expect(application.referenceNumber).toMatch(/^NE-\d{4}-\d{4,}$/);
    const versions = await t.dataSource.query(`SELECT number, snapshot->>'referenceNumber' AS "referenceNumber" FROM application_version WHERE application_id = $1`, [draft.applicationId]);
    expect(versions).toEqual([{ number: 1, referenceNumber: application.referenceNumber }]);
    const audits = await t.dataSource.query(
      `SELECT before, after, correlation_id AS "correlationId" FROM audit_event WHERE action = 'application.submitted' AND entity_id = $1::text`,
      [draft.applicationId],
    );
    expect(audits).toEqual([{ before: { status: 'draft' }, after: { status: 'submitted', number: 1, referenceNumber: application.referenceNumber }, correlationId }]);
  }, 60_000);

  it('reads application and call by its prepared statement exactly as TypeORM reads them', async () => {
    const draft = await preparedDraft(t, { title: 'Gelesen wie von TypeORM' });
    const context = await t.app.get(ApplicationsRepository).forSubmission(draft.applicationId, (await t.dataSource.query(`SELECT id FROM app_user WHERE email = 'verein@neuss.example'`))[0].id);
    expect(context).not.toBeNull();
    expect(context!.application).toEqual(await t.dataSource.manager.findOneBy(Application, { id: draft.applicationId }));
    expect(context!.call).toEqual(await t.dataSource.manager.findOneBy(FundingCall, { id: draft.callId }));
    expect(context!.representative).toBe(true);
    expect(context!.onAgenda).toBe(false);
    expect(context!.attachments.map((a) => a.kind).sort()).toEqual([...draft.call.requiredAttachments].sort());
  }, 60_000);
});
