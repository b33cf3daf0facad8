import { ActivityTracker, IdleTimeoutError } from '../../src/activity';

describe('ActivityTracker', () => {
  it('resolves at once when nothing is in flight', async () => {
    await expect(new ActivityTracker().whenIdle(1000)).resolves.toBeUndefined();
  });

  it('waits for work that starts while it waits, right after other work ends', async () => {
    const activity = new ActivityTracker();
    const order: string[] = [];
    const endFirst = activity.begin('first');
    const idle = activity.whenIdle(5000).then(() => order.push('idle'));
    endFirst();
    // Work handed on in the next turn (a retry, a request sent from a Lambda) keeps the stack busy.
    const endSecond = activity.begin('second');
    setImmediate(() => {
      order.push('second done');
      endSecond();
    });
    await idle;
    expect(order).toEqual(['second done', 'idle']);
  });

  it('names what is still running when the bound is reached', async () => {
    const activity = new ActivityTracker();
    activity.begin('stuck request');
    await expect(activity.whenIdle(20)).rejects.toEqual(new IdleTimeoutError(20, ['stuck request']));
  });

  it('ignores a second end of the same work', async () => {
    const activity = new ActivityTracker();
    const end = activity.begin('a');
    activity.begin('b');
    end();
    end();
    expect(activity.pending()).toEqual(['b']);
  });
});
