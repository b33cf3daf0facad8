import { evaluateGates } from '../src/gates';
import { emptySnapshot, type MetricsSnapshot } from '../src/metrics';
import { DEFAULT_PLAN } from '../src/plan';
import { parseState, type RolloutState } from '../src/state';
import { buildTimeline, formatTimeline } from '../src/timeline';

const WINDOW = { start: new Date('2025-03-03T09:00:00.000Z'), end: new Date('2025-03-03T10:00:00.000Z') };
const BASELINE = { directP95Ms: 200, samples: 5000, window: { start: '2025-03-02T09:00:00.000Z', end: '2025-03-03T09:00:00.000Z' } };

/** A window with `api` API-path and `direct` direct hand-offs, `errors5xx` of the API's requests answered 5XX. */
function snapshot(api: number, direct: number, errors5xx = 0): MetricsSnapshot {
  const empty = emptySnapshot(WINDOW);
  return {
    ...empty,
    api: { ...empty.api, count: api, error5xx: errors5xx },
    handoff: {
      api: { ...empty.handoff.api, success: api - errors5xx, error: errors5xx, fallback: errors5xx, latency: { p95Ms: 210, samples: api } },
      direct: { ...empty.handoff.direct, success: direct + errors5xx, latency: { p95Ms: 200, samples: direct } },
    },
  };
}

const gates = (s: MetricsSnapshot) => evaluateGates(s, DEFAULT_PLAN.gates, BASELINE);

function state(changes: Partial<RolloutState>): RolloutState {
  return {
    version: 1,
    stack: 'SlackBedrockStack',
    region: 'eu-west-1',
    revision: 9,
    runId: 'r1',
    startedAt: '2025-03-03T08:59:00.000Z',
    updatedAt: '2025-03-03T11:30:00.000Z',
    plan: DEFAULT_PLAN,
    baseline: BASELINE,
    status: 'baking',
    stageIndex: 0,
    bakeStartedAt: undefined,
    extensionStartedAt: undefined,
    lastGates: undefined,
    completedStages: [],
    breach: undefined,
    history: [],
    ...changes,
  };
}

const passedTen = {
  index: 0,
  percentage: 10,
  bakeStartedAt: '2025-03-03T09:00:00.000Z',
  evaluatedAt: '2025-03-03T10:03:00.000Z',
  gates: gates(snapshot(600, 5400)),
  deployedPercentage: 10,
  handoffs: { api: 600, direct: 5400 },
};

describe('buildTimeline and formatTimeline', () => {
  it('a passed stage and a stage that breached: one row each, then the rollback with its reason', () => {
    const failing = gates(snapshot(3000, 3000, 6));
    const rolledBack = state({
      status: 'rolled_back',
      stageIndex: 1,
      bakeStartedAt: '2025-03-03T10:03:00.000Z',
      deployedPercentage: 50,
      lastHandoffs: { api: 3000, direct: 3000 },
      lastGates: failing,
      completedStages: [passedTen],
      breach: {
        kind: 'gate',
        at: '2025-03-03T10:40:00.000Z',
        stageIndex: 1,
        percentage: 50,
        gates: failing.filter((gate) => gate.status === 'fail'),
        message: 'stage 2/3 (50 %): 5XX rate 0.2% (6 of 3000 requests) > 0.1%',
      },
    });
    expect(formatTimeline(buildTimeline(rolledBack))).toEqual([
      'time (UTC)  stage        deployed  observed API share  auth 4XX  5XX rate       fallback       p95 api/direct   result',
      '09:00:00    1/3 10%      10%       10% (600/6000)      0 ≤ 0 ✓   0% ≤ 0.1% ✓    0% ≤ 0.1% ✓    1.05× ≤ 1.05× ✓  passed',
      '10:03:00    2/3 50%      50%       50% (3000/6000)     0 ≤ 0 ✓   0.2% > 0.1% ✗  0.2% > 0.1% ✗  1.05× ≤ 1.05× ✓  breach',
      '10:40:00    rollback 0%  -         -                                                                            rolled back: stage 2/3 (50 %): 5XX rate 0.2% (6 of 3000 requests) > 0.1%',
      '(observed: API-path hand-offs / all hand-offs; ✓ pass, ✗ fail, ? too few samples)',
    ]);
  });

  it('a live bake with too few samples shows ? and the counts so far; a stage being deployed has no row yet', () => {
    const baking = state({
      stageIndex: 1,
      bakeStartedAt: '2025-03-03T10:03:00.000Z',
      deployedPercentage: 50,
      lastHandoffs: { api: 9, direct: 8 },
      lastGates: gates(snapshot(9, 8)),
      completedStages: [passedTen],
    });
    expect(formatTimeline(buildTimeline(baking)).slice(1, 3)).toEqual([
      '09:00:00    1/3 10%  10%       10% (600/6000)      0 ≤ 0 ✓   0% ≤ 0.1% ✓  0% ≤ 0.1% ✓  1.05× ≤ 1.05× ✓  passed',
      '10:03:00    2/3 50%  50%       53% (9/17)          0 ≤ 0 ?   0% ≤ 0.1% ?  0% ≤ 0.1% ?  1.05× ≤ 1.05× ?  baking',
    ]);
    expect(buildTimeline({ ...baking, status: 'deploying', bakeStartedAt: undefined })).toHaveLength(1);
  });

  it('reads a state file written before the shares were recorded: deployed and observed show -', () => {
    const old = JSON.parse(JSON.stringify(state({ status: 'completed', completedStages: [passedTen] })));
    delete old.completedStages[0].deployedPercentage;
    delete old.completedStages[0].handoffs;
    const rows = buildTimeline(parseState(old, 'old.json'));
    expect(rows.map((row) => [row.deployedPercentage, row.observed])).toEqual([[undefined, undefined]]);
    expect(formatTimeline(rows)[1]).toBe('09:00:00    1/3 10%  -         -                   0 ≤ 0 ✓   0% ≤ 0.1% ✓  0% ≤ 0.1% ✓  1.05× ≤ 1.05× ✓  passed');
  });

  it('prints nothing for a run without a stage window', () => {
    expect(formatTimeline(buildTimeline(state({ status: 'deploying' })))).toEqual([]);
  });
});
