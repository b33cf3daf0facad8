import { DeployError } from '../src/errors';
import { rollbackNow } from '../src/rollback';
import { runRollout } from '../src/rollout';
import { makeWorld, SimulatedCrash, T0 } from './support/fakes';
import { byPercentage, iso, POLL, RUN, STACK } from './support/runs';

describe('rollbackNow', () => {
  it('without a recorded rollout, deploys 0 % with the fallback on and writes no state', async () => {
    const world = makeWorld({ deployment: undefined });
    const outcome = await rollbackNow(world.deps, { stack: STACK });
    expect(outcome.result).toBe('rolled_back');
    expect(world.deployment.deployed()).toEqual([[0, false, true]]);
    expect(await world.store.load()).toBeUndefined();
  });

  it('marks a live rollout rolled back with a manual breach naming the live stage', async () => {
    const world = makeWorld({ traffic: byPercentage(100) });
    world.clock.crashOnSleep = 3;
    await expect(runRollout(world.deps, RUN)).rejects.toThrow(SimulatedCrash);

    const outcome = await rollbackNow(world.deps, { stack: STACK, reason: 'latency complaints' });

    expect(outcome.state?.status).toBe('rolled_back');
    expect(outcome.state?.breach).toEqual({
      kind: 'manual',
      at: iso(T0 + 2 * POLL),
      stageIndex: 0,
      percentage: 10,
      gates: [],
      message: 'latency complaints',
    });
    expect(outcome.state?.history.slice(-2).map((entry) => [entry.status, entry.note])).toEqual([
      ['rolling_back', 'rollback requested: latency complaints'],
      ['rolled_back', 'rolled back to 0 %'],
    ]);
  });

  it('retries failed deploys with the configured delay and throws after the last attempt', async () => {
    const world = makeWorld();
    world.deployment.alwaysFail = new DeployError('the deploy exited with code 1', 1);
    await expect(rollbackNow(world.deps, { stack: STACK, retry: { attempts: 3, delayMs: 45_000 } })).rejects.toThrow(DeployError);
    expect(world.deployment.requests).toHaveLength(3);
    expect(world.clock.sleeps).toEqual([45_000, 45_000]);
    expect(world.reporter.ofType('deploy_failed').map((event) => event.retryInMs)).toEqual([45_000, 45_000, undefined]);
  });

  it('with dryRun, only reports the command', async () => {
    const world = makeWorld();
    const outcome = await rollbackNow(world.deps, { stack: STACK, dryRun: true });
    expect(outcome.result).toBe('dry_run');
    expect(world.deployment.requests).toEqual([]);
    expect(world.reporter.ofType('dry_run')[0]?.command).toBe(
      'deploy executionApiPercentage=0 useApiGateway=false enableDirectInvokeFallback=true',
    );
  });
});
