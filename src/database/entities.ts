import { Application, ApplicationVersion, Attachment } from '../applications/application.entities.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { Decision, DecisionLetter, LedgerEntry } from '../awards/award.entities.js';
import { FundingCall } from '../calls/call.entity.js';
import { LoginAttempt, OneTimeToken, UserSession } from '../auth/auth.entities.js';
import { User } from '../auth/user.entity.js';
import { PaymentExport, PaymentRequest } from '../payments/payment.entities.js';
import { Organisation, OrganisationContact, OrganisationUser } from '../organisations/organisation.entities.js';
import { MemberAffiliation, RoundTableMember } from '../round-table/member.entities.js';
import { AgendaItem, CouncilSession } from '../sessions/session.entities.js';

export const ENTITIES = [
  User, UserSession, LoginAttempt, OneTimeToken,
  Organisation, OrganisationContact, OrganisationUser,
  RoundTableMember, MemberAffiliation,
  FundingCall, Application, ApplicationVersion, Attachment,
  CouncilSession, AgendaItem,
  Decision, DecisionLetter, LedgerEntry,
  PaymentRequest, PaymentExport,
  AuditEvent,
];
