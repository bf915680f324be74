// Plain data for the large documents the documents bench renders: the minutes of a session with 100
// items (26 pages) and the ranking of 400 proposals (20 pages), shaped as src/documents/document-types.ts.

const groups = ['Gewählte Migrantenvertretung', 'Ratsfraktion', 'Wohlfahrtsverband', 'Fachamt der Stadtverwaltung'];
const names = Array.from({ length: 24 }, (_, i) => `${['Ayşe', 'Olena', 'Giorgos', 'Fatima', 'Tharshan', 'Maria', 'Yusuf', 'Thomas'][i % 8]} ${['Demir', 'Kovalenko', 'Papadopoulos', 'El Amrani', 'Sivakumar', 'dos Santos', 'Kaya', 'Weyers', 'Brandt'][i % 9]}`);
const titles = ['Sprachcafé Erfttal', 'Hausaufgabenhilfe mit Elterncafé', 'Interkulturelles Nachbarschaftsfest Weckhoven', 'Bewerbungstraining für zugewanderte Frauen', 'Tandem-Treff am Hafen', 'Kochen verbindet'];
const organisations = ['Raum der Kulturen Neuss e.V.', 'Türkischer Elternverein für Bildung und Kultur Rhein-Kreis Neuss e.V.', 'Neusser Interkultur e.V. (Neik e.V.)', 'Interkulturelles Frauennetzwerk Neuss e.V.'];
const reference = (i) => `NE-2027-${String(i + 1).padStart(4, '0')}`;

export function largeMinutes(itemCount = 100) {
  const voting = names.slice(0, 14);
  return {
    callTitle: 'Teilhabe und Begegnung in Neuss',
    callYear: 2027,
    scheduledAt: '2027-01-20T16:00:00.000Z',
    openedAt: '2027-01-20T16:04:00.000Z',
    closedAt: '2027-01-20T21:12:00.000Z',
    place: 'Rathaus Neuss, Markt 2, Sitzungsraum 2.14',
    chairName: 'Dr. Katharina Voss',
    minuteTakerName: 'Jonas Becker',
    statutoryVotingMembers: 18,
    attendance: names.map((name, i) => ({ name, group: groups[i % groups.length], votingRight: i < 14 ? 'voting' : 'advisory', standsInForName: null })),
    absentVotingMembers: ['Mehmet Yılmaz', 'Dragan Petrović', 'Amina Okafor', 'Irina Schmidt'],
    items: Array.from({ length: itemCount }, (_, i) => ({
      position: i + 1,
      referenceNumber: reference(i),
      title: titles[i % titles.length],
      organisationName: organisations[i % organisations.length],
      requestedCents: 100_000 + ((i * 7919) % 500_000),
      status: 'closed',
      secretBallot: i % 5 === 0,
      eligibleVoters: 12,
      quorate: true,
      present: { voting, advisory: names.slice(14) },
      conflicts: i % 3 === 0 ? [{ name: names[i % 14], source: 'declared', reason: 'Vorstandsmitglied des Trägers' }] : [],
      counts: { yes: 8, no: 3, abstain: 1 },
      decision: i % 4 === 3 ? 'rejected' : 'approved',
      recommendedCents: i % 4 === 3 ? null : 90_000 + ((i * 7919) % 400_000),
      importance: i % 4 === 3 ? null : 1 + ((i * 37) % 40) / 10,
      urgency: i % 4 === 3 ? null : 1 + ((i * 53) % 40) / 10,
    })),
  };
}

export function largeRanking(count = 400) {
  const rows = Array.from({ length: count }, (_, i) => ({
    rank: i + 1,
    referenceNumber: reference(i),
    title: titles[i % titles.length],
    organisationName: organisations[i % organisations.length],
    fieldOfAction: 'Begegnung und Nachbarschaft',
    importance: 5 - (i * 4) / count,
    urgency: 5 - ((i * 3) % count) / count,
    score: 5 - (i * 4) / count,
    recommendedCents: 100_000 + ((i * 7919) % 400_000),
    grantedCents: null,
    partial: false,
  }));
  const funded = rows.slice(0, count / 2).map((row) => ({ ...row, grantedCents: row.recommendedCents }));
  const spentCents = funded.reduce((sum, row) => sum + row.recommendedCents, 0);
  return {
    callTitle: 'Teilhabe und Begegnung in Neuss',
    callYear: 2027,
    budgetCents: spentCents + 50_000,
    weights: { importance: 2, urgency: 1 },
    date: '2027-01-22',
    funded,
    waitingList: rows.slice(count / 2),
    spentCents,
    remainingCents: 50_000,
  };
}

/** A receipt of a submission with a four-line finance plan (two pages). */
export function receipt(i = 0) {
  return {
    referenceNumber: reference(i),
    submittedAt: '2026-09-12T08:15:00.000Z',
    submissionNumber: 1,
    callTitle: 'Teilhabe und Begegnung in Neuss',
    callYear: 2027,
    organisation: { name: organisations[i % organisations.length], street: 'Further Straße 21', postalCode: '41462', city: 'Neuss' },
    applicantName: names[i % names.length],
    title: titles[i % titles.length],
    fieldOfAction: 'Sprache und Bildung',
    targetGroup: 'Neu zugewanderte Erwachsene und ihre Nachbarinnen und Nachbarn',
    district: 'Erfttal',
    startDate: '2027-02-01',
    endDate: '2027-11-30',
    description: 'Wöchentliches Sprachcafé im Bürgerhaus Erfttal: Ehrenamtliche üben mit neu Zugewanderten Deutsch im Alltag. '.repeat(4),
    goals: 'Alltagsdeutsch verbessern, Kontakte in der Nachbarschaft knüpfen.',
    methods: 'Gesprächsrunden in kleinen Gruppen, Tandems, Ausflüge.',
    expectedParticipants: 45,
    openness: 'Offen für alle Interessierten; ohne Anmeldung.',
    costLines: [
      { category: 'Honorare', description: 'Sprachlehrerin, 40 Termine à 2 Stunden', amountCents: 320_000 },
      { category: 'Raummiete', description: 'Bürgerhaus Erfttal, 40 Nachmittage', amountCents: 120_000 },
      { category: 'Sachkosten', description: 'Lernmaterial und Getränke', amountCents: 45_000 },
      { category: 'Öffentlichkeitsarbeit', description: 'Flyer', amountCents: 5_000 },
    ],
    ownFundsCents: 65_000,
    thirdPartyFunding: [{ source: 'Bürgerstiftung Neuss', amountCents: 50_000, status: 'granted' }],
    requestedCents: 375_000,
    totalCostsCents: 490_000,
    attachments: [{ filename: 'Satzung.pdf', kind: 'Satzung', sha256: '3f2a9c0d41b7e8f65a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a' }],
    declarations: ['Mit dem Vorhaben wurde noch nicht begonnen.', 'Die Angaben sind vollständig und richtig.'],
  };
}
