import { Foundation1763700000000 } from './1763700000000-Foundation.js';
import { CallsAndApplications1763800000000 } from './1763800000000-CallsAndApplications.js';
import { RoundTableSessions1763900000000 } from './1763900000000-RoundTableSessions.js';
import { CouncilLaw1764000000000 } from './1764000000000-CouncilLaw.js';
import { SessionCancellation1764100000000 } from './1764100000000-SessionCancellation.js';
import { ApplicationReplies1764300000000 } from './1764300000000-ApplicationReplies.js';
import { OrganisationUnique1764430000000 } from './1764430000000-OrganisationUnique.js';
import { AuthThrottle1764440000000 } from './1764440000000-AuthThrottle.js';
import { ReferenceOrder1764450000000 } from './1764450000000-ReferenceOrder.js';
import { WorklistCounts1764500000000 } from './1764500000000-WorklistCounts.js';
import { Awards1764600000000 } from './1764600000000-Awards.js';
import { Payments1764700000000 } from './1764700000000-Payments.js';
import { BaseRates1764800000000 } from './1764800000000-BaseRates.js';
import { UsageReports1764900000000 } from './1764900000000-UsageReports.js';
import { CallArchive1765000000000 } from './1765000000000-CallArchive.js';
import { Retention1765100000000 } from './1765100000000-Retention.js';

/** Every migration, in order. A new migration is added here as well as in its own file. */
export const MIGRATIONS = [
  Foundation1763700000000,
  CallsAndApplications1763800000000,
  RoundTableSessions1763900000000,
  CouncilLaw1764000000000,
  SessionCancellation1764100000000,
  ApplicationReplies1764300000000,
  OrganisationUnique1764430000000,
  AuthThrottle1764440000000,
  ReferenceOrder1764450000000,
  WorklistCounts1764500000000,
  Awards1764600000000,
  Payments1764700000000,
  BaseRates1764800000000,
  UsageReports1764900000000,
  CallArchive1765000000000,
  Retention1765100000000,
];
