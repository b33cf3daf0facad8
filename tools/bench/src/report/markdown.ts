import type { Estimate } from '../stats/bootstrap';
import { formatBytes, formatInterval, formatMs, formatNumber, formatRate, formatRatio, markdownTable } from './format';
import type { AckConcurrencyResult, BenchResults, ColdStartResult, ColdStartVariant, Figure, GoalResult, PathComparison, StreamingModeResult, ThroughputResult, Verdict } from './types';

/** How each verdict reads in the report. */
export const VERDICT_TEXT: Readonly<Record<Verdict, string>> = {
  met: 'MET',
  met_noisy: 'MET (interval crosses the goal)',
  missed: 'MISSED',
  too_few_samples: 'TOO FEW SAMPLES',
  not_measured: 'NOT MEASURED',
};

/**
 * Renders a run's results as the markdown report printed by `npm run bench` and saved as `latest.md`: the goals first,
 * then one section per measurement, then the integrity checks. Pure: the same results give the same text.
 *
 * @param results - a run's results (e.g. read back from a results JSON file)
 * @returns the report, ending with a newline
 */
export function renderReport(results: BenchResults): string {
  const parts = [
    renderHeader(results),
    renderGoals(results.goals),
    renderColdStart(results),
    renderAck(results),
    renderEndToEnd(results),
    renderSigning(results),
    renderThroughput(results),
    renderAckConcurrency(results),
    renderStreaming(results),
    renderIntegrity(results),
  ];
  return `${parts.join('\n\n')}\n`;
}

/** The phases' ids (as in `--only`) and the names their errors are reported under. */
const PHASE_ERRORS: Readonly<Record<string, readonly string[]>> = {
  signing: ['signing'],
  'cold-start': ['cold start', 'local stack'],
  ack: ['ack latency', 'local stack'],
  e2e: ['end to end', 'local stack'],
  throughput: ['throughput', 'local stack'],
  stream: ['streamed answers', 'local stack'],
  'ack-concurrency': ['ack under concurrency'],
};

/** Why a section has no figures: its phase was not selected, or it failed (with the error). */
function absent(results: BenchResults, phase: string): string {
  const selected = results.run.options['phases'];
  if (Array.isArray(selected) && !selected.includes(phase)) return 'Not run (not selected with `--only`).';
  const error = results.errors.find((e) => (PHASE_ERRORS[phase] ?? []).includes(e.phase));
  return error === undefined ? 'Not measured.' : `Not measured: ${error.phase} did not complete (${error.message}).`;
}

function renderHeader(results: BenchResults): string {
  const { machine, source, run } = results;
  const load = (values: readonly number[] | undefined) => (values === undefined ? '–' : values.map((v) => v.toFixed(2)).join(' / '));
  const commit = source.commit === undefined ? 'unknown' : `${source.commit.slice(0, 12)}${source.dirty === true ? ' (uncommitted changes)' : ''}`;
  return [
    `# slack-ai-app benchmark, ${run.startedAt}`,
    '',
    `- Machine: ${machine.cpuCount} × ${machine.cpuModel}, ${formatBytes(machine.totalMemoryBytes)} memory, ${machine.platform} ${machine.release} ${machine.arch}`,
    `- Load average (1/5/15 min): ${load(machine.loadAverageAtStart)} at start, ${load(machine.loadAverageAtEnd)} at end`,
    `- Node ${machine.nodeVersion} (V8 ${machine.v8Version}); commit ${commit}`,
    `- Duration: ${(run.durationMs / 1000).toFixed(1)} s`,
    '',
    'Every comparison is measured side by side in this one run and given as a ratio with a 95 % bootstrap interval; ' +
      'absolute figures depend on the machine and its load. See tools/bench/README.md for the method.',
  ].join('\n');
}

function formatGoalValue(goal: GoalResult, value: number | undefined): string {
  return goal.unit === 'ratio' ? formatRatio(value) : formatMs(value);
}

function renderGoals(goals: readonly GoalResult[]): string {
  const rows = goals.map((goal) => [
    goal.label,
    `${goal.direction === 'at_most' ? '≤' : '≥'} ${goal.unit === 'ratio' ? formatRatio(goal.target) : formatMs(goal.target)}`,
    formatGoalValue(goal, goal.estimate),
    formatInterval(goal.low, goal.high, (v) => formatGoalValue(goal, v)),
    goal.verdict === 'too_few_samples' ? `${VERDICT_TEXT[goal.verdict]} (n = ${goal.samples ?? 0} per path, ${goal.minSamples ?? '?'} needed)` : VERDICT_TEXT[goal.verdict],
  ]);
  return ['## Goals', '', markdownTable(['goal', 'target', 'measured', '95 % interval', 'verdict'], rows, ['l', 'r', 'r', 'r', 'l'])].join('\n');
}

function estimateCells(estimate: Estimate | undefined, format: (value: number | undefined) => string): [string, string] {
  return [format(estimate?.estimate), formatInterval(estimate?.low, estimate?.high, (v) => format(v))];
}

function medianP90(figure: Figure | undefined): string {
  return figure === undefined ? '–' : `${formatNumber(figure.summary.median)} (${formatNumber(figure.summary.p90)})`;
}

function bundleText(variant: ColdStartVariant): string {
  if (variant.bundle === undefined) return '–';
  const lazy = Object.entries(variant.bundle.lazyBytes);
  const lazyText = lazy.length === 0 ? '' : ` + lazy ${lazy.map(([name, bytes]) => `${name} ${formatBytes(bytes)}`).join(', ')}`;
  return `${formatBytes(variant.bundle.mainBytes)}${lazyText}`;
}

function renderColdStart(results: BenchResults): string {
  const title = '## 1. Cold start';
  const result: ColdStartResult | undefined = results.coldStart;
  if (result === undefined) return `${title}\n\n${absent(results, 'cold-start')}`;
  const rows = result.variants.map((variant) => [
    variant.label,
    bundleText(variant),
    `${variant.validRuns}${variant.failedRuns > 0 ? ` (+${variant.failedRuns} failed)` : ''}`,
    medianP90(variant.loadMs),
    medianP90(variant.firstInvocationMs),
    medianP90(variant.totalMs),
    variant.totalMs === undefined ? '–' : formatNumber(variant.totalMs.summary.iqr),
    variant.totalMs === undefined ? '–' : formatInterval(variant.totalMs.summary.min, variant.totalMs.summary.max),
    variant.net === undefined ? '–' : `${formatNumber(variant.net.totalMs.estimate)} (${formatNumber(variant.net.totalP90Ms.estimate)})`,
    medianP90(variant.processWallMs),
  ]);
  const table = markdownTable(
    ['variant', 'bundle', 'runs', 'load ms median (p90)', '1st invocation ms median (p90)', 'total ms median (p90)', 'total IQR', 'total min–max', 'net total ms median (p90)', 'process wall ms median (p90)'],
    rows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const ratioRows: string[][] = [
    ['naive bundle / verification API path, load + first invocation', ...estimateCells(result.ratios.naiveOverApiTotal, formatRatio)],
    ['naive bundle / verification API path, module load only', ...estimateCells(result.ratios.naiveOverApiLoad, formatRatio)],
    ['verification direct path / API path, load + first invocation', ...estimateCells(result.ratios.directOverApiTotal, formatRatio)],
  ];
  const firstInvocations = result.variants.map((v) => `- ${v.label}: ${v.firstInvocation}`);
  const failures = result.variants.flatMap((v) => v.failures.map((f) => `- ${v.label} failed: ${f}`));
  return [
    title,
    '',
    `Fresh \`node\` processes, variants interleaved round by round (${result.roundsRun} rounds${result.truncated ? `, stopped by the time budget before ${result.roundsPlanned}` : ''}, ` +
      `after ${result.warmupRounds} discarded warm-up round). "net" = minus the empty module's median (p90) measured in the same run.`,
    '',
    table,
    '',
    markdownTable(['ratio (net medians)', 'value', '95 % interval'], ratioRows, ['l', 'r', 'r']),
    '',
    'What each first invocation does:',
    ...firstInvocations,
    ...(failures.length > 0 ? ['', ...failures] : []),
  ].join('\n');
}

function pathRows(comparison: PathComparison, quantiles: readonly ('p50' | 'p95' | 'p99')[]): string[][] {
  const row = (name: string, figure: Figure | undefined) => [
    name,
    String(figure?.summary.n ?? 0),
    ...quantiles.map((q) => formatMs(figure?.summary[q === 'p50' ? 'median' : q])),
    figure === undefined ? '–' : `${formatNumber(figure.summary.p25)}–${formatNumber(figure.summary.p75)}`,
    figure === undefined ? '–' : `${formatNumber(figure.summary.min)}–${formatNumber(figure.summary.max)}`,
  ];
  const ratio = [
    '**API / direct**',
    '',
    ...quantiles.map((q) => {
      const estimate = comparison.ratios[q];
      return estimate === undefined ? '–' : `${formatRatio(estimate.estimate)} [${formatInterval(estimate.low, estimate.high, (v) => v.toFixed(2))}]`;
    }),
    '',
    '',
  ];
  return [row('API Gateway path', comparison.api), row('direct invoke path', comparison.direct), ratio];
}

function comparisonTable(comparison: PathComparison, quantiles: readonly ('p50' | 'p95' | 'p99')[]): string {
  return markdownTable(['path', 'n', ...quantiles, 'IQR (p25–p75) ms', 'min–max ms'], pathRows(comparison, quantiles));
}

function renderAck(results: BenchResults): string {
  const title = '## 2. Ack latency (Slack request to 200, warm containers)';
  const ack = results.ack;
  if (ack === undefined) return `${title}\n\n${absent(results, 'ack')}`;
  return [
    title,
    '',
    `One stack, \`USE_API_GATEWAY_PERCENTAGE=50\`, event ids chosen so the bucket decides the path, paths interleaved, one request at a time ` +
      `and the stack idle before each; ${ack.warmupPerPath} warm-up events per path discarded${ack.truncated ? `; stopped by the time budget before ${ack.plannedPerPath} per path` : ''}. ` +
      'Ratios with 95 % bootstrap intervals.',
    '',
    comparisonTable(ack, ['p50', 'p95', 'p99']),
  ].join('\n');
}

function renderEndToEnd(results: BenchResults): string {
  const title = '## 3. End to end (Slack request to the reply recorded by the Slack stand-in)';
  const e2e = results.endToEnd;
  if (e2e === undefined) return `${title}\n\n${absent(results, 'e2e')}`;
  const ack = e2e.ackMs?.summary;
  return [
    title,
    '',
    `Local model latency ${e2e.modelLatencyMs} ms, ${e2e.concurrency} events in flight (each sender waits for its reply; first events staggered), paths interleaved, ` +
      `${e2e.concurrency} containers per function prewarmed and warmed on both paths${e2e.truncated ? `; stopped by the time budget before ${e2e.plannedPerPath} per path` : ''}. ` +
      `Acks under this load: median ${formatMs(ack?.median)}, p99 ${formatMs(ack?.p99)}, max ${formatMs(ack?.max)}.`,
    '',
    comparisonTable(e2e, ['p50', 'p95']),
  ].join('\n');
}

function renderSigning(results: BenchResults): string {
  const title = '## 4. Signing cost of the execution request';
  const signing = results.signing;
  if (signing === undefined) return `${title}\n\n${absent(results, 'signing')}`;
  const row = (name: string, figure: Figure) => [
    name,
    formatNumber(figure.summary.median),
    formatNumber(figure.summary.p95),
    `${formatNumber(figure.summary.p25)}–${formatNumber(figure.summary.p75)}`,
    `${formatNumber(figure.summary.min)}–${formatNumber(figure.summary.max)}`,
  ];
  return [
    title,
    '',
    `\`POST /prod/execute\` with a ${signing.bodyBytes}-byte ExecutionRequest, ${signing.batches} interleaved batches of ${signing.batchSize} signatures; ` +
      `one sample = one batch's time / ${signing.batchSize}. Same Authorization header from both: ${signing.signaturesMatch ? 'yes' : '**NO**'}.`,
    '',
    markdownTable(
      ['signer', 'µs/signature median', 'p95', 'IQR (p25–p75)', 'min–max'],
      [
        row('`@slack-ai-app/signing` RequestSigner.sign', signing.signerUs),
        row('floor: `node:crypto`, 2 × SHA-256 + 1 × HMAC, cached key', signing.floorUs),
        ['**signer / floor**', `${formatRatio(signing.ratio.estimate)} [${formatInterval(signing.ratio.low, signing.ratio.high, (v) => v.toFixed(2))}]`, '', '', ''],
      ],
    ),
  ].join('\n');
}

function renderThroughput(results: BenchResults): string {
  const title = '## 5. Throughput (Slack events per second through the local stack)';
  const result: ThroughputResult | undefined = results.throughput;
  if (result === undefined) return `${title}\n\n${absent(results, 'throughput')}`;
  const rows = result.levels.map((level) => {
    const failed = statusCounts(level.notAcked);
    return [
      String(level.concurrency),
      sentOfPlanned(level),
      formatRate(level.repliesPerSecond),
      formatMs(level.ackMs?.summary.median),
      formatMs(level.ackMs?.summary.p95),
      formatMs(level.ackMs?.summary.max),
      formatMs(level.endToEndMs?.summary.median),
      formatMs(level.endToEndMs?.summary.p95),
      failed === '' ? '0' : failed,
      `${level.exactlyOneReply}/${level.acked}${level.noReply > 0 ? `, ${level.noReply} none` : ''}${level.duplicateReplies > 0 ? `, ${level.duplicateReplies} duplicated` : ''}`,
    ];
  });
  return [
    title,
    '',
    `Closed loop: each of N senders posts an event and waits for its reply before the next, paths alternating; local model latency ` +
      `${result.modelLatencyMs} ms (the figure is the stack's own capacity, not the model's); containers prewarmed to the concurrency and ` +
      'warmed on both paths; each level bounded by a count and a time budget. events/s = events replied / (first send to last reply).',
    '',
    markdownTable(['concurrency', 'events', 'events/s', 'ack p50', 'ack p95', 'ack max', 'end to end p50', 'end to end p95', 'not acked', 'exactly one reply'], rows),
  ].join('\n');
}

function renderStreaming(results: BenchResults): string {
  const title = '## 7. Streamed answers against the whole post (issue 16)';
  const result = results.streaming;
  if (result === undefined) return `${title}\n\n${absent(results, 'stream')}`;
  const { ttftMs, tokensPerSecond, answerTokens } = result.workload;
  const row = (label: string, mode: StreamingModeResult) => [
    label,
    String(mode.answers),
    formatMs(mode.firstTextMs?.summary.median),
    formatMs(mode.firstTextMs?.summary.p95),
    formatMs(mode.completeMs?.summary.median),
    formatMs(mode.completeMs?.summary.p95),
    mode.messageCalls === undefined ? '–' : `${formatNumber(mode.messageCalls.summary.median)} (max ${formatNumber(mode.messageCalls.summary.max)})`,
  ];
  const [p50, p50Interval] = estimateCells(result.ratios.completeP50, formatRatio);
  const [p95, p95Interval] = estimateCells(result.ratios.completeP95, formatRatio);
  return [
    title,
    '',
    `Local model: first token after ${ttftMs} ms, then ${tokensPerSecond} tokens/s, ${answerTokens} tokens (the same questions and answer length both ways); ` +
      `${result.concurrency} questions in flight, warm containers (the execution function is switched between SLACK_STREAMING=true and false in ABBA blocks, ` +
      `each switch prewarmed and warmed)${result.truncated ? `; stopped by the time budget before ${result.plannedPerMode} per mode` : ''}. ` +
      'Times are from the Slack request to the stand-in recording the first visible text, and the complete answer. ' +
      'Message calls: chat.startStream + appendStream + stopStream, or chat.postMessage (reactions and history are the same both ways).',
    '',
    markdownTable(['answer', 'n', 'first text p50', 'first text p95', 'complete p50', 'complete p95', 'message calls per answer'], [row('streamed', result.streamed), row('posted whole', result.posted)]),
    '',
    `Complete answer, streamed / posted: p50 ${p50} [${p50Interval}], p95 ${p95} [${p95Interval}].`,
  ].join('\n');
}

function renderAckConcurrency(results: BenchResults): string {
  const title = '## 6. Ack under a burst (the deployed concurrency settings)';
  const result: AckConcurrencyResult | undefined = results.ackConcurrency;
  if (result === undefined) return `${title}\n\n${absent(results, 'ack-concurrency')}`;
  const reserved = (value: number | null) => (value === null ? 'unreserved' : `reserved ${value}`);
  const first = result.levels[0];
  const rows = result.levels.map((level) => {
    const others = statusCounts(level.notAcked);
    return [
      String(level.concurrency),
      sentOfPlanned(level),
      String(level.acked),
      others === '' ? '0' : others,
      formatMs(level.ackMs?.summary.median),
      formatMs(level.ackMs?.summary.p95),
      formatMs(level.ackMs?.summary.p99),
      formatMs(level.ackMs?.summary.max),
      `${level.exactlyOneReply}/${level.acked}`,
    ];
  });
  return [
    title,
    '',
    'Each level on a fresh, cold local stack with its defaults' +
      (first === undefined
        ? ''
        : ` (verification ${reserved(first.verificationReservedConcurrency)}, execution ${reserved(first.executionReservedConcurrency)}, ` +
          `at most ${first.maxContainers} containers per function on this machine)`) +
      `: N senders post signed mentions back to back, each the next as soon as its ack arrives; local model latency ${result.modelLatencyMs} ms. ` +
      'Requests beyond the container cap wait for a container, as a deployed unreserved function would scale out; only a reserved concurrency answers 429.',
    '',
    markdownTable(['concurrency', 'mentions', '200', 'not 200', 'ack p50', 'ack p95', 'ack p99', 'ack max', 'exactly one reply'], rows),
  ].join('\n');
}

/** `2×429, 1×failed`: counts by status, or `''` when there are none. */
function statusCounts(byStatus: Readonly<Record<string, number>>): string {
  return Object.entries(byStatus)
    .map(([status, count]) => `${count}×${status}`)
    .join(', ');
}

/** `100`, or `100 of 240 (time bound)` when the level stopped at its time budget. */
function sentOfPlanned(level: { readonly sent: number; readonly planned: number; readonly truncated: boolean }): string {
  return `${level.sent}${level.truncated ? ` of ${level.planned} (time bound)` : ''}`;
}

function renderIntegrity(results: BenchResults): string {
  const checks = results.integrity.map((check) => `- ${check.ok ? 'ok' : '**FAILED**'}: ${check.name}. ${check.detail}`);
  const errors = results.errors.map((error) => `- **${error.phase}** did not complete: ${error.message}`);
  const notes = results.notes.map((note) => `- ${note}`);
  return [
    '## Integrity',
    '',
    ...(checks.length > 0 ? checks : ['- (no checks ran)']),
    ...(errors.length > 0 ? ['', '### Errors', '', ...errors] : []),
    ...(notes.length > 0 ? ['', '### Notes', '', ...notes] : []),
  ].join('\n');
}
