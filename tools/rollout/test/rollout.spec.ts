import { DeployError, MetricsReadError, NotConfirmedError, PreconditionError } from '../src/errors';
import { rollbackNow } from '../src/rollback';
import { runRollout, type RunOptions } from '../src/rollout';
import { MemoryStateStore } from '../src/state';
import { HOUR, makeWorld, MINUTE, SimulatedCrash, T0, type Traffic } from './support/fakes';
import { byPercentage, iso, POLL, RUN, STACK } from './support/runs';

const DELAY = 3 * MINUTE;

describe('runRollout', () => {
  it('advances through 10 %, 50 % and 100 %, baking each stage for its time plus the metrics delay', async () => {
    const world = makeWorld({ traffic: byPercentage(100) });

    const outcome = await runRollout(world.deps, RUN);

    expect(outcome.result).toBe('completed');
    expect(world.deployment.deployed()).toEqual([
      [10, false, true],
      [50, false, true],
      [100, false, true],
    ]);
    expect(world.clock.time - T0).toBe(HOUR + DELAY + HOUR + DELAY + 24 * HOUR + DELAY);
    expect(Math.max(...world.clock.sleeps)).toBeLessThanOrEqual(POLL);
    const state = await world.store.load();
    expect(state?.status).toBe('completed');
    expect(state?.completedStages.map((stage) => [stage.percentage, stage.bakeStartedAt, stage.evaluatedAt])).toEqual([
      [10, iso(T0), iso(T0 + HOUR + DELAY)],
      [50, iso(T0 + HOUR + DELAY), iso(T0 + 2 * (HOUR + DELAY))],
      [100, iso(T0 + 2 * (HOUR + DELAY)), iso(T0 + 3 * (HOUR + DELAY) + 23 * HOUR)],
    ]);
    expect(state?.completedStages.every((stage) => stage.gates.every((gate) => gate.status === 'pass'))).toBe(true);
    // At 100 % the direct path is idle: the p95 gate compares with the baseline measured before the run.
    expect(state?.baseline).toEqual({
      directP95Ms: 200,
      samples: 100 * 24 * 60,
      window: { start: iso(T0 - 24 * HOUR), end: iso(T0) },
    });
    expect(state?.completedStages[0]?.gates.find((gate) => gate.id === 'p95_ratio')?.reference).toBe('live');
    expect(state?.completedStages[2]?.gates.find((gate) => gate.id === 'p95_ratio')?.reference).toBe('baseline');
    expect(state?.history.map((entry) => `${entry.status}@${entry.stageIndex}: ${entry.note}`)).toEqual([
      'deploying@0: run started',
      'baking@0: stage 1/3 (10 %) deployed; bake started',
      'deploying@1: stage 1/3 (10 %) passed',
      'baking@1: stage 2/3 (50 %) deployed; bake started',
      'deploying@2: stage 2/3 (50 %) passed',
      'baking@2: stage 3/3 (100 %) deployed; bake started',
      'completed@2: stage 3/3 (100 %) passed; rollout completed',
    ]);
    expect(world.reporter.ofType('completed')).toEqual([{ type: 'completed', stages: 3 }]);
    expect(world.questions).toEqual([
      'Start rolling out SlackBedrockStack through 10:1h,50:1h,100:24h (currently 0 % via the API)?',
    ]);
  });

  it('records the deployed share and the hand-offs by path of each stage, and reports the timeline after each stage', async () => {
    const world = makeWorld({ traffic: byPercentage(100) });
    const { state } = await runRollout(world.deps, RUN);

    // 100 hand-offs a minute over each stage's bake plus the metrics delay, split by the deployed percentage.
    expect(state?.completedStages.map((stage) => [stage.deployedPercentage, stage.handoffs])).toEqual([
      [10, { api: 630, direct: 5670 }],
      [50, { api: 3150, direct: 3150 }],
      [100, { api: 144_300, direct: 0 }],
    ]);
    const timelines = world.reporter.ofType('timeline').map((event) => event.rows.map((row) => `${row.percentage}% ${row.outcome}`));
    expect(timelines).toEqual([['10% passed'], ['10% passed', '50% passed'], ['10% passed', '50% passed', '100% passed']]);
  });

  it('reports a progress line per poll with the time left in the bake and the live gate values', async () => {
    const world = makeWorld({ traffic: byPercentage(100) });
    await runRollout(world.deps, { ...RUN, overrides: { stages: [{ percentage: 10, bakeMs: 15 * MINUTE }] } });

    const progress = world.reporter.ofType('bake_progress');
    expect(progress.map((event) => [event.phase, event.remainingMs])).toEqual([
      ['baking', 15 * MINUTE],
      ['baking', 10 * MINUTE],
      ['baking', 5 * MINUTE],
      ['settling', 3 * MINUTE],
      ['evaluating', 0],
    ]);
    const last = progress.at(-1);
    expect(last?.window).toEqual({ start: iso(T0), end: iso(T0 + 18 * MINUTE) });
    expect(last?.gates.map((gate) => [gate.id, gate.status, gate.numerator, gate.denominator])).toEqual([
      ['auth_errors', 'pass', 0, 180],
      ['api_5xx_rate', 'pass', 0, 180],
      ['fallback_rate', 'pass', 0, 180],
      ['p95_ratio', 'pass', 200, 200],
    ]);
  });

  it('deploys nothing and writes no state when the operator declines', async () => {
    const world = makeWorld({ confirm: false });
    await expect(runRollout(world.deps, RUN)).rejects.toThrow(NotConfirmedError);
    expect(world.deployment.requests).toEqual([]);
    expect(await world.store.load()).toBeUndefined();
  });

  it('with dryRun, reports the deploy commands and bakes without deploying, writing or waiting', async () => {
    const world = makeWorld();
    const outcome = await runRollout(world.deps, { ...RUN, dryRun: true });

    expect(outcome.result).toBe('dry_run');
    expect(world.deployment.requests).toEqual([]);
    expect(world.clock.sleeps).toEqual([]);
    expect(await world.store.load()).toBeUndefined();
    expect(world.reporter.ofType('dry_run').map((event) => event.command ?? event.action)).toEqual([
      'deploy executionApiPercentage=10 useApiGateway=false enableDirectInvokeFallback=true',
      'bake stage 1/3 (10 %) for 1h, then evaluate the gates (a breach deploys 0 %)',
      'deploy executionApiPercentage=50 useApiGateway=false enableDirectInvokeFallback=true',
      'bake stage 2/3 (50 %) for 1h, then evaluate the gates (a breach deploys 0 %)',
      'deploy executionApiPercentage=100 useApiGateway=false enableDirectInvokeFallback=true',
      'bake stage 3/3 (100 %) for 24h, then evaluate the gates (a breach deploys 0 %)',
    ]);
  });

  describe('breach', () => {
    it('rolls back to 0 % with the fallback on, and records which gate failed with its numbers', async () => {
      // 50 %: 500 API requests a minute, 1 of them a 5XX: 0.2 % > 0.1 %.
      const world = makeWorld({ traffic: byPercentage(1000, { 50: { api5xxPerMinute: 1 } }) });

      const outcome = await runRollout(world.deps, RUN);

      expect(outcome.result).toBe('rolled_back');
      expect(world.deployment.deployed()).toEqual([
        [10, false, true],
        [50, false, true],
        [0, false, true],
      ]);
      const state = await world.store.load();
      expect(state?.status).toBe('rolled_back');
      expect(state?.breach).toMatchObject({ kind: 'gate', stageIndex: 1, percentage: 50 });
      expect(state?.breach?.gates.map((gate) => [gate.id, gate.numerator, gate.denominator, gate.value])).toEqual([
        ['api_5xx_rate', 5, 2500, 0.002],
      ]);
      expect(state?.breach?.message).toBe('stage 2/3 (50 %): 5XX rate 0.2% (5 of 2500 requests) > 0.1%');
      expect(world.deployment.requests.at(-1)?.reason).toBe(`rollback: ${state?.breach?.message}`);
      expect(world.reporter.ofType('rolled_back')).toHaveLength(1);
      const timeline = world.reporter.ofType('timeline').at(-1)?.rows;
      expect(timeline?.map((row) => [row.percentage, row.deployedPercentage, row.outcome, row.reason])).toEqual([
        [10, 10, 'passed', undefined],
        [50, 50, 'breach', undefined],
        [0, undefined, 'rolled back', 'stage 2/3 (50 %): 5XX rate 0.2% (5 of 2500 requests) > 0.1%'],
      ]);
      expect(timeline?.[1]?.gates.find((gate) => gate.id === 'api_5xx_rate')?.status).toBe('fail');
    });

    it('rolls back at the first poll that shows the breach, without waiting for the end of the bake', async () => {
      const world = makeWorld({ traffic: byPercentage(1000, { 10: { fallbacksPerMinute: 1 } }) });
      await runRollout(world.deps, RUN);
      // 100 API hand-offs a minute, 1 fallback: 1 % > 0.1 %, visible at the first poll, 5 minutes in.
      expect(world.clock.time - T0).toBe(POLL);
      expect((await world.store.load())?.breach?.gates.map((gate) => gate.id)).toEqual(['fallback_rate']);
    });

    it('with earlyAbort off, judges the breach only at the end of the bake', async () => {
      const world = makeWorld({ traffic: byPercentage(1000, { 10: { fallbacksPerMinute: 1 } }) });
      await runRollout(world.deps, { ...RUN, overrides: { earlyAbort: false } });
      expect(world.clock.time - T0).toBe(HOUR + DELAY);
      expect(world.deployment.deployed().map(([percentage]) => percentage)).toEqual([10, 0]);
    });

    it('retries a failed rollback deploy, and leaves rolling_back for the next command when every attempt fails', async () => {
      const world = makeWorld({ traffic: byPercentage(1000, { 10: { authErrorsPerMinute: 1 } }) });
      world.deployment.failures.set(2, new Error('UPDATE_IN_PROGRESS'));
      world.deployment.failures.set(3, new Error('UPDATE_IN_PROGRESS'));
      world.deployment.failures.set(4, new Error('UPDATE_IN_PROGRESS'));

      await expect(runRollout(world.deps, RUN)).rejects.toThrow('UPDATE_IN_PROGRESS');
      expect(world.clock.sleeps.slice(-2)).toEqual([MINUTE, MINUTE]);
      expect((await world.store.load())?.status).toBe('rolling_back');

      const outcome = await runRollout(world.deps, RUN);
      expect(outcome.result).toBe('rolled_back');
      expect(world.deployment.deployed().map(([percentage]) => percentage)).toEqual([10, 0, 0, 0, 0]);
      expect((await world.store.load())?.breach?.gates.map((gate) => gate.id)).toEqual(['auth_errors']);
    });
  });

  describe('CloudWatch failures during a bake', () => {
    it('retries at the next poll and carries on', async () => {
      const world = makeWorld({ traffic: byPercentage(100) });
      const read = world.metrics.read.bind(world.metrics);
      let failures = 2;
      world.deps = {
        ...world.deps,
        metrics: {
          read: async (window) => {
            // The baseline read succeeds; the first two bake reads fail.
            if (world.metrics.reads.length >= 1 && failures > 0) {
              failures -= 1;
              throw new MetricsReadError('CloudWatch GetMetricData failed: ThrottlingException: Rate exceeded');
            }
            return read(window);
          },
        },
      };
      const outcome = await runRollout(world.deps, { ...RUN, overrides: { stages: [{ percentage: 10, bakeMs: HOUR }] } });
      expect(outcome.result).toBe('completed');
      expect(world.reporter.ofType('warning').map((event) => event.message)).toEqual([
        'MetricsReadError: CloudWatch GetMetricData failed: ThrottlingException: Rate exceeded; trying again in 5m (1 of 4 retries)',
        'MetricsReadError: CloudWatch GetMetricData failed: ThrottlingException: Rate exceeded; trying again in 5m (2 of 4 retries)',
      ]);
    });

    it('gives up after five failed reads in a row, leaving the stage to resume', async () => {
      const world = makeWorld({ traffic: byPercentage(100) });
      const read = world.metrics.read.bind(world.metrics);
      let reads = 0;
      world.deps = {
        ...world.deps,
        metrics: {
          read: async (window) => {
            reads += 1;
            if (reads > 1) throw new MetricsReadError('CloudWatch GetMetricData failed: AccessDenied');
            return read(window);
          },
        },
      };
      await expect(runRollout(world.deps, RUN)).rejects.toThrow(MetricsReadError);
      expect(reads).toBe(6);
      expect(await world.store.load()).toMatchObject({ status: 'baking', stageIndex: 0 });
    });
  });

  describe('every gate at its boundary', () => {
    const single: RunOptions = { ...RUN, overrides: { stages: [{ percentage: 10, bakeMs: HOUR }] } };
    // 10 % of 10 000 a minute: 1000 API hand-offs and requests a minute, 9000 direct.
    const cases: Array<[string, Partial<Traffic>, 'completed' | 'rolled_back']> = [
      ['auth 4XX = 0 passes', { authErrorsPerMinute: 0 }, 'completed'],
      ['auth 4XX > 0 fails', { authErrorsPerMinute: 0.05 }, 'rolled_back'],
      ['5XX rate = 0.1 % passes', { api5xxPerMinute: 1 }, 'completed'],
      ['5XX rate > 0.1 % fails', { api5xxPerMinute: 1.01 }, 'rolled_back'],
      ['fallback rate = 0.1 % passes', { fallbacksPerMinute: 1 }, 'completed'],
      ['fallback rate > 0.1 % fails', { fallbacksPerMinute: 1.01 }, 'rolled_back'],
      ['p95 = 1.05 × direct passes', { apiP95Ms: 210, directP95Ms: 200 }, 'completed'],
      ['p95 > 1.05 × direct fails', { apiP95Ms: 210.1, directP95Ms: 200 }, 'rolled_back'],
    ];
    it.each(cases)('%s', async (_name, fault, expected) => {
      const world = makeWorld({ traffic: byPercentage(10_000, { 10: fault }) });
      const outcome = await runRollout(world.deps, single);
      expect(outcome.result).toBe(expected);
      expect(world.deployment.deployed().map(([percentage]) => percentage)).toEqual(expected === 'completed' ? [10] : [10, 0]);
    });
  });

  describe('too few samples', () => {
    it('extends the wait after the bake, then holds without deploying anything else', async () => {
      // 1 hand-off a minute, 10 % through the API: 6 an hour, 12 after the extension, fewer than 20.
      const world = makeWorld({ traffic: byPercentage(1) });

      const outcome = await runRollout(world.deps, RUN);

      expect(outcome.result).toBe('held');
      expect(world.clock.time - T0).toBe(HOUR + DELAY + HOUR);
      expect(world.deployment.deployed().map(([percentage]) => percentage)).toEqual([10]);
      const state = await world.store.load();
      expect(state?.status).toBe('held');
      expect(state?.history.at(-1)?.note).toBe(
        'stage 1/3 (10 %): too few samples after the bake and 1h more ' +
          '(auth 4XX 12.3/20, 5XX rate 12.3/20, fallback rate 12.3/20, p95 api/direct 12.3/20); ' +
          'the stage stays deployed; run again to keep waiting, or rollback',
      );
    });

    it('resumes a held stage: keeps waiting, then advances once the samples are there', async () => {
      let total = 1;
      const store = new MemoryStateStore();
      const first = makeWorld({ store, traffic: (window, deployment) => byPercentage(total)(window, deployment) });
      await runRollout(first.deps, RUN);

      total = 100;
      const second = makeWorld({ store, deployment: first.deployment, time: first.clock.time + HOUR, traffic: byPercentage(100) });
      const outcome = await runRollout(second.deps, RUN);

      expect(outcome.result).toBe('completed');
      expect(second.deployment.deployed().map(([percentage]) => percentage)).toEqual([10, 50, 100]);
      const history = (await store.load())?.history.map((entry) => entry.note) ?? [];
      expect(history).toContain('stage 1/3 (10 %) resumed from held; waiting for samples');
    });
  });

  describe('resume', () => {
    it('after a crash mid-bake, continues the same stage with the remaining bake time and no new deploy', async () => {
      const store = new MemoryStateStore();
      const first = makeWorld({ store, traffic: byPercentage(100) });
      first.clock.crashOnSleep = 4; // dies 15 minutes into the 10 % bake
      await expect(runRollout(first.deps, RUN)).rejects.toThrow(SimulatedCrash);
      expect((await store.load())?.status).toBe('baking');

      // Restarted 10 minutes later.
      const second = makeWorld({ store, deployment: first.deployment, time: first.clock.time + 10 * MINUTE, traffic: byPercentage(100) });
      const outcome = await runRollout(second.deps, RUN);

      expect(outcome.result).toBe('completed');
      expect(second.deployment.deployed().map(([percentage]) => percentage)).toEqual([10, 50, 100]);
      expect(second.reporter.ofType('bake_progress')[0]).toMatchObject({ stageIndex: 0, phase: 'baking', remainingMs: 35 * MINUTE });
      const state = await store.load();
      expect(state?.completedStages[0]).toMatchObject({ bakeStartedAt: iso(T0), evaluatedAt: iso(T0 + HOUR + DELAY) });
      expect(second.reporter.ofType('run_started')[0]).toMatchObject({ resumed: true, status: 'baking', stageIndex: 0 });
      expect(second.questions).toEqual(['Resume the rollout of SlackBedrockStack at stage 1 of 3 (baking)?']);
    });

    it('after a crash during a deploy, deploys the same stage again', async () => {
      const store = new MemoryStateStore();
      const first = makeWorld({ store, traffic: byPercentage(100) });
      first.deployment.failures.set(2, new SimulatedCrash());
      await expect(runRollout(first.deps, RUN)).rejects.toThrow(SimulatedCrash);
      expect((await store.load())).toMatchObject({ status: 'deploying', stageIndex: 1 });

      const second = makeWorld({ store, deployment: first.deployment, time: first.clock.time, traffic: byPercentage(100) });
      await runRollout(second.deps, RUN);
      expect(second.deployment.deployed().map(([percentage]) => percentage)).toEqual([10, 50, 50, 100]);
    });

    it('stops on a failed stage deploy and leaves the stage to deploy again', async () => {
      const world = makeWorld({ traffic: byPercentage(100) });
      world.deployment.failures.set(1, new DeployError('the deploy exited with code 1', 1));
      await expect(runRollout(world.deps, RUN)).rejects.toThrow(DeployError);
      expect(await world.store.load()).toMatchObject({ status: 'deploying', stageIndex: 0 });
    });

    it('refuses to resume when the stack was changed outside the tool', async () => {
      const store = new MemoryStateStore();
      const first = makeWorld({ store, traffic: byPercentage(100) });
      first.clock.crashOnSleep = 2;
      await expect(runRollout(first.deps, RUN)).rejects.toThrow(SimulatedCrash);
      first.deployment.env.USE_API_GATEWAY_PERCENTAGE = '0';

      const second = makeWorld({ store, deployment: first.deployment, time: first.clock.time });
      await expect(runRollout(second.deps, RUN)).rejects.toThrow(
        'the stack sends 0 % through the API but the state says stage 1 (10 %) is live: it was changed outside this tool. Run rollback, then run --restart',
      );
      expect(second.deployment.requests).toHaveLength(1);
    });

    it('refuses plan flags that differ from the stored plan, and takes them with restart', async () => {
      const store = new MemoryStateStore();
      const first = makeWorld({ store, traffic: byPercentage(100) });
      first.clock.crashOnSleep = 2;
      const custom = { stages: [{ percentage: 25, bakeMs: HOUR }, { percentage: 100, bakeMs: 2 * HOUR }] };
      await expect(runRollout(first.deps, { ...RUN, overrides: custom })).rejects.toThrow(SimulatedCrash);

      const second = makeWorld({ store, deployment: first.deployment, time: first.clock.time, traffic: byPercentage(100) });
      await expect(runRollout(second.deps, { ...RUN, overrides: { gates: { minSamples: 50 } } })).rejects.toThrow(
        'the run in progress follows another plan (gates.minSamples: 20 → 50); drop those flags to resume it, or pass --restart',
      );
      // The same flags as stored are fine.
      second.clock.crashOnSleep = 1;
      await expect(runRollout(second.deps, { ...RUN, overrides: custom })).rejects.toThrow(SimulatedCrash);

      const third = makeWorld({ store, deployment: first.deployment, time: second.clock.time, traffic: byPercentage(100) });
      const outcome = await runRollout(third.deps, { ...RUN, restart: true, overrides: { gates: { minSamples: 50 } } });
      expect(outcome.result).toBe('completed');
      expect(outcome.state?.plan.gates.minSamples).toBe(50);
      expect(outcome.state?.plan.stages.map((stage) => stage.percentage)).toEqual([25, 100]);
      // 25 % from the first run, then the restarted run from its first stage.
      expect(third.deployment.deployed().map(([percentage]) => percentage)).toEqual([25, 25, 100]);
    });

    it('after a rollback, refuses to run again without restart', async () => {
      const world = makeWorld({ traffic: byPercentage(1000, { 10: { api5xxPerMinute: 5 } }) });
      await runRollout(world.deps, RUN);
      await expect(runRollout(world.deps, RUN)).rejects.toThrow(PreconditionError);
      await expect(runRollout(world.deps, RUN)).rejects.toThrow(
        'the rollout of SlackBedrockStack was rolled back (stage 1/3 (10 %): 5XX rate 5% (25 of 500 requests) > 0.1%); ' +
          'fix the cause, then pass --restart to start again at the first stage',
      );

      const before = (await world.store.load())?.revision ?? 0;
      const healthy = makeWorld({ store: world.store, deployment: world.deployment, time: world.clock.time, traffic: byPercentage(100) });
      const outcome = await runRollout(healthy.deps, { ...RUN, restart: true });
      expect(outcome.result).toBe('completed');
      expect(outcome.state?.revision).toBeGreaterThan(before);
      expect(outcome.state?.history[0]?.note).toMatch(/^run restarted \(previous run .+, rolled_back\)$/);
    });

    it('does nothing more once completed', async () => {
      const world = makeWorld({ traffic: byPercentage(100) });
      await runRollout(world.deps, RUN);
      const outcome = await runRollout(world.deps, RUN);
      expect(outcome.result).toBe('nothing_to_do');
      expect(world.deployment.requests).toHaveLength(3);
    });

    it('stops when another command rolls back during the bake, without deploying again', async () => {
      const world = makeWorld({ traffic: byPercentage(100) });
      const operator = makeWorld({ store: world.store, deployment: world.deployment });
      world.clock.onSleep = async (now) => {
        if (now === T0 + 2 * POLL) {
          operator.clock.time = now;
          await rollbackNow(operator.deps, { stack: STACK, reason: 'pager went off' });
        }
      };

      const outcome = await runRollout(world.deps, RUN);

      expect(outcome.result).toBe('rolled_back');
      expect(world.deployment.deployed().map(([percentage]) => percentage)).toEqual([10, 0]);
      expect(outcome.state?.breach).toMatchObject({ kind: 'manual', stageIndex: 0, percentage: 10, message: 'pager went off' });
      expect(world.reporter.ofType('info').map((event) => event.message)).toEqual([
        'another command rolled the stack back; this run stops',
      ]);
    });

    it('refuses a state file of another stack', async () => {
      const world = makeWorld({ traffic: byPercentage(100) });
      world.clock.crashOnSleep = 1;
      await expect(runRollout(world.deps, RUN)).rejects.toThrow(SimulatedCrash);
      await expect(runRollout(world.deps, { ...RUN, stack: 'OtherStack' })).rejects.toThrow(
        'state file memory: belongs to stack SlackBedrockStack, not OtherStack; pass --state-file for another file',
      );
    });
  });
});
