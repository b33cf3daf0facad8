import { checkAllowList } from '../src/allow-list';

const ids = { teamId: 'T1', userId: 'U1', channel: 'C1' };
const none = { teamIds: undefined, userIds: undefined, channelIds: undefined };

describe('checkAllowList', () => {
  it('does not restrict when no list is set', () => {
    expect(checkAllowList(none, ids)).toEqual({ allowed: true });
  });

  it('allows a request whose ids are on every list that is set', () => {
    expect(checkAllowList({ teamIds: new Set(['T1', 'T2']), userIds: new Set(['U1']), channelIds: undefined }, ids)).toEqual({ allowed: true });
  });

  it.each([
    ['team', { ...none, teamIds: new Set(['T9']) }],
    ['user', { ...none, userIds: new Set(['U9']) }],
    ['channel', { ...none, channelIds: new Set(['C9']) }],
  ] as const)('denies on the %s list', (dimension, allowList) => {
    expect(checkAllowList(allowList, ids)).toEqual({ allowed: false, dimension });
  });

  it('reports the team before the user and the channel', () => {
    expect(checkAllowList({ teamIds: new Set(['T9']), userIds: new Set(['U9']), channelIds: new Set(['C9']) }, ids)).toEqual({
      allowed: false,
      dimension: 'team',
    });
  });
});
