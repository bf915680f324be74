/**
 * The council rules of the round table (GO NRW as applied to it), as pure functions over plain data:
 * who may vote on an item, quorum, the result of a vote, and the secret ballot.
 */

export interface Seat {
  memberId: string;
  votingRight: 'voting' | 'advisory';
  kind: 'member' | 'deputy';
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
 * Who holds a vote in the session: present voting members, and deputies standing in for an absent
 * voting member. Advisory members never vote; a deputy standing in for an advisory member does not
 * gain a vote, and nobody holds two votes.
 */
export function votersPresent(seats: readonly Seat[], presence: readonly Presence[]): Set<string> {
  const seat = new Map(seats.map((s) => [s.memberId, s]));
  const present = new Set(presence.map((p) => p.memberId));
  const voters = new Set<string>();
  for (const p of presence) {
    const own = seat.get(p.memberId);
    if (p.standsInFor) {
      const absent = seat.get(p.standsInFor);
      if (absent?.votingRight === 'voting' && absent.kind === 'member' && !present.has(p.standsInFor)) voters.add(p.memberId);
    } else if (own?.votingRight === 'voting' && own.kind === 'member') {
      voters.add(p.memberId);
    }
  }
  return voters;
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
