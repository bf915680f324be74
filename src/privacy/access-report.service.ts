import { Injectable } from '@nestjs/common';
import { zip, type AsyncZippable } from 'fflate';
import type { Actor } from '../auth/actor.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { AuditService } from '../audit/audit.service.js';
import { Transactions } from '../common/transactions.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { PrivacyRepository, type StoredFile } from './privacy.repository.js';

/** Stored files are compressed already (PDF, JPEG, PNG): they go into the archive as they are. */
const STORED = { level: 0 } as const;

/** A file name safe in any unzip tool: letters, digits, dot, dash and underscore. */
export function archiveName(name: string): string {
  const safe = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return safe.slice(0, 120) || 'file';
}

/**
 * The access report (Art. 15 DSGVO): everything the system holds about one organisation and its
 * people as one zip archive: `organisation.json` with the records, and the documents as stored
 * (letters, attachments, participant lists, visit photos) or rendered from the stored version
 * (application receipts, by the DocumentRenderer's worker threads). fflate's asynchronous zip
 * compresses large entries in a worker thread; the stored files go in uncompressed. Every export is audited.
 */
@Injectable()
export class AccessReportService {
  constructor(
    private readonly db: Transactions,
    private readonly privacy: PrivacyRepository,
    private readonly organisations: OrganisationsService,
    private readonly applications: ApplicationsService,
    private readonly audit: AuditService,
  ) {}

  async export(actor: Actor, organisationId: string): Promise<{ filename: string; zip: Buffer }> {
    // Staff see every organisation, an applicant only those they act for (another one is a 404).
    await this.organisations.get(actor, organisationId);
    const [organisation, contacts, accounts, applications, decisions, paymentRequests, usageReports, repaymentClaims, visits, auditEvents] = await Promise.all([
      this.privacy.organisation(organisationId),
      this.privacy.contacts(organisationId),
      this.privacy.accounts(organisationId),
      this.privacy.applications(organisationId),
      this.privacy.decisions(organisationId),
      this.privacy.paymentRequests(organisationId),
      this.privacy.usageReports(organisationId),
      this.privacy.repaymentClaims(organisationId),
      this.privacy.visits(organisationId),
      this.privacy.auditEvents(organisationId),
    ]);
    const files: AsyncZippable = {};
    const add = (folder: string, stored: StoredFile[]) => {
      for (const file of stored) files[`${folder}/${archiveName(file.owner)}/${file.id.slice(0, 8)}-${archiveName(file.filename)}`] = [new Uint8Array(file.content), STORED];
    };
    add('letters/decisions', await this.privacy.decisionLetters(organisationId));
    add('letters/repayment-claims', await this.privacy.claimLetters(organisationId));
    add('attachments', await this.privacy.attachments(organisationId));
    add('participant-lists', await this.privacy.participantLists(organisationId));
    add('visit-photos', await this.privacy.visitPhotos(organisationId));
    // One receipt at a time: an organisation with many versions does not take every render thread.
    for (const version of await this.privacy.versions(organisationId)) {
      const { pdf } = await this.applications.receipt(actor, version.applicationId, version.number, actor.preferredLanguage);
      files[`receipts/${archiveName(version.referenceNumber)}-${version.number}.pdf`] = [new Uint8Array(pdf), STORED];
    }
    const exportedAt = new Date();
    const document = {
      exportedAt: exportedAt.toISOString(),
      exportedBy: actor.fullName,
      legalBasis: 'Art. 15 DSGVO',
      organisation, contacts, accounts, applications, decisions, paymentRequests, usageReports, repaymentClaims, visits, auditEvents,
      files: Object.keys(files).sort(),
    };
    files['organisation.json'] = new TextEncoder().encode(JSON.stringify(document, null, 2));
    const archive = await zipAsync(files);
    await this.db.run((manager) => this.audit.record(manager, actor, {
      action: 'organisation.access_report_exported',
      entityType: 'organisation',
      entityId: organisationId,
      after: { files: Object.keys(files).length, bytes: archive.length },
    }));
    const name = archiveName(String((organisation as { name?: string } | null)?.name ?? 'Organisation'));
    return { filename: `Auskunft-Art15-${name}-${exportedAt.toISOString().slice(0, 10)}.zip`, zip: archive };
  }
}

function zipAsync(files: AsyncZippable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip(files, { level: 6 }, (error, data) => (error ? reject(error) : resolve(Buffer.from(data.buffer, data.byteOffset, data.byteLength))));
  });
}
