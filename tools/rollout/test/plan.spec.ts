import { formatDuration, parseDuration } from '../src/duration';
import { UsageError } from '../src/errors';
import {
  applyOverrides,
  DEFAULT_PLAN,
  diffPlans,
  formatRate,
  formatStages,
  hasOverrides,
  parseNonNegative,
  parseRate,
  parseStages,
  validatePlan,
} from '../src/plan';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text, '--x')).toBe(ms);
  });

  it.each(['', '1', 'h', '1 h', '1w', '-1h', '1h-'])('rejects "%s"', (text) => {
    expect(() => parseDuration(text, '--poll-interval')).toThrow(UsageError);
    expect(() => parseDuration(text, '--poll-interval')).toThrow(`--poll-interval: "${text}" is not a duration`);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [-5, '0s'],
    [45_999, '45s'],
    [2_112_000, '35m 12s'],
    [5_400_000, '1h 30m'],
    [86_400_000, '24h'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('parseStages', () => {
  it('parses the runbook stages', () => {
    expect(parseStages('10:1h,50:1h,100:24h')).toEqual(DEFAULT_PLAN.stages);
  });

  it('accepts spaces and a % sign', () => {
    expect(parseStages(' 25% : 30m , 100:2h ')).toEqual([
      { percentage: 25, bakeMs: 1_800_000 },
      { percentage: 100, bakeMs: 7_200_000 },
    ]);
  });

  it.each([
    ['10', '--stages: "10" is not <percentage>:<duration>, e.g. 10:1h'],
    ['50:1h,10:1h', '--stages: percentages must increase strictly (50 then 10)'],
    ['10:1h,10:1h', '--stages: percentages must increase strictly (10 then 10)'],
    ['0:1h', '--stages: percentage 0 is not a whole number from 1 to 100'],
    ['101:1h', '--stages: percentage 101 is not a whole number from 1 to 100'],
    ['10:30s', '--stages: the bake of the 10 % stage must be at least 1m'],
    ['10:1x', '--stages entry "10:1x": "1x" is not a duration'],
  ])('rejects %s', (text, message) => {
    expect(() => parseStages(text)).toThrow(message);
  });
});

describe('parseRate', () => {
  it('turns a percentage into the exact fraction', () => {
    expect(parseRate('0.1%', '--max-5xx-rate')).toBe(0.001);
    expect(parseRate('0.3%', '--max-5xx-rate')).toBe(0.003);
    expect(parseRate('100%', '--max-5xx-rate')).toBe(1);
    expect(parseRate('0%', '--max-5xx-rate')).toBe(0);
  });

  it.each(['0.1', '-1%', 'abc%', '101%'])('rejects %s', (text) => {
    expect(() => parseRate(text, '--max-5xx-rate')).toThrow(/^--max-5xx-rate: /);
  });
});

describe('parseNonNegative', () => {
  it('parses numbers and whole numbers', () => {
    expect(parseNonNegative('1.05', '--max-p95-ratio')).toBe(1.05);
    expect(parseNonNegative('20', '--min-samples', true)).toBe(20);
    expect(() => parseNonNegative('2.5', '--min-samples', true)).toThrow('--min-samples: "2.5" is not a non-negative whole number');
    expect(() => parseNonNegative('-1', '--max-p95-ratio')).toThrow('--max-p95-ratio: "-1" is not a non-negative number');
  });
});

describe('validatePlan', () => {
  it('accepts the default plan', () => {
    expect(validatePlan(DEFAULT_PLAN)).toBe(DEFAULT_PLAN);
  });

  it.each([
    [{ gates: { ...DEFAULT_PLAN.gates, maxP95Ratio: 0.9 } }, '--max-p95-ratio must be at least 1'],
    [{ gates: { ...DEFAULT_PLAN.gates, minSamples: 0 } }, '--min-samples must be a whole number ≥ 1'],
    [{ gates: { ...DEFAULT_PLAN.gates, maxAuthErrors: 1.5 } }, '--max-auth-errors must be a whole number ≥ 0'],
    [{ gates: { ...DEFAULT_PLAN.gates, max5xxRate: 2 } }, '--max-5xx-rate must be from 0% to 100%'],
    [{ baselineWindowMs: 1000 }, '--baseline-window must be at least 1m'],
    [{ maxExtensionMs: -1 }, '--max-extension must be a non-negative duration'],
    [{ deploy: { context: { executionApiPercentage: '100' }, args: [] } }, '--context executionApiPercentage=… is set by the tool itself'],
  ])('rejects %j', (change, message) => {
    expect(() => validatePlan({ ...DEFAULT_PLAN, ...change })).toThrow(message);
  });
});

describe('applyOverrides and diffPlans', () => {
  it('replaces only the parts given, and diffPlans names exactly those', () => {
    const plan = applyOverrides(DEFAULT_PLAN, {
      stages: parseStages('25:30m,100:2h'),
      gates: { minSamples: 50 },
      deploy: { context: { bedrockModelId: 'model-a' } },
    });
    expect(plan.gates).toEqual({ ...DEFAULT_PLAN.gates, minSamples: 50 });
    expect(plan.deploy).toEqual({ context: { bedrockModelId: 'model-a' }, args: [] });
    expect(diffPlans(DEFAULT_PLAN, plan)).toEqual([
      'stages: 10:1h,50:1h,100:24h → 25:30m,100:2h',
      'gates.minSamples: 20 → 50',
      'deploy.context: [] → [["bedrockModelId","model-a"]]',
    ]);
    expect(diffPlans(plan, plan)).toEqual([]);
  });

  it('hasOverrides is false for no flags and true for any flag', () => {
    expect(hasOverrides({})).toBe(false);
    expect(hasOverrides({ gates: {} })).toBe(false);
    expect(hasOverrides({ earlyAbort: false })).toBe(true);
    expect(hasOverrides({ gates: { minSamples: 20 } })).toBe(true);
  });
});

describe('formatRate and formatStages', () => {
  it('formats rates and stages for people', () => {
    expect(formatRate(0.001)).toBe('0.1%');
    expect(formatRate(1 / 999)).toBe('0.1001%');
    expect(formatRate(0)).toBe('0%');
    expect(formatStages(parseStages('10:1h,50:90m,100:24h'))).toBe('10:1h,50:1h30m,100:24h');
  });
});
