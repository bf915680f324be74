import { describe, expect, it } from '@jest/globals';
import { checkedPdf, pdfText } from '../../test/support/pdf.js';
import { renderAgendaPdf } from './agenda.pdf.js';
import type { AgendaDocument, MinutesDocument, RankingDocument, RankingRow } from './document-types.js';
import { renderMinutesPdf } from './minutes.pdf.js';
import { rating } from './pdf.js';
import { renderRankingPdf } from './ranking.pdf.js';
import { expectInOrder } from '../../test/support/text.js';

const callTitle = 'Teilhabe und Begegnung in Neuss';

const agenda: AgendaDocument = {
  callTitle,
  callYear: 2027,
  scheduledAt: '2027-01-20T16:00:00.000Z',
  place: 'Rathaus Neuss, Markt 2, Sitzungsraum 2.14',
  chairName: 'Dr. Katharina Voss',
  items: [
    { position: 2, referenceNumber: 'NE-2027-0007', title: 'Hausaufgabenhilfe mit Elterncafé', organisationName: 'Türkischer Elternverein für Bildung und Kultur Rhein-Kreis Neuss e.V.', fieldOfAction: 'Sprache und Bildung', requestedCents: 480_000 },
    { position: 1, referenceNumber: 'NE-2027-0003', title: 'Sprachcafé Erfttal', organisationName: 'Raum der Kulturen Neuss e.V.', fieldOfAction: 'Sprache und Bildung', requestedCents: 340_000 },
    { position: 3, referenceNumber: 'NE-2027-0011', title: 'Interkulturelles Nachbarschaftsfest Weckhoven', organisationName: 'Neusser Interkultur e.V. (Neik e.V.)', fieldOfAction: 'Begegnung und Nachbarschaft', requestedCents: 250_000 },
    { position: 4, referenceNumber: 'NE-2027-0014', title: 'Bewerbungstraining für zugewanderte Frauen', organisationName: 'Interkulturelles Frauennetzwerk Neuss e.V.', fieldOfAction: 'Teilhabe am Arbeitsmarkt', requestedCents: 600_000 },
    { position: 5, referenceNumber: 'NE-2027-0019', title: 'Tandem-Treff am Hafen', organisationName: 'Neusser Tandem-Treff (NE T-T) e.V.', fieldOfAction: 'Begegnung und Nachbarschaft', requestedCents: 180_000 },
  ],
};

/** Weights 2 : 1, so the score is (2 × importance + urgency) / 3. */
function row(rank: number, item: AgendaDocument['items'][number], importance: number, urgency: number, recommendedCents: number, grantedCents: number | null, partial = false): RankingRow {
  const { referenceNumber, title, organisationName, fieldOfAction } = item;
  return { rank, referenceNumber, title, organisationName, fieldOfAction, importance, urgency, score: (2 * importance + urgency) / 3, recommendedCents, grantedCents, partial };
}

const [hausaufgaben, sprachcafe, fest, bewerbung, tandem] = agenda.items;
const kochen = { position: 6, referenceNumber: 'NE-2027-0022', title: 'Kochen verbindet', organisationName: 'Tamilischer Kulturverein Neuss e.V.', fieldOfAction: 'Begegnung und Nachbarschaft', requestedCents: 150_000 };

const ranking: RankingDocument = {
  callTitle,
  callYear: 2027,
  budgetCents: 1_200_000,
  weights: { importance: 2, urgency: 1 },
  date: '2027-01-22',
  funded: [
    row(1, hausaufgaben, 4.6, 4.2, 450_000, 450_000),
    row(2, sprachcafe, 4.4, 3.8, 250_000, 250_000),
    row(3, bewerbung, 4.0, 4.3, 400_000, 400_000),
    row(4, fest, 3.8, 3.2, 220_000, 100_000, true),
  ],
  waitingList: [row(5, tandem, 3.4, 3.0, 180_000, null), row(6, kochen, 3.0, 2.6, 150_000, null)],
  spentCents: 1_200_000,
  remainingCents: 0,
};

const voting = (name: string, group: string, standsInForName: string | null = null) => ({ name, group, votingRight: 'voting' as const, standsInForName });
const advisory = (name: string, group: string) => ({ name, group, votingRight: 'advisory' as const, standsInForName: null });
const elected = 'Gewählte Migrantenvertretung';
const faction = 'Ratsfraktion';
const noVote = { secretBallot: false, counts: null, decision: null, recommendedCents: null, importance: null, urgency: null };

const minutes: MinutesDocument = {
  callTitle,
  callYear: 2027,
  scheduledAt: agenda.scheduledAt,
  openedAt: '2027-01-20T16:04:00.000Z',
  closedAt: '2027-01-20T18:12:00.000Z',
  place: agenda.place,
  chairName: 'Dr. Katharina Voss',
  minuteTakerName: 'Jonas Becker',
  statutoryVotingMembers: 18,
  attendance: [
    advisory('Dr. Katharina Voss', 'Fachamt der Stadtverwaltung'),
    voting('Ayşe Demir', elected),
    voting('Olena Kovalenko', elected),
    voting('Giorgos Papadopoulos', elected),
    voting('Fatima El Amrani', elected),
    voting('Tharshan Sivakumar', elected),
    voting('Maria dos Santos', elected),
    voting('Yusuf Kaya', elected, 'Mehmet Yılmaz'),
    voting('Thomas Weyers', faction),
    { ...voting('Lea Brandt', faction), arrivedAt: '2027-01-20T16:40:00.000Z' },
    { ...voting('Ursula Pesch', faction), leftAt: '2027-01-20T17:55:00.000Z' },
    voting('Bernd Jansen', faction, 'Hildegard Kamps'),
    advisory('Monika Schäfer', 'Wohlfahrtsverband'),
    advisory('Nadia Haddad', 'Träger von Integrationsmaßnahmen'),
  ],
  absentVotingMembers: ['Mehmet Yılmaz', 'Dragan Petrović', 'Amina Okafor', 'Irina Schmidt', 'Jasmin Hadžić', 'Rafael Cruz', 'Hildegard Kamps', 'Michael Hülsmann', 'Jonas Falkenberg'],
  items: [
    {
      ...sprachcafe,
      position: 1,
      status: 'closed',
      secretBallot: false,
      eligibleVoters: 10,
      quorate: true,
      present: { voting: ['Olena Kovalenko', 'Giorgos Papadopoulos', 'Fatima El Amrani', 'Tharshan Sivakumar', 'Maria dos Santos', 'Yusuf Kaya', 'Thomas Weyers', 'Ursula Pesch', 'Bernd Jansen', 'Ayşe Demir'], advisory: ['Dr. Katharina Voss'] },
      conflicts: [{ name: 'Ayşe Demir', source: 'affiliation', reason: 'Vorstandsmitglied des Trägers' }],
      counts: { yes: 7, no: 3, abstain: 0 },
      decision: 'approved',
      recommendedCents: 250_000,
      importance: 4.4,
      urgency: 3.8,
    },
    {
      ...hausaufgaben,
      position: 2,
      status: 'deferred',
      eligibleVoters: 9,
      quorate: false,
      conflicts: [
        { name: 'Tharshan Sivakumar', source: 'declared', reason: 'Honorarkraft im beantragten Vorhaben' },
        { name: 'Lea Brandt', source: 'declared', reason: 'Ehemann ist Kassenwart des Vereins' },
      ],
      ...noVote,
    },
    {
      ...fest,
      position: 3,
      status: 'closed',
      secretBallot: true,
      eligibleVoters: 11,
      quorate: true,
      conflicts: [{ name: 'Thomas Weyers', source: 'declared', reason: 'Schwager im Vorstand', voteWithdrawn: 'secret_ballot_repeated' }],
      secretBallotRequests: { names: ['Lea Brandt', 'Thomas Weyers', 'Olena Kovalenko', 'Ursula Pesch'], needed: 4 },
      counts: { yes: 5, no: 5, abstain: 1 },
      decision: 'rejected',
      recommendedCents: null,
      importance: null,
      urgency: null,
    },
    {
      ...bewerbung,
      position: 4,
      status: 'closed',
      secretBallot: false,
      eligibleVoters: 11,
      quorate: true,
      conflicts: [
        { name: 'Olena Kovalenko', source: 'declared', reason: 'Honorarkraft', voteWithdrawn: 'vote' },
        { name: 'Maria dos Santos', source: 'declared', reason: 'Mitglied des Vereins', afterDecision: true },
      ],
      counts: { yes: 9, no: 1, abstain: 1 },
      decision: 'approved',
      recommendedCents: 400_000,
      importance: 4.0,
      urgency: 4.3,
    },
    { ...tandem, position: 5, status: 'pending', eligibleVoters: null, quorate: null, conflicts: [], ...noVote },
  ],
};


describe('session documents', () => {
  it('renders the invitation with the numbered agenda', async () => {
    const text = await checkedPdf(await renderAgendaPdf(agenda, 'de'), 'agenda');
    expect(text).toContain('Einladung und Tagesordnung');
    expect(text).toContain('nicht öffentlichen Sitzung des Runden Tisches Integrationsförderung');
    expect(text).toContain('2027: Teilhabe und Begegnung in Neuss');
    expect(text).toContain('20.01.2027, 17:00 Uhr');
    expect(text).toContain('Rathaus Neuss, Markt 2, Sitzungsraum 2.14');
    expect(text).toContain('Dr. Katharina Voss');
    expectInOrder(text, ['TOP 1 NE-2027-0003', 'TOP 2 NE-2027-0007', 'TOP 3 NE-2027-0011', 'TOP 4 NE-2027-0014', 'TOP 5 NE-2027-0019']);
    for (const item of agenda.items) {
      expect(text).toContain(item.title);
      expect(text).toContain(item.organisationName);
    }
    expect(text).toContain('Begegnung und Nachbarschaft');
    expect(text).toContain('3.400,00 €');
    expect(text).toContain('Beantragt insgesamt 18.500,00 €');
    expect(text).toContain('vertraulich und dürfen nicht an Dritte weitergegeben werden');
    expect(text).toContain('Seite 1 von');
  });

  it('renders an agenda without chair or items, and in English as a courtesy translation', async () => {
    const empty = await pdfText(await renderAgendaPdf({ ...agenda, chairName: null, items: [] }, 'de'));
    expect(empty).toContain('noch nicht benannt');
    expect(empty).toContain('Es stehen keine Anträge zur Beratung an.');
    const english = await checkedPdf(await renderAgendaPdf(agenda, 'en'), 'agenda-en');
    expect(english).toContain('Invitation and agenda');
    expect(english).toContain('Item 1 NE-2027-0003');
    expect(english).toContain('€3,400.00');
    expect(english).toContain('must not be passed on');
    expect(english).toContain('only the German version');
  });

  it('renders the ranking with the funded proposals, the waiting list and the totals', async () => {
    const text = await checkedPdf(await renderRankingPdf(ranking, 'de'), 'ranking');
    expect(text).toContain('Rangfolge der Handlungsvorschläge');
    expect(text).toContain('12.000,00 €');
    expect(text).toContain('Gewichtung 2 : 1 (Bedeutung : Dringlichkeit)');
    expect(text).toContain('22.01.2027');
    expectInOrder(text, [
      'Zur Förderung vorgesehen',
      'NE-2027-0007',
      'NE-2027-0003',
      'NE-2027-0014',
      'NE-2027-0011',
      'Nachrückliste',
      'NE-2027-0019',
      'NE-2027-0022',
      'Mittelverteilung',
    ]);
    // Ratings rounded like on the page, with a decimal comma: 4,6 and 4,2 weigh in at 4,466… ≈ 4,47.
    expect(text).toContain('4,60 4,20 4,47 4.500,00 € 4.500,00 €');
    expect(text).toContain('2.500,00 €');
    expect(text).toContain('2.200,00 € 1.000,00 €*');
    expect(text).toContain('Teilweise im Budget');
    // Nothing is awarded yet: no column claims an amount is granted.
    expect(text).toContain('empfohlen im Budget');
    expect(text).not.toMatch(/bewilligt/i);
    expect(text).toContain('3,40 3,00 3,27 1.800,00 € –');
    expect(text).toContain('Summe 13.200,00 € 12.000,00 €');
    expect(text).toContain('Summe 3.300,00 € –');
    expect(text).toContain('Im Budget gebunden 12.000,00 €');
    expect(text).toContain('Verbleibend 0,00 €');
    expect(text).toContain('Seite 1 von');
  });

  it('writes ratings with two decimals, rounded like the ranking page and its CSV', () => {
    expect(rating(4, 'de')).toBe('4,00');
    expect(rating(4.4667, 'de')).toBe('4,47');
    expect(rating(4.4667, 'en')).toBe('4.47');
  });

  it('renders the ranking without a waiting list, in English', async () => {
    const text = await checkedPdf(await renderRankingPdf({ ...ranking, waitingList: [] }, 'en'), 'ranking-en');
    expect(text).toContain('Ranking of the proposals');
    expect(text).toContain('€2,500.00');
    expect(text).toContain('The waiting list is empty.');
    expect(text).toContain('only the German version');
  });

  it('renders the minutes with attendance, conflicts, quorum, votes, decisions and signature lines', async () => {
    const text = await checkedPdf(await renderMinutesPdf(minutes, 'de'), 'minutes');
    expect(text).toContain('Niederschrift über die nicht öffentliche Sitzung des Runden Tisches Integrationsförderung');
    expect(text).toContain('20.01.2027');
    expect(text).toContain('Beginn 17:04 Uhr');
    expect(text).toContain('Ende 19:12 Uhr');
    expect(text).toContain('Schriftführung Jonas Becker');
    expect(text).toContain('Gesetzliche Zahl der stimmberechtigten Mitglieder: 18. Anwesend sind 11 stimmberechtigte und 3 beratende Mitglieder.');
    expect(text).toContain('Yusuf Kaya (in Vertretung für Mehmet Yılmaz)');
    expect(text).toContain('Bernd Jansen (in Vertretung für Hildegard Kamps)');
    expect(text).toContain('Monika Schäfer');
    expect(text).toContain('Mehmet Yılmaz (vertreten durch Yusuf Kaya), Dragan Petrović');
    expect(text).toContain('Lea Brandt (ab 17:40 Uhr)');
    expect(text).toContain('Ursula Pesch (bis 18:55 Uhr)');
    expect(text).toContain('wer bei einem Tagesordnungspunkt anwesend war, steht beim Punkt.');

    expectInOrder(text, [
      'TOP 1: NE-2027-0003 – Sprachcafé Erfttal',
      'Ayşe Demir (aus erklärter Verbindung): Vorstandsmitglied des Trägers',
      'Ayşe Demir hat an der Beratung und Abstimmung nicht teilgenommen (§ 31 GO NRW).',
      'Anwesend 10 stimmberechtigt: Olena Kovalenko, Giorgos Papadopoulos',
      'Bernd Jansen, Ayşe Demir; 1 beratend: Dr. Katharina Voss',
      'Beschlussfähig ja, 10 stimmberechtigte Mitglieder anwesend und nicht befangen',
      'Abstimmung Ja: 7, Nein: 3, Enthaltung: 0',
      'Beschluss befürwortet',
      'Förderempfehlung 2.500,00 €',
      'Bewertung Bedeutung 4,40, Dringlichkeit 3,80 (Mittelwerte)',
      'TOP 2: NE-2027-0007',
      'Tharshan Sivakumar (selbst erklärt): Honorarkraft im beantragten Vorhaben',
      'Lea Brandt (selbst erklärt): Ehemann ist Kassenwart des Vereins',
      'Tharshan Sivakumar und Lea Brandt haben an der Beratung und Abstimmung nicht teilgenommen (§ 31 GO NRW).',
      'Beschlussfähig nein, 9 stimmberechtigte Mitglieder anwesend und nicht befangen',
      'Beschluss vertagt',
      'TOP 3: NE-2027-0011',
      'Thomas Weyers (selbst erklärt): Schwager im Vorstand Die geheime Abstimmung wurde wegen der Befangenheit wiederholt',
      'Antrag auf geheime Abstimmung Lea Brandt, Thomas Weyers, Olena Kovalenko, Ursula Pesch (4 von 4 nötigen Anträgen)',
      'Abstimmung Ja: 5, Nein: 5, Enthaltung: 1 (geheime Abstimmung)',
      'Beschluss abgelehnt',
      'TOP 4: NE-2027-0014',
      'Olena Kovalenko (selbst erklärt): Honorarkraft Die schon abgegebene Stimme wurde wegen der Befangenheit zurückgenommen.',
      'Maria dos Santos (selbst erklärt): Mitglied des Vereins Die Befangenheit wurde erst nach der Abstimmung bekannt; das Mitglied hat mit abgestimmt, das Ergebnis bleibt unverändert.',
      'Olena Kovalenko hat an der Beratung und Abstimmung nicht teilgenommen (§ 31 GO NRW).',
      'Abstimmung Ja: 9, Nein: 1, Enthaltung: 1',
      'Beschluss befürwortet',
      'Förderempfehlung 4.000,00 €',
      'TOP 5: NE-2027-0019',
      'Beschluss nicht behandelt',
      'Unterschriften',
      'Ort, Datum Ort, Datum',
      'Dr. Katharina Voss Vorsitz',
      'Jonas Becker Schriftführung',
    ]);
    // Only the secret item says so (with its request and the repeated ballot); the open votes of items 1 and 4 do not.
    expect(text.match(/geheime Abstimmung/g)).toHaveLength(3);
    expect(text).not.toContain('Abstimmung Ja: 9, Nein: 1, Enthaltung: 1 (geheime');
    expect(text).toContain('Beschluss abgelehnt Förderempfehlung –');
    expect(text).toContain('Seite 1 von');
  });

  it('renders minutes in English', async () => {
    const text = await checkedPdf(await renderMinutesPdf(minutes, 'en'), 'minutes-en');
    expect(text).toContain('Minutes of the non-public session');
    expect(text).toContain('Yes: 7, No: 3, Abstentions: 0');
    expect(text).toContain('secret ballot');
    expect(text).toContain('Ayşe Demir (from a declared affiliation)');
    expect(text).toContain('Place, date');
    expect(text).toContain('only the German version');
  });
});
