import { DeployError } from '../src/errors';
import { cleanupRollout } from '../src/cleanup';
import { runRollout } from '../src/rollout';
import { HOUR, makeWorld, SimulatedCrash } from './support/fakes';
import { byPercentage, RUN, STACK } from './support/runs';

describe('cleanupRollout', () => {
  async function completedWorld(stages = [{ percentage: 10, bakeMs: HOUR }, { percentage: 100, bakeMs: HOUR }]) {
    const world = makeWorld({ traffic: byPercentage(100) });
    await runRollout(world.deps, { ...RUN, overrides: { stages } });
    return world;
  }

  it('is refused before 100 % has baked', async () => {
    const world = makeWorld({ traffic: byPercentage(100) });
    world.clock.crashOnSleep = 20; // during the 100 % bake of a 10:1h,100:1h plan
    await expect(
      runRollout(world.deps, { ...RUN, overrides: { stages: [{ percentage: 10, bakeMs: HOUR }, { percentage: 100, bakeMs: HOUR }] } }),
    ).rejects.toThrow(SimulatedCrash);
    expect(world.deployment.routing.percentage).toBe(100);

    await expect(cleanupRollout(world.deps, { stack: STACK })).rejects.toThrow(
      'cleanup is allowed only after 100 % has baked with all gates green; the rollout is baking at stage 2/2 (100 %)',
    );
    expect(world.deployment.requests).toHaveLength(2);
  });

  it('is refused without a recorded rollout', async () => {
    const world = makeWorld();
    await expect(cleanupRollout(world.deps, { stack: STACK })).rejects.toThrow(
      'no rollout recorded in memory; cleanup needs a completed run at 100 %',
    );
  });

  it('is refused when the completed plan ended below 100 %', async () => {
    const world = await completedWorld([{ percentage: 10, bakeMs: HOUR }, { percentage: 50, bakeMs: HOUR }]);
    await expect(cleanupRollout(world.deps, { stack: STACK })).rejects.toThrow(
      'cleanup needs a rollout that ends at 100 %; this plan ended at 50 %',
    );
  });

  it('is refused when the stack no longer runs 100 % through the API', async () => {
    const world = await completedWorld();
    world.deployment.env.USE_API_GATEWAY_PERCENTAGE = '50';
    await expect(cleanupRollout(world.deps, { stack: STACK })).rejects.toThrow(
      'the stack no longer sends 100 % through the API (50 %); cleanup refused',
    );
  });

  it('after 100 % baked green, deploys without the fallback and records cleaned_up', async () => {
    const world = await completedWorld();
    const outcome = await cleanupRollout(world.deps, { stack: STACK });
    expect(outcome.state?.status).toBe('cleaned_up');
    expect(world.deployment.deployed().at(-1)).toEqual([100, false, false]);
    expect(world.deployment.routing.fallbackEnabled).toBe(false);
    expect((await cleanupRollout(world.deps, { stack: STACK })).result).toBe('nothing_to_do');
  });

  it('with dryRun, checks the preconditions and reports the command only', async () => {
    const world = await completedWorld();
    const outcome = await cleanupRollout(world.deps, { stack: STACK, dryRun: true });
    expect(outcome.result).toBe('dry_run');
    expect(world.deployment.requests).toHaveLength(2);
    expect(world.reporter.ofType('dry_run')[0]?.command).toBe(
      'deploy executionApiPercentage=100 useApiGateway=false enableDirectInvokeFallback=false',
    );
  });

  it('finishes an interrupted cleanup', async () => {
    const world = await completedWorld();
    world.deployment.failures.set(3, new DeployError('the deploy exited with code 1', 1));
    await expect(cleanupRollout(world.deps, { stack: STACK })).rejects.toThrow(DeployError);
    expect((await world.store.load())?.status).toBe('cleaning_up');
    await expect(runRollout(world.deps, RUN)).rejects.toThrow('a cleanup was interrupted; run the cleanup command again to finish it');
    expect((await cleanupRollout(world.deps, { stack: STACK })).state?.status).toBe('cleaned_up');
  });
});
