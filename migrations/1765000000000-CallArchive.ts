import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How each table's rows lead to their call: the column followed and the lookup behind it. */
export const ARCHIVED_CALL_LINKS: Record<string, 'call' | 'application' | 'session' | 'item' | 'decision' | 'report' | 'claim' | 'visit'> = {
  application: 'call',
  council_session: 'call',
  allocation_snapshot: 'call',
  decision: 'call',
  ledger_entry: 'call',
  payment_request: 'call',
  usage_report: 'call',
  repayment_claim: 'call',
  site_visit: 'call',
  application_version: 'application',
  attachment: 'application',
  agenda_item: 'application',
  attendance: 'session',
  conflict_declaration: 'item',
  ballot: 'item',
  vote: 'item',
  secret_ballot_request: 'item',
  rating: 'item',
  recommendation: 'item',
  decision_letter: 'decision',
  report_receipt: 'report',
  report_file: 'report',
  report_reminder: 'report',
  repayment_claim_letter: 'claim',
  site_visit_photo: 'visit',
};

/**
 * An archived call (every grant settled) and everything under it is read-only, whatever the code
 * does: a trigger on each table whose rows belong to a call refuses INSERT, UPDATE and DELETE once
 * that call is archived, with SQLSTATE FT409 (answered as 409 calls.archived). The call's own row
 * cannot change or go once archived. The retention job deletes personal data of archived calls too:
 * a transaction that set `foerdertisch.retention` to 'on' (set_config(..., true), so for itself only)
 * may UPDATE and DELETE, never INSERT. Each check is one to three primary-key lookups.
 */
export class CallArchive1765000000000 implements MigrationInterface {
  name = 'CallArchive1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE funding_call ADD COLUMN archived_at timestamptz`);
    await q.query(`ALTER TABLE funding_call ADD CONSTRAINT funding_call_archived_at CHECK ((status = 'archived') = (archived_at IS NOT NULL))`);

    // Whether the row `ref` of the link's table belongs to an archived call. The call's row is read
    // FOR KEY SHARE: ARCHIVE (FOR UPDATE on the call) waits for a change under way to commit and then
    // sees it among the open items, and a change that comes while ARCHIVE runs waits and then finds the
    // call archived. KEY SHARE does not wait for ordinary updates of the call (its committed sum).
    await q.query(`
      CREATE FUNCTION call_of_row_is_archived(link text, ref uuid) RETURNS boolean LANGUAGE plpgsql AS $$
      DECLARE
        call uuid;
        archived boolean;
      BEGIN
        IF link = 'call' THEN call := ref;
        ELSIF link = 'application' THEN SELECT a.call_id INTO call FROM application a WHERE a.id = ref;
        ELSIF link = 'session' THEN SELECT s.call_id INTO call FROM council_session s WHERE s.id = ref;
        ELSIF link = 'item' THEN SELECT a.call_id INTO call FROM agenda_item i JOIN application a ON a.id = i.application_id WHERE i.id = ref;
        ELSIF link = 'decision' THEN SELECT d.call_id INTO call FROM decision d WHERE d.id = ref;
        ELSIF link = 'report' THEN SELECT r.call_id INTO call FROM usage_report r WHERE r.id = ref;
        ELSIF link = 'claim' THEN SELECT k.call_id INTO call FROM repayment_claim k WHERE k.id = ref;
        ELSE SELECT v.call_id INTO call FROM site_visit v WHERE v.id = ref;
        END IF;
        SELECT c.status = 'archived' INTO archived FROM funding_call c WHERE c.id = call FOR KEY SHARE;
        RETURN coalesce(archived, false);
      END
      $$`);

    // The column is read in its own statement per link: a row has only the column of its own link.
    const column = (row: 'OLD' | 'NEW') => `
          IF link = 'call' THEN ref := ${row}.call_id;
          ELSIF link = 'application' THEN ref := ${row}.application_id;
          ELSIF link = 'session' THEN ref := ${row}.session_id;
          ELSIF link = 'item' THEN ref := ${row}.item_id;
          ELSIF link = 'decision' THEN ref := ${row}.decision_id;
          ELSIF link = 'report' THEN ref := ${row}.report_id;
          ELSIF link = 'claim' THEN ref := ${row}.claim_id;
          ELSE ref := ${row}.visit_id;
          END IF;`;
    await q.query(`
      CREATE FUNCTION refuse_change_in_archived_call() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        link constant text := TG_ARGV[0];
        ref uuid;
        old_ref uuid;
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          IF current_setting('foerdertisch.retention', true) = 'on' THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
          END IF;
          ${column('OLD')}
          IF call_of_row_is_archived(link, ref) THEN
            RAISE EXCEPTION 'the call of this % row is archived: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'FT409';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          old_ref := ref;
        END IF;
        ${column('NEW')}
        IF ref IS DISTINCT FROM old_ref AND call_of_row_is_archived(link, ref) THEN
          RAISE EXCEPTION 'the call of this % row is archived: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'FT409';
        END IF;
        RETURN NEW;
      END
      $$`);

    await q.query(`
      CREATE FUNCTION refuse_change_of_archived_call() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'archived' AND current_setting('foerdertisch.retention', true) IS DISTINCT FROM 'on' THEN
          RAISE EXCEPTION 'the call is archived: % is not allowed', TG_OP USING ERRCODE = 'FT409';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END
      $$`);
    await q.query(`CREATE TRIGGER funding_call_archived BEFORE UPDATE OR DELETE ON funding_call FOR EACH ROW EXECUTE FUNCTION refuse_change_of_archived_call()`);

    for (const [table, link] of Object.entries(ARCHIVED_CALL_LINKS)) {
      await q.query(`CREATE TRIGGER ${table}_archived_call BEFORE INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change_in_archived_call('${link}')`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of Object.keys(ARCHIVED_CALL_LINKS)) await q.query(`DROP TRIGGER ${table}_archived_call ON ${table}`);
    await q.query(`DROP TRIGGER funding_call_archived ON funding_call`);
    await q.query(`DROP FUNCTION refuse_change_of_archived_call()`);
    await q.query(`DROP FUNCTION refuse_change_in_archived_call()`);
    await q.query(`DROP FUNCTION call_of_row_is_archived(text, uuid)`);
    await q.query(`ALTER TABLE funding_call DROP CONSTRAINT funding_call_archived_at, DROP COLUMN archived_at`);
  }
}
