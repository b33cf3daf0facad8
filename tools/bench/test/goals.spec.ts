import { GOALS, evaluateGoal, evaluateGoals } from '../src/report/goals';
import type { AckResult, EndToEndResult } from '../src/report/types';
import { summarize } from '../src/stats/quantile';

describe('evaluateGoal', () => {
  it('meets an upper bound when the estimate and the whole interval are below it', () => {
    expect(evaluateGoal(GOALS.ackP95Ratio, { estimate: 1.01, low: 0.97, high: 1.04 }, 150).verdict).toBe('met');
  });

  it('meets it only noisily when the interval crosses the bound', () => {
    expect(evaluateGoal(GOALS.ackP95Ratio, { estimate: 1.02, low: 0.97, high: 1.08 }, 150).verdict).toBe('met_noisy');
  });

  it('misses it when the estimate is above the bound, whatever the interval', () => {
    expect(evaluateGoal(GOALS.ackP95Ratio, { estimate: 1.06, low: 0.9, high: 1.2 }, 150).verdict).toBe('missed');
  });

  it('treats the bound itself as met', () => {
    expect(evaluateGoal(GOALS.endToEndP95Ratio, { estimate: 1.05, low: 1.05, high: 1.05 }, 80).verdict).toBe('met');
  });

  it('gives no verdict on a p95 ratio with fewer than 40 samples on a side, met or missed', () => {
    expect(evaluateGoal(GOALS.ackP95Ratio, { estimate: 1.15, low: 0.7, high: 2.95 }, 17)).toMatchObject({ verdict: 'too_few_samples', samples: 17, minSamples: 40 });
    expect(evaluateGoal(GOALS.ackP95Ratio, { estimate: 0.9, low: 0.8, high: 1 }, 39).verdict).toBe('too_few_samples');
    expect(evaluateGoal(GOALS.ackP95Ratio, { estimate: 0.9, low: 0.8, high: 1 }, 40).verdict).toBe('met');
    expect(evaluateGoal(GOALS.ackP95Ratio, { estimate: 0.9, low: 0.8, high: 1 }).verdict).toBe('too_few_samples');
  });

  it('reads a lower bound the other way round', () => {
    expect(evaluateGoal(GOALS.coldStartRatio, { estimate: 4.2, low: 3.5, high: 5 }).verdict).toBe('met');
    expect(evaluateGoal(GOALS.coldStartRatio, { estimate: 3.4, low: 2.8, high: 4 }).verdict).toBe('met_noisy');
    expect(evaluateGoal(GOALS.coldStartRatio, { estimate: 2.6, low: 2.2, high: 3.5 }).verdict).toBe('missed');
  });

  it('is met without an interval when the estimate satisfies the goal', () => {
    expect(evaluateGoal(GOALS.ackDeadline, { estimate: 812, low: undefined, high: undefined })).toEqual({
      id: 'ack-deadline',
      label: GOALS.ackDeadline.label,
      direction: 'at_most',
      target: 3000,
      unit: 'ms',
      estimate: 812,
      low: undefined,
      high: undefined,
      samples: undefined,
      minSamples: undefined,
      verdict: 'met',
    });
  });

  it('says not measured for a missing or non-finite figure', () => {
    expect(evaluateGoal(GOALS.ackP95Ratio, undefined).verdict).toBe('not_measured');
    expect(evaluateGoal(GOALS.ackP95Ratio, { estimate: Number.NaN, low: undefined, high: undefined }).verdict).toBe('not_measured');
  });
});

describe('evaluateGoals', () => {
  const figure = (samples: number[]) => ({ summary: summarize(samples), samples });

  it('takes the slowest ack of the ack and end-to-end phases for the 3 s goal, and the smaller side for the sample floor', () => {
    const many = Array.from({ length: 45 }, (_, i) => 10 + i);
    const ack: AckResult = {
      api: figure(many),
      direct: figure([...many.slice(1), 3500]),
      ratios: { p95: { estimate: 1.02, low: 0.99, high: 1.04, confidence: 0.95, iterations: 2000, invalidResamples: 0 } },
      warmupPerPath: 1,
      plannedPerPath: 3,
      truncated: false,
    };
    const endToEnd: EndToEndResult = {
      api: undefined,
      direct: undefined,
      ratios: {},
      modelLatencyMs: 1500,
      concurrency: 8,
      plannedPerPath: 0,
      ackMs: figure([40, 900]),
      truncated: false,
    };
    const goals = evaluateGoals({ coldStart: undefined, ack, endToEnd });
    expect(goals.map((g) => [g.id, g.verdict])).toEqual([
      ['ack-p95-ratio', 'met'],
      ['e2e-p95-ratio', 'not_measured'],
      ['cold-start-ratio', 'not_measured'],
      ['ack-deadline', 'missed'],
      ['stream-first-text', 'not_measured'],
      ['stream-complete-ratio', 'not_measured'],
    ]);
    expect(goals[3]?.estimate).toBe(3500);
    expect(goals[0]?.samples).toBe(45);
  });

  it('reads the streaming goals: median first text against 1.1 s, complete streamed / posted against 1.05', () => {
    const estimate = (value: number, low: number, high: number) => ({ estimate: value, low, high, confidence: 0.95, iterations: 2000, invalidResamples: 0 });
    const mode = { answers: 30, firstTextMs: undefined, completeMs: undefined, messageCalls: undefined };
    const goals = evaluateGoals({
      coldStart: undefined,
      ack: undefined,
      endToEnd: undefined,
      streaming: {
        workload: { ttftMs: 800, tokensPerSecond: 50, answerTokens: 400 },
        concurrency: 6,
        plannedPerMode: 30,
        streamed: mode,
        posted: mode,
        firstTextP50: estimate(1040, 1010, 1120),
        ratios: { completeP50: estimate(1.01, 1.0, 1.02), completeP95: undefined },
        truncated: false,
      },
    });
    expect(goals.slice(4).map((g) => [g.id, g.target, g.estimate, g.verdict])).toEqual([
      ['stream-first-text', 1100, 1040, 'met_noisy'],
      ['stream-complete-ratio', 1.05, 1.01, 'met'],
    ]);
  });

  it('leaves every goal unmeasured when no phase ran', () => {
    expect(evaluateGoals({ coldStart: undefined, ack: undefined, endToEnd: undefined }).every((g) => g.verdict === 'not_measured')).toBe(true);
  });
});
