import { berlinTime } from '../common/dates.js';
import type { DocumentLanguage, MinutesDocument } from './document-types.js';
import { createDocument, day, dayOf, euro, fields, finish, heading, instant, keepTogether, paragraph, rating, type Pdf } from './pdf.js';
import { letterText } from './texts.js';

type Item = MinutesDocument['items'][number];
type Member = MinutesDocument['attendance'][number];

/** Millimetres in PDF points. */
const mm = (value: number) => (value * 72) / 25.4;

/** The minutes (Niederschrift) of a non-public session of the round table, with lines for the signatures. */
export async function renderMinutesPdf(minutes: MinutesDocument, lang: DocumentLanguage): Promise<Buffer> {
  const date = dayOf(minutes.scheduledAt);
  const pdf = createDocument({ title: letterText(lang, 'minutes.document_title', { date: day(date, lang) }), lang });
  const { t } = pdf;
  const time = (iso: string | null) => {
    if (iso === null) return t('minutes.not_recorded');
    // A session that runs past midnight ends on another day, which the time alone would hide.
    return dayOf(iso) === date ? t('format.time', { time: berlinTime(new Date(iso)) }) : instant(iso, lang);
  };

  paragraph(pdf, t('session.issuer'), { small: true, gap: 4 });
  heading(pdf, t('minutes.title'), 1);
  fields(pdf, [
    [t('session.call'), t('session.call_value', { year: minutes.callYear, title: minutes.callTitle })],
    [t('minutes.date'), day(date, lang)],
    [t('session.place'), minutes.place],
    [t('minutes.opened'), time(minutes.openedAt)],
    [t('minutes.closed'), time(minutes.closedAt)],
    [t('session.chair'), minutes.chairName ?? t('session.chair_unknown')],
    [t('minutes.minute_taker'), minutes.minuteTakerName],
  ]);

  attendance(pdf, minutes);

  const items = [...minutes.items].sort((a, b) => a.position - b.position).map((item) => ({ item, rows: itemRows(pdf, item) }));
  // The section's heading stays with its first item.
  if (items.length > 0) keepTogether(pdf, 40 + itemHeight(pdf, items[0].rows));
  heading(pdf, t('minutes.items'));
  if (items.length === 0) paragraph(pdf, t('minutes.no_items'));
  for (const { item, rows } of items) {
    // An item on one page where it fits.
    keepTogether(pdf, itemHeight(pdf, rows));
    heading(pdf, t('minutes.item', { n: item.position, referenceNumber: item.referenceNumber, title: item.title }), 3);
    fields(pdf, rows);
  }

  signatures(pdf, [
    [t('session.chair'), minutes.chairName],
    [t('minutes.minute_taker'), minutes.minuteTakerName],
  ]);
  return finish(pdf);
}

/** Present members by group, voting before advisory; deputies with the member they stand in for. */
function attendance(pdf: Pdf, minutes: MinutesDocument): void {
  const { t } = pdf;
  heading(pdf, t('minutes.attendance'));
  const clock = (iso: string) => t('format.time', { time: berlinTime(new Date(iso)) });
  const name = (member: Member) => {
    const named = member.standsInForName ? t('minutes.stands_in_for', { name: member.name, absent: member.standsInForName }) : member.name;
    const times = [member.arrivedAt ? t('minutes.arrived', { time: clock(member.arrivedAt) }) : null, member.leftAt ? t('minutes.left', { time: clock(member.leftAt) }) : null].filter(Boolean);
    return times.length > 0 ? `${named} (${times.join(', ')})` : named;
  };
  const voting = minutes.attendance.filter((member) => member.votingRight === 'voting');
  const advisory = minutes.attendance.filter((member) => member.votingRight === 'advisory');
  paragraph(pdf, t('minutes.present_summary', { statutory: minutes.statutoryVotingMembers, voting: voting.length, advisory: advisory.length }));
  if (minutes.attendance.some((member) => member.arrivedAt || member.leftAt)) paragraph(pdf, t('minutes.present_per_item'));

  for (const [key, members] of [
    ['minutes.present_voting', voting],
    ['minutes.present_advisory', advisory],
  ] as const) {
    heading(pdf, t(key), 3);
    const groups = new Map<string, string[]>();
    for (const member of members) groups.set(member.group, [...(groups.get(member.group) ?? []), name(member)]);
    if (groups.size === 0) paragraph(pdf, t('minutes.nobody'));
    else fields(pdf, [...groups].map(([group, names]) => [group, names.join(', ')]));
  }

  heading(pdf, t('minutes.absent'), 3);
  const deputies = new Map(minutes.attendance.filter((member) => member.standsInForName).map((member) => [member.standsInForName, member.name]));
  const absent = minutes.absentVotingMembers.map((absentee) => {
    const deputy = deputies.get(absentee);
    return deputy ? t('minutes.absent_represented', { name: absentee, deputy }) : absentee;
  });
  paragraph(pdf, absent.length === 0 ? t('minutes.nobody') : absent.join(', '));
}

/** What was recorded on an item, as label and value. */
function itemRows(pdf: Pdf, item: Item): [string, string][] {
  const { t, lang } = pdf;
  const rows: [string, string][] = [
    [t('session.organisation'), item.organisationName],
    [t('session.requested'), euro(item.requestedCents, lang)],
    [t('minutes.conflicts'), conflicts(pdf, item)],
  ];
  if (item.present) {
    const names = (list: string[]) => (list.length === 0 ? t('minutes.nobody') : list.join(', '));
    rows.push([t('minutes.present'), t('minutes.present_value', { voting: item.present.voting.length, votingNames: names(item.present.voting), advisory: item.present.advisory.length, advisoryNames: names(item.present.advisory) })]);
  }
  if (item.secretBallotRequests && item.secretBallotRequests.names.length > 0) {
    const { names, needed } = item.secretBallotRequests;
    rows.push([t('minutes.secret_requests'), t('minutes.secret_requests_value', { names: names.join(', '), count: names.length, needed })]);
  }
  if (item.quorate !== null) {
    const quorate = t(item.quorate ? 'minutes.quorum.yes' : 'minutes.quorum.no');
    const voters = item.eligibleVoters;
    rows.push([t('minutes.quorum'), voters === null ? quorate : t(voters === 1 ? 'minutes.quorum_voters_one' : 'minutes.quorum_voters_many', { quorate, n: voters })]);
  }
  if (item.counts !== null) {
    const counts = t('minutes.counts', item.counts);
    rows.push([t('minutes.vote'), item.secretBallot ? `${counts} (${t('minutes.secret')})` : counts]);
  }
  rows.push([t('minutes.decision'), decision(pdf, item)]);
  // Always there, also as the widest label, so that the items line up.
  rows.push([t('minutes.recommended'), item.decision === 'approved' && item.recommendedCents !== null ? euro(item.recommendedCents, lang) : '–']);
  if (item.importance !== null && item.urgency !== null) {
    rows.push([t('minutes.ratings'), t('minutes.ratings_value', { importance: rating(item.importance, lang), urgency: rating(item.urgency, lang) })]);
  }
  return rows;
}

/** About the height of an item: its heading, then its rows with the values at two thirds of the width. */
function itemHeight(pdf: Pdf, rows: [string, string][]): number {
  const { doc } = pdf;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  doc.font('Regular').fontSize(10);
  return 30 + rows.reduce((height, [, value]) => height + doc.heightOfString(value, { width: width * 0.65, lineGap: 1.5 }) + 4, 0);
}

/** Each declared conflict on its own line, then who therefore took no part (§ 31 GO NRW). */
function conflicts(pdf: Pdf, item: Item): string {
  const { t, lang } = pdf;
  if (item.conflicts.length === 0) return t('minutes.no_conflicts');
  const lines = item.conflicts.map((conflict) => {
    const line = t('minutes.conflict', { name: conflict.name, source: t(`minutes.conflict.${conflict.source}`), reason: conflict.reason });
    if (conflict.afterDecision) return `${line} ${t('minutes.conflict_after_decision')}`;
    if (conflict.voteWithdrawn) return `${line} ${t(`minutes.conflict_withdrawn.${conflict.voteWithdrawn}`)}`;
    return line;
  });
  // A conflict known only after the decision: the member did take part, as the note says.
  const names = [...new Set(item.conflicts.filter((conflict) => !conflict.afterDecision).map((conflict) => conflict.name))];
  if (names.length === 0) return lines.join('\n');
  const list = new Intl.ListFormat(lang === 'de' ? 'de-DE' : 'en-GB', { type: 'conjunction' }).format(names);
  lines.push(t(names.length === 1 ? 'minutes.conflict_abstained_one' : 'minutes.conflict_abstained_many', { names: list }));
  return lines.join('\n');
}

/** An item is decided only when closed with a decision; deferred is its own outcome; anything else was not dealt with. */
function decision(pdf: Pdf, item: Item): string {
  if (item.status === 'deferred') return pdf.t('minutes.decision.deferred');
  if (item.status === 'closed' && item.decision !== null) return pdf.t(`minutes.decision.${item.decision}`);
  return pdf.t('minutes.decision.none');
}

/** Side by side for each role: a line for place and date, a line for the signature, the role and name below. */
function signatures(pdf: Pdf, signers: [role: string, name: string | null][]): void {
  const { doc, t } = pdf;
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const gap = mm(15);
  const column = (width - gap * (signers.length - 1)) / signers.length;
  const tagged = { structParent: pdf.root, structType: 'P' };

  keepTogether(pdf, mm(60));
  heading(pdf, t('minutes.signatures'));
  const caption = (y: number, text: (signer: [string, string | null]) => string) => {
    doc.markContent('Artifact', { type: 'Layout' });
    signers.forEach((_signer, index) => {
      const x = left + index * (column + gap);
      doc.moveTo(x, y).lineTo(x + column, y);
    });
    doc.lineWidth(0.6).strokeColor('black').stroke();
    doc.endMarkedContent();
    let bottom = y;
    signers.forEach((signer, index) => {
      doc.font('Regular').fontSize(8.5).fillColor('black');
      doc.text(text(signer), left + index * (column + gap), y + 3, { width: column, lineGap: 1.5, ...tagged });
      bottom = Math.max(bottom, doc.y);
    });
    doc.x = left;
    doc.y = bottom;
  };
  caption(doc.y + mm(12), () => t('minutes.place_date'));
  caption(doc.y + mm(15), ([role, name]) => (name ? t('minutes.signature', { role, name }) : role));
  doc.font('Regular').fontSize(10).moveDown(1);
}
