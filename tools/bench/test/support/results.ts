import { evaluateGoals } from '../../src/report/goals';
import { type BenchResults, type ColdStartVariant, type Figure, RESULTS_SCHEMA_VERSION } from '../../src/report/types';
import type { Estimate } from '../../src/stats/bootstrap';
import { summarize } from '../../src/stats/quantile';

/** A figure from samples. */
export function figure(samples: number[]): Figure {
  return { summary: summarize(samples), samples };
}

/** An estimate with a fixed interval. */
export function estimate(value: number, low: number, high: number): Estimate {
  return { estimate: value, low, high, confidence: 0.95, iterations: 2000, invalidResamples: 0 };
}

function variant(id: ColdStartVariant['id'], label: string, totals: number[], net?: number): ColdStartVariant {
  return {
    id,
    label,
    firstInvocation: `first invocation of ${label}.`,
    bundle: { mainBytes: 119_510, lazyBytes: id.startsWith('verification') ? { 'signing.js': 390_384 } : {} },
    validRuns: totals.length,
    failedRuns: 0,
    failures: [],
    loadMs: figure(totals.map((t) => t / 2)),
    firstInvocationMs: figure(totals.map((t) => t / 2)),
    totalMs: figure(totals),
    processWallMs: figure(totals.map((t) => t + 40)),
    net: net === undefined ? undefined : { loadMs: estimate(net / 2, net / 2, net / 2), totalMs: estimate(net, net - 5, net + 5), totalP90Ms: estimate(net + 10, net + 5, net + 15) },
  };
}

/** A complete, fixed set of results: the API path misses the end-to-end goal, everything else is met. */
export function sampleResults(): BenchResults {
  const coldStart = {
    roundsPlanned: 15,
    roundsRun: 15,
    warmupRounds: 1,
    truncated: false,
    variants: [variant('empty', 'empty module (baseline)', [1, 1, 1]), variant('verification-api', 'verification, API path', [101, 102, 103], 100), variant('naive', 'naive reference (eager imports)', [401, 402, 403], 400)],
    ratios: { naiveOverApiTotal: estimate(4, 3.5, 4.5), naiveOverApiLoad: estimate(6, 5, 7), directOverApiTotal: estimate(1.5, 1.2, 1.8) },
  };
  const ack = {
    api: figure(Array.from({ length: 50 }, (_, i) => 20 + (i % 5))),
    direct: figure(Array.from({ length: 50 }, (_, i) => 20 + (i % 5) + (i === 49 ? 1 : 0))),
    ratios: { p50: estimate(1, 0.95, 1.05), p95: estimate(0.98, 0.9, 1.04), p99: estimate(0.97, 0.9, 1.1) },
    warmupPerPath: 10,
    plannedPerPath: 5,
    truncated: false,
  };
  const endToEnd = {
    api: figure(Array.from({ length: 40 }, (_, i) => [1600, 1610, 1700][i % 3] as number)),
    direct: figure(Array.from({ length: 40 }, (_, i) => [1500, 1510, 1520][i % 3] as number)),
    ratios: { p50: estimate(1.07, 1.05, 1.09), p95: estimate(1.11, 1.06, 1.2) },
    modelLatencyMs: 1500,
    concurrency: 8,
    plannedPerPath: 3,
    ackMs: figure([30, 40, 50]),
    truncated: false,
  };
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    run: { startedAt: '2025-11-28T19:20:00.000Z', finishedAt: '2025-11-28T19:23:30.000Z', durationMs: 210_000, options: { phases: ['signing', 'cold-start', 'ack', 'e2e', 'throughput'] } },
    machine: {
      platform: 'linux',
      release: '6.1.0',
      arch: 'x64',
      cpuCount: 2,
      cpuModel: 'Test CPU',
      cpuSpeedMHz: 2000,
      totalMemoryBytes: 8 * 1024 ** 3,
      freeMemoryBytesAtStart: 4 * 1024 ** 3,
      loadAverageAtStart: [1.5, 1.25, 1],
      loadAverageAtEnd: [2, 1.5, 1.1],
      nodeVersion: 'v20.20.2',
      v8Version: '11.3',
    },
    source: { commit: '0123456789abcdef0123456789abcdef01234567', dirty: false },
    goals: evaluateGoals({ coldStart, ack, endToEnd }),
    coldStart,
    ack,
    endToEnd,
    signing: {
      batchSize: 200,
      batches: 3,
      signerUs: figure([40, 41, 42]),
      floorUs: figure([8, 8, 8]),
      ratio: estimate(5.1, 5, 5.25),
      signaturesMatch: true,
      bodyBytes: 315,
    },
    throughput: {
      modelLatencyMs: 0,
      levels: [
        {
          concurrency: 8,
          planned: 240,
          sent: 100,
          acked: 99,
          notAcked: { '500': 1 },
          ackWindowMs: 9000,
          replyWindowMs: 10_000,
          acksPerSecond: 11,
          repliesPerSecond: 9.9,
          ackMs: figure([30, 40, 50]),
          endToEndMs: figure([300, 400, 500]),
          exactlyOneReply: 98,
          noReply: 1,
          duplicateReplies: 0,
          truncated: true,
        },
      ],
    },
    ackConcurrency: {
      modelLatencyMs: 0,
      levels: [
        {
          concurrency: 32,
          planned: 1000,
          sent: 1000,
          acked: 1000,
          notAcked: {},
          ackMs: figure([20, 30, 40, 50, 400]),
          exactlyOneReply: 1000,
          truncated: false,
          verificationReservedConcurrency: null,
          executionReservedConcurrency: 10,
          maxContainers: 8,
        },
        {
          concurrency: 64,
          planned: 1000,
          sent: 700,
          acked: 698,
          notAcked: { '429': 1, failed: 1 },
          ackMs: figure([60, 70, 80]),
          exactlyOneReply: 698,
          truncated: true,
          verificationReservedConcurrency: null,
          executionReservedConcurrency: 10,
          maxContainers: 8,
        },
      ],
    },
    integrity: [
      { name: 'ack: every Slack request acked 200', ok: true, detail: '5/5.' },
      { name: 'throughput c=8: every Slack request acked 200', ok: false, detail: '99/100. Offending: EvBT8X0000003 → 500.' },
    ],
    errors: [],
    notes: ['a note'],
  };
}
