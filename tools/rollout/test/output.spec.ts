import type { RolloutEvent } from '../src/events';
import { evaluateGates } from '../src/gates';
import { emptySnapshot } from '../src/metrics';
import { formatCheckAuth, formatEvent, formatGateShort, formatPlan, formatStatus, HumanReporter, JsonReporter } from '../src/output';
import { DEFAULT_GATES, DEFAULT_PLAN } from '../src/plan';
import type { StatusReport } from '../src/status';

const WINDOW = { start: new Date('2025-03-03T09:00:00Z'), end: new Date('2025-03-03T09:25:00Z') };

function liveGates() {
  const base = emptySnapshot(WINDOW);
  return evaluateGates(
    {
      ...base,
      api: { ...base.api, count: 250, error5xx: 0 },
      handoff: {
        api: { success: 248, error: 2, failed: 0, fallback: 0, authError: 2, latency: { p95Ms: 212.4, samples: 248 } },
        direct: { success: 2250, error: 0, failed: 0, latency: { p95Ms: 205.6, samples: 2250 } },
      },
    },
    DEFAULT_GATES,
    undefined,
  );
}

describe('formatEvent', () => {
  it('renders a progress line with the stage, the time left and every live gate value', () => {
    const event: RolloutEvent = {
      type: 'bake_progress',
      stageIndex: 0,
      stageCount: 3,
      percentage: 10,
      phase: 'baking',
      remainingMs: 35 * 60_000 + 12_000,
      window: { start: WINDOW.start.toISOString(), end: WINDOW.end.toISOString() },
      gates: liveGates(),
    };
    expect(formatEvent(event)).toEqual([
      '[stage 1/3 10%] baking, 35m 12s left | auth 4XX 2/250 FAIL | 5XX 0% (0/250) ok | fallback 0% (0/250) ok | p95 1.03x (212/206 ms live) ok',
    ]);
  });

  it('names each phase after the bake', () => {
    const line = (phase: 'settling' | 'evaluating' | 'extending') =>
      formatEvent({ type: 'bake_progress', stageIndex: 2, stageCount: 3, percentage: 100, phase, remainingMs: 120_000, window: { start: '', end: '' }, gates: [] })[0];
    expect(line('settling')).toBe('[stage 3/3 100%] bake done, waiting 2m for CloudWatch | ');
    expect(line('evaluating')).toBe('[stage 3/3 100%] final evaluation | ');
    expect(line('extending')).toBe('[stage 3/3 100%] waiting for samples, 2m left | ');
  });

  it('renders a breach with the failing gates and their numbers', () => {
    const failing = liveGates().filter((gate) => gate.status === 'fail');
    expect(
      formatEvent({
        type: 'breach',
        breach: { kind: 'gate', at: '2025-03-03T09:25:00.000Z', stageIndex: 0, percentage: 10, gates: failing, message: 'x' },
      }),
    ).toEqual(['BREACH at 10 %: rolling back to 0 %', '  failed: auth 4XX 2 of 250 API hand-offs > 0 allowed']);
  });

  it('renders a deploy with its context and command', () => {
    expect(
      formatEvent({
        type: 'deploy_started',
        reason: 'stage 2/3 (50 %)',
        target: { percentage: 50, useApiGateway: false, enableDirectInvokeFallback: true },
        command: 'npx nx run infra:deploy -- SlackBedrockStack …',
        attempt: 1,
      }),
    ).toEqual([
      'Deploying (stage 2/3 (50 %)): executionApiPercentage=50 useApiGateway=false enableDirectInvokeFallback=true',
      '  $ npx nx run infra:deploy -- SlackBedrockStack …',
    ]);
  });
});

describe('formatGateShort', () => {
  it('shows n/a and wait for a gate without data', () => {
    const gates = evaluateGates(emptySnapshot(WINDOW), DEFAULT_GATES, undefined);
    expect(gates.map(formatGateShort)).toEqual(['auth 4XX 0/0 wait', '5XX n/a (0/0) wait', 'fallback n/a (0/0) wait', 'p95 n/a (-/- ms baseline) wait']);
  });
});

describe('formatPlan', () => {
  it('lists the runbook stages, the gates and the timing', () => {
    expect(formatPlan(DEFAULT_PLAN)).toEqual([
      'Stages:',
      '  1. 10 % through the execution API, bake 1h',
      '  2. 50 % through the execution API, bake 1h',
      '  3. 100 % through the execution API, bake 24h',
      'Gates (over each whole stage): auth 4XX ≤ 0, 5XX ≤ 0.1%, fallback ≤ 0.1%, p95 api ≤ 1.05× direct; min 20 samples per gate',
      'Timing: metrics delay 3m, wait for samples up to 1h, p95 baseline over the 24h before the run; early abort on breach on',
      'On breach: deploy 0 % at once (fallback kept on) and stop. After 100 % passes: cleanup removes the fallback.',
    ]);
  });
});

describe('formatStatus', () => {
  it('shows the flag, the percentage, the fallback, the last hour and the rollout', () => {
    const report: StatusReport = {
      stack: 'SlackBedrockStack',
      deployed: {
        stackStatus: 'UPDATE_COMPLETE',
        lastUpdated: '2025-03-03T08:59:00.000Z',
        useApiGateway: false,
        percentage: 10,
        percentageRaw: '10',
        effectivePercentage: 10,
        fallbackEnabled: true,
        executionApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/',
      },
      metrics: {
        window: { start: '2025-03-03T09:00:00.000Z', end: '2025-03-03T10:00:00.000Z' },
        apiCount: 600,
        api4xx: 3,
        api5xx: 1,
        apiLatencyP95Ms: 48.2,
        apiIntegrationLatencyP95Ms: 31,
        handoffP95Ms: { api: 212, direct: 205 },
        handoffSamples: { api: 598, direct: 5400 },
        apiHandoffs: 600,
        fallbacks: 0,
        authErrors: 0,
      },
      gates: [],
      rollout: {
        runId: 'r1',
        status: 'baking',
        stageIndex: 0,
        stageCount: 3,
        percentage: 10,
        bakeRemainingMs: 1_800_000,
        breach: undefined,
        updatedAt: '2025-03-03T09:30:00.000Z',
        timeline: [],
      },
    };
    expect(formatStatus(report)).toEqual([
      'Stack SlackBedrockStack: UPDATE_COMPLETE, updated 2025-03-03T08:59:00.000Z',
      '  USE_API_GATEWAY=false, USE_API_GATEWAY_PERCENTAGE=10: 10 % of hand-offs through the API; fallback enabled (EXECUTION_FUNCTION_ARN set)',
      '  execution API: https://abc123.execute-api.eu-west-1.amazonaws.com/prod/',
      'Last hour (2025-03-03T09:00:00.000Z to 2025-03-03T10:00:00.000Z):',
      '  API requests 600, 4XX 3, 5XX 1 (0.1667%); API Gateway p95 latency 48 ms, integration 31 ms',
      '  hand-off p95: api 212 ms (n=598), direct 205 ms (n=5400)',
      '  fallbacks 0 of 600 API hand-offs (0%); auth 4XX 0',
      '  gates: ',
      'Rollout r1: baking at stage 1/3 (10 %), 30m of bake left, updated 2025-03-03T09:30:00.000Z',
    ]);
  });
});

describe('formatCheckAuth', () => {
  it('prints one PASS/FAIL line per probe and the result', () => {
    expect(
      formatCheckAuth({
        url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/execute',
        pass: false,
        probes: [
          { probe: 'unsigned', pass: true, status: 403, errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token', verdict: 'refused' },
          { probe: 'caller_signed', pass: false, status: 202, errorType: undefined, message: undefined, verdict: 'expected 403, got 202' },
        ],
      }),
    ).toEqual([
      'check-auth https://abc123.execute-api.eu-west-1.amazonaws.com/prod/execute',
      '  PASS unsigned POST: 403 MissingAuthenticationTokenException: refused',
      '  FAIL POST signed with your credentials: 202: expected 403, got 202',
      'Result: FAIL, see above.',
    ]);
  });
});

describe('reporters', () => {
  it('HumanReporter writes the formatted lines; JsonReporter one JSON object per event with a time', () => {
    const human: string[] = [];
    const json: string[] = [];
    const event: RolloutEvent = { type: 'completed', stages: 3 };
    new HumanReporter((line) => human.push(line)).emit(event);
    new JsonReporter((line) => json.push(line), () => Date.parse('2025-03-04T10:09:00Z')).emit(event);
    expect(human).toEqual(['Rollout completed: all 3 stages green. Next, when ready: cleanup (removes the fallback).']);
    expect(json.map((line) => JSON.parse(line))).toEqual([{ time: '2025-03-04T10:09:00.000Z', type: 'completed', stages: 3 }]);
  });
});
