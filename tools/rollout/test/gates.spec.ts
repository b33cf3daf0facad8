import fc from 'fast-check';
import { evaluateGates, type GateResult, type LatencyBaseline, overallVerdict } from '../src/gates';
import { emptySnapshot, type MetricsSnapshot } from '../src/metrics';
import { DEFAULT_GATES, type GateThresholds, parseRate } from '../src/plan';

const WINDOW = { start: new Date('2025-03-03T09:00:00Z'), end: new Date('2025-03-03T10:00:00Z') };

interface Numbers {
  apiRequests?: number;
  api5xx?: number;
  apiSuccess?: number;
  apiError?: number;
  apiFailed?: number;
  fallback?: number;
  authError?: number;
  apiP95?: number;
  apiSamples?: number;
  directP95?: number;
  directSamples?: number;
}

function snapshot(n: Numbers): MetricsSnapshot {
  const base = emptySnapshot(WINDOW);
  return {
    ...base,
    api: { ...base.api, count: n.apiRequests ?? 0, error5xx: n.api5xx ?? 0 },
    handoff: {
      api: {
        success: n.apiSuccess ?? 0,
        error: n.apiError ?? 0,
        failed: n.apiFailed ?? 0,
        fallback: n.fallback ?? 0,
        authError: n.authError ?? 0,
        latency: { p95Ms: n.apiP95, samples: n.apiSamples ?? 0 },
      },
      direct: { success: 0, error: 0, failed: 0, latency: { p95Ms: n.directP95, samples: n.directSamples ?? 0 } },
    },
  };
}

function gate(results: GateResult[], id: GateResult['id']): GateResult {
  const found = results.find((result) => result.id === id);
  if (!found) throw new Error(`no gate ${id}`);
  return found;
}

const evaluate = (n: Numbers, gates: GateThresholds = DEFAULT_GATES, baseline?: LatencyBaseline) =>
  evaluateGates(snapshot(n), gates, baseline);

describe('evaluateGates', () => {
  it('returns the four gates in a fixed order', () => {
    expect(evaluate({}).map((result) => result.id)).toEqual(['auth_errors', 'api_5xx_rate', 'fallback_rate', 'p95_ratio']);
  });

  describe('auth 4XX', () => {
    it('passes with no auth errors over enough API hand-offs', () => {
      expect(gate(evaluate({ apiSuccess: 20 }), 'auth_errors')).toMatchObject({
        status: 'pass',
        value: 0,
        samples: 20,
        detail: 'auth 4XX 0 of 20 API hand-offs ≤ 0 allowed',
      });
    });

    it('fails on a single auth error, even with one hand-off', () => {
      expect(gate(evaluate({ apiError: 1, authError: 1 }), 'auth_errors')).toMatchObject({
        status: 'fail',
        numerator: 1,
        denominator: 1,
        detail: 'auth 4XX 1 of 1 API hand-offs > 0 allowed',
      });
    });

    it('cannot pass with fewer API hand-offs than minSamples', () => {
      expect(gate(evaluate({ apiSuccess: 19 }), 'auth_errors')).toMatchObject({
        status: 'insufficient_data',
        detail: 'auth 4XX 0 of 19 API hand-offs; need 20 API hand-offs',
      });
    });

    it('honours a non-zero allowance at its boundary', () => {
      const gates = { ...DEFAULT_GATES, maxAuthErrors: 2 };
      expect(gate(evaluate({ apiSuccess: 98, apiError: 2, authError: 2 }, gates), 'auth_errors').status).toBe('pass');
      expect(gate(evaluate({ apiSuccess: 97, apiError: 3, authError: 3 }, gates), 'auth_errors').status).toBe('fail');
    });
  });

  describe('5XX rate', () => {
    it('passes at exactly 0.1 %', () => {
      expect(gate(evaluate({ apiRequests: 1000, api5xx: 1 }), 'api_5xx_rate')).toMatchObject({
        status: 'pass',
        value: 0.001,
        detail: '5XX rate 0.1% (1 of 1000 requests) ≤ 0.1%',
      });
    });

    it('fails just above 0.1 %', () => {
      expect(gate(evaluate({ apiRequests: 999, api5xx: 1 }), 'api_5xx_rate')).toMatchObject({
        status: 'fail',
        detail: '5XX rate 0.1001% (1 of 999 requests) > 0.1%',
      });
      expect(gate(evaluate({ apiRequests: 1000, api5xx: 2 }), 'api_5xx_rate').status).toBe('fail');
    });

    it('passes a threshold parsed from "0.3%" at 3 of 1000', () => {
      const gates = { ...DEFAULT_GATES, max5xxRate: parseRate('0.3%', '--max-5xx-rate') };
      expect(gate(evaluate({ apiRequests: 1000, api5xx: 3 }, gates), 'api_5xx_rate').status).toBe('pass');
    });

    it('cannot be judged below minSamples requests, even with errors', () => {
      expect(gate(evaluate({ apiRequests: 19, api5xx: 5 }), 'api_5xx_rate')).toMatchObject({
        status: 'insufficient_data',
        detail: '5XX rate 26.3158% (5 of 19 requests); need 20 requests',
      });
      expect(gate(evaluate({}), 'api_5xx_rate')).toMatchObject({ status: 'insufficient_data', value: undefined });
      expect(gate(evaluate({ apiRequests: 20 }), 'api_5xx_rate').status).toBe('pass');
    });

    it('passes exactly when errors × 1000 ≤ requests (property)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 20, max: 1_000_000 }), fc.integer({ min: 0, max: 2_000 }), (requests, errors) => {
          fc.pre(errors <= requests);
          const status = gate(evaluate({ apiRequests: requests, api5xx: errors }), 'api_5xx_rate').status;
          return status === (errors * 1000 <= requests ? 'pass' : 'fail');
        }),
      );
    });
  });

  describe('fallback rate', () => {
    it('divides fallbacks by every API-path attempt: accepted, refused and unanswered', () => {
      expect(gate(evaluate({ apiSuccess: 997, apiError: 2, apiFailed: 1, fallback: 1 }), 'fallback_rate')).toMatchObject({
        status: 'pass',
        numerator: 1,
        denominator: 1000,
        detail: 'fallback rate 0.1% (1 of 1000 API hand-offs) ≤ 0.1%',
      });
    });

    it('fails just above 0.1 %', () => {
      expect(gate(evaluate({ apiSuccess: 998, apiFailed: 2, fallback: 2 }), 'fallback_rate').status).toBe('fail');
    });

    it('cannot be judged below minSamples hand-offs', () => {
      expect(gate(evaluate({ apiSuccess: 19 }), 'fallback_rate').status).toBe('insufficient_data');
    });
  });

  describe('p95 ratio', () => {
    it('passes at exactly 1.05 × the direct p95 measured in the same window', () => {
      expect(gate(evaluate({ apiP95: 210, apiSamples: 20, directP95: 200, directSamples: 20 }), 'p95_ratio')).toMatchObject({
        status: 'pass',
        reference: 'live',
        numerator: 210,
        denominator: 200,
        detail: 'p95 api 210 ms (n=20) vs direct 200 ms (live, n=20) = 1.050× ≤ 1.05×',
      });
    });

    it('fails just above 1.05 ×', () => {
      expect(gate(evaluate({ apiP95: 210.1, apiSamples: 20, directP95: 200, directSamples: 20 }), 'p95_ratio').status).toBe('fail');
    });

    it('uses the pre-run baseline when the direct path has too few samples (at 100 %)', () => {
      const baseline: LatencyBaseline = { directP95Ms: 180, samples: 5000, window: { start: 'a', end: 'b' } };
      expect(gate(evaluate({ apiP95: 189, apiSamples: 50, directP95: 400, directSamples: 3 }, DEFAULT_GATES, baseline), 'p95_ratio')).toMatchObject({
        status: 'pass',
        reference: 'baseline',
        denominator: 180,
        samples: 50,
      });
      expect(gate(evaluate({ apiP95: 190, apiSamples: 50 }, DEFAULT_GATES, baseline), 'p95_ratio').status).toBe('fail');
    });

    it('cannot be judged without enough samples on both sides', () => {
      expect(gate(evaluate({ apiP95: 100, apiSamples: 19, directP95: 100, directSamples: 100 }), 'p95_ratio').status).toBe(
        'insufficient_data',
      );
      expect(gate(evaluate({ apiP95: 100, apiSamples: 100, directP95: 100, directSamples: 19 }), 'p95_ratio')).toMatchObject({
        status: 'insufficient_data',
        reference: 'baseline',
        detail: 'p95 api 100 ms (n=100) vs direct n/a (baseline, n=0); need 20 samples on each path',
      });
    });
  });
});

describe('overallVerdict', () => {
  const result = (status: GateResult['status']): GateResult => ({
    id: 'auth_errors',
    status,
    value: 0,
    threshold: 0,
    numerator: 0,
    denominator: 0,
    samples: 0,
    minSamples: 0,
    detail: '',
  });

  it('is fail if any gate failed, else insufficient_data if any lacks samples, else pass', () => {
    expect(overallVerdict([result('pass'), result('insufficient_data'), result('fail')])).toBe('fail');
    expect(overallVerdict([result('pass'), result('insufficient_data')])).toBe('insufficient_data');
    expect(overallVerdict([result('pass'), result('pass')])).toBe('pass');
  });
});
