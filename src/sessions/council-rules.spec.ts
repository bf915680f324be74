import { describe, expect, it } from '@jest/globals';
import { isQuorate, outcome, presenceWhenDecided, secretBallotApplies, secretBallotNeeded, standInRefusal, statutoryNumber, tally, visibleVotes, votersOnItem, votersPresent, type Seat } from './council-rules.js';

const seats: Seat[] = [
  ...['v1', 'v2', 'v3', 'v4', 'v5'].map((memberId) => ({ memberId, votingRight: 'voting' as const, kind: 'member' as const })),
  // v6 has a personal deputy, d1; d2 is a deputy without a member of their own; ad1 an advisory deputy.
  { memberId: 'v6', votingRight: 'voting', kind: 'member', deputyId: 'd1' },
  { memberId: 'd1', votingRight: 'voting', kind: 'deputy' },
  { memberId: 'd2', votingRight: 'voting', kind: 'deputy' },
  { memberId: 'a1', votingRight: 'advisory', kind: 'member' },
  { memberId: 'ad1', votingRight: 'advisory', kind: 'deputy' },
];

describe('quorum', () => {
  it('needs more than half of the statutory number: exactly half is not quorate', () => {
    expect(statutoryNumber(seats)).toBe(6);
    expect(isQuorate(6, 3)).toBe(false);
    expect(isQuorate(6, 4)).toBe(true);
    expect(isQuorate(7, 4)).toBe(true);
    expect(isQuorate(7, 3)).toBe(false);
    expect(isQuorate(0, 0)).toBe(false);
  });

  it('a conflicted member neither votes nor counts towards the quorum', () => {
    const voters = votersPresent(seats, [{ memberId: 'v1', standsInFor: null }, { memberId: 'v2', standsInFor: null }, { memberId: 'v3', standsInFor: null }, { memberId: 'v4', standsInFor: null }]);
    expect(isQuorate(6, voters.size)).toBe(true);
    const onItem = votersOnItem(voters, new Set(['v4']));
    expect(onItem.has('v4')).toBe(false);
    expect(isQuorate(6, onItem.size)).toBe(false);
  });

  it('a deputy standing in for an absent voting member counts and votes', () => {
    const voters = votersPresent(seats, [
      { memberId: 'v1', standsInFor: null }, { memberId: 'v2', standsInFor: null }, { memberId: 'v3', standsInFor: null },
      { memberId: 'd1', standsInFor: 'v6' },
    ]);
    expect([...voters].sort()).toEqual(['d1', 'v1', 'v2', 'v3']);
    expect(isQuorate(6, voters.size)).toBe(true);
  });

  it('only a deputy stands in, for a member whose own deputy they are where one is named; an advisory member never stands in for a voting one', () => {
    expect(standInRefusal(seats, 'a1', 'v5')).toBe('sessions.standInNotDeputy');
    expect(standInRefusal(seats, 'v1', 'v5')).toBe('sessions.standInNotDeputy');
    expect(standInRefusal(seats, 'ad1', 'v5')).toBe('sessions.standInAdvisory');
    expect(standInRefusal(seats, 'd2', 'v6')).toBe('sessions.standInNotOwnDeputy');
    expect(standInRefusal(seats, 'd1', 'd2')).toBe('sessions.standInInvalid');
    expect(standInRefusal(seats, 'd1', 'v6')).toBeNull();
    expect(standInRefusal(seats, 'd2', 'v5')).toBeNull();
    expect(standInRefusal(seats, 'ad1', 'a1')).toBeNull();
  });

  it('whoever is recorded as standing in against the rules gains no vote and does not count for the quorum', () => {
    const base = [{ memberId: 'v1', standsInFor: null }, { memberId: 'v2', standsInFor: null }, { memberId: 'v3', standsInFor: null }];
    for (const wrong of [{ memberId: 'a1', standsInFor: 'v5' }, { memberId: 'v4', standsInFor: 'v5' }, { memberId: 'ad1', standsInFor: 'v5' }, { memberId: 'd2', standsInFor: 'v6' }]) {
      const voters = votersPresent(seats, [...base, wrong]);
      expect([...voters].sort()).toEqual(wrong.memberId === 'v4' ? ['v1', 'v2', 'v3', 'v4'] : ['v1', 'v2', 'v3']);
    }
    expect(isQuorate(6, votersPresent(seats, [...base, { memberId: 'a1', standsInFor: 'v5' }]).size)).toBe(false);
    expect([...votersPresent(seats, [...base, { memberId: 'd2', standsInFor: 'v5' }])].sort()).toEqual(['d2', 'v1', 'v2', 'v3']);
  });

  it('presence for an item is who is present when it is decided, with those who voted and left before', () => {
    const everyone = [{ memberId: 'v1', standsInFor: null }, { memberId: 'v2', standsInFor: null }, { memberId: 'd1', standsInFor: 'v6' }, { memberId: 'v3', standsInFor: null }];
    const current = [{ memberId: 'v1', standsInFor: null }];
    expect(presenceWhenDecided(current, everyone, new Set(['d1'])).map((p) => p.memberId)).toEqual(['v1', 'd1']);
    expect(votersPresent(seats, presenceWhenDecided(current, everyone, new Set(['d1']))).size).toBe(2);
  });

  it('a deputy gains no vote for a member who is present, and advisory members never vote', () => {
    const voters = votersPresent(seats, [{ memberId: 'v1', standsInFor: null }, { memberId: 'd1', standsInFor: 'v1' }, { memberId: 'a1', standsInFor: null }]);
    expect([...voters]).toEqual(['v1']);
  });
});

describe('the vote', () => {
  it('majority of yes over no; a tie rejects', () => {
    expect(outcome(tally(['yes', 'yes', 'no']))).toBe('approved');
    expect(outcome(tally(['yes', 'no']))).toBe('rejected');
    expect(outcome(tally([]))).toBe('rejected');
  });

  it('abstentions count neither as yes nor as no', () => {
    const counts = tally(['yes', 'abstain', 'abstain', 'abstain', 'no', 'yes']);
    expect(counts).toEqual({ yes: 2, no: 1, abstain: 3 });
    expect(outcome(counts)).toBe('approved');
    expect(outcome(tally(['abstain', 'abstain', 'no']))).toBe('rejected');
  });

  it('a secret ballot applies when a fifth of the voting members ask for it', () => {
    expect(secretBallotApplies(3, 18)).toBe(false);
    expect(secretBallotApplies(4, 18)).toBe(true);
    expect(secretBallotApplies(2, 10)).toBe(true);
    expect(secretBallotNeeded(18)).toBe(4);
    expect(secretBallotNeeded(10)).toBe(2);
    expect(secretBallotApplies(secretBallotNeeded(18) - 1, 18)).toBe(false);
  });

  it('a secret ballot hides who voted how, also after the item is closed; an open one shows it only once closed', () => {
    const votes = [{ memberId: 'v1', choice: 'yes' as const }, { memberId: 'v2', choice: 'no' as const }, { memberId: 'v3', choice: 'yes' as const }];
    const secret = visibleVotes(votes, { secret: true, closed: true });
    expect(secret.byMember).toBeNull();
    expect(secret.counts).toEqual({ yes: 2, no: 1, abstain: 0 });
    const running = visibleVotes(votes, { secret: false, closed: false });
    expect(running.counts).toBeNull();
    expect(running.byMember).toBeNull();
    expect(running.voted).toEqual(['v1', 'v2', 'v3']);
    expect(visibleVotes(votes, { secret: false, closed: true }).byMember).toEqual(votes);
  });
});
