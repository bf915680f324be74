/**
 * The council rules of the round table (GO NRW as applied to it), as pure functions over plain data:
 * who may vote on an item, quorum, the result of a vote, and the secret ballot.
 */

export interface Seat {
  memberId: string;
  votingRight: 'voting' | 'advisory';
  kind: 'member' | 'deputy';
  /** The member's own (personal) deputy, where one is named. */
  deputyId?: string | null;
}

export interface Presence {
  memberId: string;
  /** A deputy standing in for an absent member takes that member's right. */
  standsInFor: string | null;
}

export type Choice = 'yes' | 'no' | 'abstain';

/** The statutory number: voting members (not deputies) whose term covers the session. */
export function statutoryNumber(seats: readonly Seat[]): number {
  return seats.filter((s) => s.votingRight === 'voting' && s.kind === 'member').length;
}

/**
 * Why a member may not stand in for another, as a message key; null when they may. Only a deputy
 * stands in, only for a member (not for another deputy), and for a member who has a personal deputy
 * only that deputy. An advisory deputy never stands in for a voting member.
 */
export function standInRefusal(seats: readonly Seat[], standInId: string, absentId: string): string | null {
  const standIn = seats.find((s) => s.memberId === standInId);
  const absent = seats.find((s) => s.memberId === absentId);
  if (!standIn || !absent || standInId === absentId || absent.kind !== 'member') return 'sessions.standInInvalid';
  if (standIn.kind !== 'deputy') return 'sessions.standInNotDeputy';
  if (absent.votingRight === 'voting' && standIn.votingRight !== 'voting') return 'sessions.standInAdvisory';
  if (absent.deputyId && absent.deputyId !== standInId) return 'sessions.standInNotOwnDeputy';
  return null;
}

/**
 * Who holds a vote: present voting members, and deputies standing in (as `standInRefusal` allows) for
 * an absent voting member. Advisory members never vote; a deputy standing in for an advisory member
 * does not gain a vote, and nobody holds two votes. `presence` is who is present at that moment.
 */
export function votersPresent(seats: readonly Seat[], presence: readonly Presence[]): Set<string> {
  const seat = new Map(seats.map((s) => [s.memberId, s]));
  const present = new Set(presence.map((p) => p.memberId));
  const voters = new Set<string>();
  for (const p of presence) {
    const own = seat.get(p.memberId);
    const absent = p.standsInFor ? seat.get(p.standsInFor) : undefined;
    const standsIn = !!p.standsInFor && absent?.votingRight === 'voting' && !present.has(p.standsInFor) && standInRefusal(seats, p.memberId, p.standsInFor) === null;
    // A voting member keeps their own vote, also when wrongly recorded as standing in for someone.
    if (standsIn || (own?.votingRight === 'voting' && own.kind === 'member')) voters.add(p.memberId);
  }
  return voters;
}

/**
 * Who was present when an item was decided: those present at the close, and those who voted on it
 * and left before the close (they were present for their vote).
 */
export function presenceWhenDecided(current: readonly Presence[], everyone: readonly Presence[], voted: ReadonlySet<string>): Presence[] {
  const present = new Set(current.map((p) => p.memberId));
  return [...current, ...everyone.filter((p) => voted.has(p.memberId) && !present.has(p.memberId))].map((p) => ({ memberId: p.memberId, standsInFor: p.standsInFor }));
}

/** The voters on one item: those present with a vote, minus those with a conflict of interest. */
export function votersOnItem(voters: ReadonlySet<string>, conflicted: ReadonlySet<string>): Set<string> {
  return new Set([...voters].filter((id) => !conflicted.has(id)));
}

/** Quorate when more than half of the statutory number are present and not conflicted; exactly half is not. */
export function isQuorate(statutory: number, eligibleVoters: number): boolean {
  return statutory > 0 && eligibleVoters * 2 > statutory;
}

export interface Tally {
  yes: number;
  no: number;
  abstain: number;
}

export function tally(choices: readonly Choice[]): Tally {
  return {
    yes: choices.filter((c) => c === 'yes').length,
    no: choices.filter((c) => c === 'no').length,
    abstain: choices.filter((c) => c === 'abstain').length,
  };
}

/** Majority of yes over no; abstentions count for neither; a tie rejects. */
export function outcome(counts: Tally): 'approved' | 'rejected' {
  return counts.yes > counts.no ? 'approved' : 'rejected';
}

/** A secret ballot applies when at least a fifth of the voting members ask for it. */
export function secretBallotApplies(requests: number, statutory: number): boolean {
  return statutory > 0 && requests * 5 >= statutory;
}

/** How many requests make a secret ballot apply. */
export function secretBallotNeeded(statutory: number): number {
  return Math.max(1, Math.ceil(statutory / 5));
}

export interface VoteRecord {
  memberId: string;
  choice: Choice;
}

/**
 * What may be shown of an item's votes: who voted how in an open ballot once the item is closed;
 * otherwise only who has voted (while open) or only the counts (secret ballot).
 */
export function visibleVotes(votes: readonly VoteRecord[], options: { secret: boolean; closed: boolean }): { counts: Tally | null; voted: string[]; byMember: VoteRecord[] | null } {
  return {
    counts: options.closed ? tally(votes.map((v) => v.choice)) : null,
    voted: votes.map((v) => v.memberId),
    byMember: options.closed && !options.secret ? [...votes] : null,
  };
}
