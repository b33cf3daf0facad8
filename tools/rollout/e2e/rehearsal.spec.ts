import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LogEvent } from '@slack-ai-app/logging';
import { LOCAL_KEYS, type LocalStack, startLocalStack } from '@slack-ai-app/local-stack';
import { DeploymentSampler, type DeploymentSample, mixedSamples } from './deployment-sampler';
import { timelinePoints, timelineSvg } from './timeline-svg';
import { checkShares, shareCheck, SteadyTraffic, type SentEvent } from './traffic';

/*
 * The migration rehearsed end to end on one machine: the built rollout CLI, unchanged, against a running local stack
 * (AWS_ENDPOINT_URL; `--deployer local` re-synthesizes the infra app with each stage's context), on a compressed clock
 * (stages of seconds, 1-second metric periods), while signed Slack events flow at a steady rate.
 */

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'dist/tools/rollout/cli.js');
const RESULTS = join(ROOT, 'tmp/rollout-e2e');

/** The compressed plan: the production gates' logic, with limits and windows sized for seconds-long stages. */
const COMPRESSED = [
  '--deployer', 'local',
  '--stages', '10:5s,50:5s,100:5s',
  '--metric-period', '1s',
  '--metrics-delay', '1s',
  '--poll-interval', '1s',
  '--max-extension', '10s',
  '--baseline-window', '5s',
  '--min-samples', '3',
  // Locally both paths are loopback calls of a few ms, so their p95 ratio is noise; the gate still runs.
  '--max-p95-ratio', '50',
  '--yes',
];

let stack: LocalStack;
let traffic: SteadyTraffic;
let sampler: DeploymentSampler;
/** The deployment before any rollout (0 %, fallback on), as the sampler read it. */
let reference: DeploymentSample;
/** The percentages a rollout (and the reset between scenarios) deploys. */
const DEPLOYED_PERCENTAGES = [0, 10, 50, 100];

function cliEnvironment(): NodeJS.ProcessEnv {
  const developer = LOCAL_KEYS.developer;
  return {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NX_WORKSPACE_ROOT: ROOT,
    AWS_ENDPOINT_URL: stack.urls.aws,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: developer.accessKeyId,
    AWS_SECRET_ACCESS_KEY: developer.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Starts the CLI; resolves with its exit code and output. */
function startCli(args: readonly string[]): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: cliEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveDone) => child.on('close', (code) => resolveDone({ code, stdout, stderr })));
  return { child, done };
}

function deployedPercentage(): string | undefined {
  return stack.functions.verification.configuration.environment['USE_API_GATEWAY_PERCENTAGE'];
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The direct path's call (an async invoke, dry run) as the verification role: 204, or the error's name. */
async function directInvokeAsVerification(): Promise<number | string> {
  const { accessKeyId, secretAccessKey, sessionToken } = stack.credentials.principals.verification;
  const credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  const lambda = new LambdaClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials, maxAttempts: 1 });
  try {
    return (await lambda.send(new InvokeCommand({ FunctionName: stack.functions.execution.name, InvocationType: 'DryRun' }))).StatusCode ?? 0;
  } catch (error) {
    return (error as Error).name;
  } finally {
    lambda.destroy();
  }
}

/** Back to the start of a migration: 0 %, fallback on, as the template deploys it. */
async function resetStack(): Promise<void> {
  await stack.redeploy({ executionApiPercentage: 0, enableDirectInvokeFallback: true });
}

/**
 * No deploy left the stack half-updated: every sample the sampler took during the scenario (while the CLI deployed
 * stage after stage) is one whole deployment. Returns the percentages the samples saw, to show they spanned the deploys.
 */
function expectWholeDeployments(scenario: string, samples: readonly DeploymentSample[]): string[] {
  writeFileSync(join(RESULTS, `${scenario}.deployment-samples.json`), JSON.stringify(samples, null, 1));
  expect(samples.length).toBeGreaterThan(0);
  expect(mixedSamples(samples, reference, DEPLOYED_PERCENTAGES)).toEqual([]);
  return [...new Set(samples.map((sample) => sample.percentage ?? ''))];
}

/** The last timeline a command printed (header to legend), written next to the results and to the e2e log. */
function printTimeline(scenario: string, output: string): string[] {
  const lines = output.split('\n');
  const start = lines.map((line) => line.trimStart().startsWith('time (UTC)')).lastIndexOf(true);
  const end = lines.findIndex((line, index) => index > start && line.trimStart().startsWith('(observed:'));
  const timeline = start < 0 || end < 0 ? [] : lines.slice(start, end + 1);
  writeFileSync(join(RESULTS, `${scenario}.timeline.txt`), `${timeline.join('\n')}\n`);
  process.stdout.write(`\n[${scenario}] ${timeline.join('\n')}\n`);
  return timeline;
}

/** A timeline row's stage and result columns, e.g. `2/3 50% passed`. */
function stageAndResult(row: string): string {
  const match = /^\s*\d\d:\d\d:\d\d\s+(\d+\/\d+ \d+%|rollback 0%)\s.*?\s((?:passed|baking|held|breach|stopped|rolled back|rolling back)(?::.*)?)$/.exec(row);
  return match ? `${match[1]} ${match[2]}` : `unparsed: ${row}`;
}

/**
 * The tool's own record of each stage that passed: the stack's configuration said the stage's percentage when its bake
 * started, and the hand-offs the tool counted by path (EMF `HandoffSuccess`/`HandoffError`/`HandoffFailed`) match it
 * within sampling error.
 */
function expectRecordedShares(stateFile: string, percentages: readonly number[]): void {
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
    completedStages: { percentage: number; deployedPercentage?: number; handoffs?: { api: number; direct: number } }[];
  };
  // At 100 % the tool's window may still count the one hand-off that was in flight when the deployment swapped (the
  // verification function hands off before it acks, and the traffic sends the next event only after the ack), routed
  // under the previous stage; the exact check per event is expectEveryEventAnsweredOnceAndSharesMatch.
  const stages = state.completedStages.map((stage) => {
    const api = stage.handoffs?.api ?? 0;
    const direct = stage.handoffs?.direct ?? 0;
    const total = api + direct;
    const ok = stage.percentage === 100 ? api > 0 && direct <= 1 : shareCheck(api, total, stage.percentage).ok;
    return { percentage: stage.percentage, deployed: stage.deployedPercentage, api, total, ok };
  });
  expect(stages.map((stage) => [stage.percentage, stage.deployed, stage.ok])).toEqual(percentages.map((p) => [p, p, true]));
}

/** What the stack recorded of an event with a refused delivery: its trace, and the log lines of each invocation. */
function refusedRecord(event: SentEvent): SentEvent & { rejections: string[]; trace: unknown[]; logs: { containerId: string; line: string }[] } {
  const trace = stack.trace.forEvent(event.eventId);
  const requestIds = new Set(trace.flatMap((entry) => (entry.kind === 'invocation' ? [entry.requestId] : [])));
  const logs = [...requestIds].flatMap((requestId) => stack.logs.entries({ requestId }));
  // Why the verification function refused each delivery (`slack_request_rejected`), e.g. `missing_secret`.
  const rejections = logs.flatMap((entry) => (entry.json?.['event'] === LogEvent.SlackRequestRejected ? [String(entry.json['reason'])] : []));
  return { ...event, rejections, trace, logs: logs.map((entry) => ({ containerId: entry.containerId, line: entry.line })) };
}

/** Every event sent in a window was acked and answered exactly once, and each path's share matches the deployment. */
async function expectEveryEventAnsweredOnceAndSharesMatch(scenario: string, events: readonly SentEvent[]): Promise<void> {
  await stack.waitForIdle(60_000);
  // Slack redelivers an event whose delivery was refused; each acked in the end. What the stack recorded of every refused
  // delivery is kept, to find out why.
  const redelivered = events.filter((e) => e.refusedDeliveries.length > 0).map((e) => refusedRecord(e));
  writeFileSync(join(RESULTS, `${scenario}.refused.json`), JSON.stringify(redelivered, null, 1));
  expect(events.filter((e) => e.status !== 200)).toEqual([]);
  // The only refusal a redelivery may fix: a fresh container that could not read the signing secret in time (the local
  // extension is served by the process that also runs the stack, the traffic and the sampler, which a loaded machine
  // can stall past the function's 2 × 1 s read budget). A refusal for any other reason (a signature, a timestamp) is a
  // defect.
  expect(redelivered.map((e) => e.rejections)).toEqual(redelivered.map((e) => e.refusedDeliveries.map(() => 'missing_secret')));
  const answers = events.map((e) => stack.slack.botReplies({ threadTs: e.threadTs }).length);
  expect(answers.filter((n) => n !== 1)).toEqual([]);
  const shares = checkShares(events, (id) => traffic.tookApi(id));
  writeFileSync(join(RESULTS, `${scenario}.shares.json`), JSON.stringify(shares, null, 1));
  expect(shares.filter((s) => !s.ok)).toEqual([]);
}

beforeAll(async () => {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  stack = await startLocalStack({ ports: { slack: 0, slackApi: 0, aws: 0 }, modelLatencyMs: 0, useApiGatewayPercentage: 'template', onInternalError: () => undefined });
  await resetStack();
  traffic = new SteadyTraffic(stack, 40);
  sampler = new DeploymentSampler(stack, LOCAL_KEYS.developer, 100);
  await waitFor(() => sampler.samples.length > 0, 'a first deployment sample');
  reference = sampler.samples[0] as DeploymentSample;
  // A full baseline window of direct-path traffic before the first run measures its baseline.
  await waitFor(() => traffic.sent.length > 0 && Date.now() - (traffic.sent[0]?.at ?? Date.now()) > 6_000, 'a baseline window of traffic');
}, 240_000);

afterAll(async () => {
  await traffic?.stop();
  await sampler?.stop();
  if (traffic !== undefined) {
    writeFileSync(join(RESULTS, 'events.json'), JSON.stringify(traffic.sent, null, 1));
    const got5xx = (id: string) => stack.trace.forEvent(id).some((e) => e.kind === 'execute_api' && typeof e.status === 'number' && e.status >= 500);
    writeFileSync(join(RESULTS, 'timeline.svg'), timelineSvg(timelinePoints(traffic.sent, (id) => traffic.tookApi(id), got5xx)));
  }
  await stack?.stop();
}, 60_000);

describe('rollout against the local stack', () => {
  it('reaches 100 % with every gate green, and cleanup removes the fallback (no EXECUTION_FUNCTION_ARN nor its alias BEDROCK_PROCESSOR_ARN, no invoke grant)', async () => {
    const from = traffic.sent.length;
    const fromSample = sampler.samples.length;
    const run = await startCli(['run', ...COMPRESSED, '--state-file', join(RESULTS, 'green.json')]).done;
    writeFileSync(join(RESULTS, 'green.run.txt'), run.stdout + run.stderr);
    expect([run.code, deployedPercentage()]).toEqual([0, '100']);
    expect(printTimeline('green', run.stdout).slice(1, -1).map(stageAndResult)).toEqual([
      '1/3 10% passed',
      '2/3 50% passed',
      '3/3 100% passed',
    ]);
    expectRecordedShares(join(RESULTS, 'green.json'), [10, 50, 100]);
    const cleanup = await startCli(['cleanup', '--deployer', 'local', '--yes', '--state-file', join(RESULTS, 'green.json')]).done;
    writeFileSync(join(RESULTS, 'green.cleanup.txt'), cleanup.stdout + cleanup.stderr);
    expect(cleanup.code).toBe(0);
    expect(stack.functions.verification.configuration.environment['BEDROCK_PROCESSOR_ARN']).toBeUndefined();
    expect(stack.functions.verification.configuration.environment['EXECUTION_FUNCTION_ARN']).toBeUndefined();
    expect(await directInvokeAsVerification()).toBe('AccessDeniedException');
    await waitFor(() => sampler.samples.at(-1)?.invokeGranted === false, 'a sample of the cleaned-up deployment');
    // The samples spanned every deploy of the run and the cleanup, and each was one whole deployment.
    const samples = sampler.samples.slice(fromSample);
    expect(expectWholeDeployments('green', samples)).toEqual(expect.arrayContaining(['10', '50', '100']));
    expect(samples.some((sample) => !sample.fallbackArnSet)).toBe(true);
    await expectEveryEventAnsweredOnceAndSharesMatch('green', traffic.sent.slice(from));
  }, 300_000);

  it('rolls back to 0 % by itself when execute-api answers 5xx during the 50 % stage, and status shows why', async () => {
    await resetStack();
    const from = traffic.sent.length;
    const fromSample = sampler.samples.length;
    const cli = startCli(['run', ...COMPRESSED, '--state-file', join(RESULTS, 'fault.json')]);
    await waitFor(() => deployedPercentage() === '50', 'the 50 % stage');
    stack.faults.set('executeApi', { mode: 'status', status: 500 });
    const run = await cli.done;
    stack.faults.clear('executeApi');
    writeFileSync(join(RESULTS, 'fault.run.txt'), run.stdout + run.stderr);
    expect([run.code, deployedPercentage()]).toEqual([3, '0']);
    const status = await startCli(['status', '--metric-period', '1s', '--state-file', join(RESULTS, 'fault.json')]).done;
    writeFileSync(join(RESULTS, 'fault.status.txt'), status.stdout + status.stderr);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/rolled[ _]back/);
    expect(status.stdout).toMatch(/5XX/);
    // status shows the timeline: 10 % passed, 50 % breached on the 5XX rate (✗), then the rollback with its reason.
    const rows = printTimeline('fault', status.stdout).slice(1, -1);
    expect(rows.map(stageAndResult)).toEqual([
      '1/3 10% passed',
      '2/3 50% breach',
      expect.stringMatching(/^rollback 0% rolled back: stage 2\/3 \(50 %\): 5XX rate/),
    ]);
    // The breached row shows the 5XX rate against its limit, failed.
    expect(rows[1]).toMatch(/ 100% > 0\.1% ✗ /);
    expectRecordedShares(join(RESULTS, 'fault.json'), [10]);
    await waitFor(() => sampler.samples.at(-1)?.percentage === '0', 'a sample of the rolled-back deployment');
    expect(expectWholeDeployments('fault', sampler.samples.slice(fromSample))).toEqual(expect.arrayContaining(['0', '10', '50']));
    await expectEveryEventAnsweredOnceAndSharesMatch('fault', traffic.sent.slice(from));
  }, 300_000);

  it('killed in the middle of a bake, resumes where it stopped when run again', async () => {
    await resetStack();
    const from = traffic.sent.length;
    const state = join(RESULTS, 'resume.json');
    const fromSample = sampler.samples.length;
    const first = startCli(['run', ...COMPRESSED, '--state-file', state]);
    await waitFor(() => deployedPercentage() === '50', 'the 50 % stage');
    await new Promise((r) => setTimeout(r, 1_500));
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.code).toBeNull();
    const killedAt = traffic.sent.length;
    const second = await startCli(['run', ...COMPRESSED, '--state-file', state]).done;
    writeFileSync(join(RESULTS, 'resume.run.txt'), killed.stdout + '\n--- killed ---\n' + second.stdout + second.stderr);
    expect([second.code, deployedPercentage()]).toEqual([0, '100']);
    // Resumed at the 50 % stage: the second run never deployed 10 % (nor went back to 0 %).
    const afterKill = new Set(traffic.sent.slice(killedAt).map((e) => e.deployedPercentage));
    expect([...afterKill].filter((p) => p !== 50 && p !== 100)).toEqual([]);
    expect(printTimeline('resume', second.stdout).slice(1, -1).map(stageAndResult)).toEqual([
      '1/3 10% passed',
      '2/3 50% passed',
      '3/3 100% passed',
    ]);
    expectRecordedShares(state, [10, 50, 100]);
    expect(expectWholeDeployments('resume', sampler.samples.slice(fromSample))).toEqual(expect.arrayContaining(['10', '50', '100']));
    await expectEveryEventAnsweredOnceAndSharesMatch('resume', traffic.sent.slice(from));
  }, 300_000);
});
