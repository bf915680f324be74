import type { MinutesDocument } from '../../src/documents/document-types.js';

/** The minutes of a long session: 200 decided items, about 100 pages. */
export function longMinutes(): MinutesDocument {
  const names = Array.from({ length: 14 }, (_, i) => `Mitglied ${i + 1} Ünal`);
  return {
    callTitle: 'Teilhabe und Begegnung in Neuss',
    callYear: 2027,
    scheduledAt: '2027-01-20T16:00:00.000Z',
    openedAt: '2027-01-20T16:04:00.000Z',
    closedAt: '2027-01-20T21:12:00.000Z',
    place: 'Rathaus Neuss',
    chairName: 'Dr. Katharina Voss',
    minuteTakerName: 'Jonas Becker',
    statutoryVotingMembers: 18,
    attendance: names.map((name) => ({ name, group: 'Ratsfraktion', votingRight: 'voting' as const, standsInForName: null })),
    absentVotingMembers: ['Mehmet Yılmaz'],
    items: Array.from({ length: 200 }, (_, i) => ({
      position: i + 1,
      referenceNumber: `NE-2027-${String(i + 1).padStart(4, '0')}`,
      title: `Vorhaben ${i + 1}: Sprachcafé und Begegnung im Stadtteil`,
      organisationName: 'Raum der Kulturen Neuss e.V.',
      requestedCents: 250_000,
      status: 'closed' as const,
      secretBallot: false,
      eligibleVoters: 12,
      quorate: true,
      present: { voting: names, advisory: [] },
      conflicts: [{ name: names[i % 14], source: 'declared' as const, reason: 'Vorstandsmitglied des Trägers' }],
      counts: { yes: 8, no: 3, abstain: 1 },
      decision: 'approved' as const,
      recommendedCents: 200_000,
      importance: 4.2,
      urgency: 3.8,
    })),
  };
}
