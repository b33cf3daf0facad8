import { blockOrder } from '../src/stack/run-streaming';
import { seededRandom } from '../src/stats/random';

describe('blockOrder', () => {
  it('pairs one block of each mode, so that both modes get the same number of blocks in every prefix of pairs', () => {
    const random = seededRandom(7);
    const order = blockOrder(6, () => random() < 0.5);
    expect(order).toHaveLength(12);
    for (let pair = 0; pair < 6; pair += 1) {
      expect(new Set(order.slice(pair * 2, pair * 2 + 2))).toEqual(new Set(['stream', 'post']));
    }
  });

  it('starts a pair with the mode already configured when the coin says so (fewer reconfigurations)', () => {
    expect(blockOrder(3, () => true)).toEqual(['stream', 'post', 'post', 'stream', 'stream', 'post']);
    expect(blockOrder(2, () => false)).toEqual(['post', 'stream', 'post', 'stream']);
  });
});
