import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildExecutionApiEvent } from '@slack-ai-app/execution-api-contract';
import { LOCAL_KEYS, LOCAL_REGION, SLACK_IDS, type LocalPrincipal, lambdaEnvironment } from '@slack-ai-app/local-stack';
import type { Budget } from '../budget';
import type { Figure, BundleSize, ColdStartResult, ColdStartVariant, ColdStartVariantId } from '../report/types';
import { netQuantile, netQuantileRatio } from '../stats/bootstrap';
import { summarize } from '../stats/quantile';
import type { BenchStack } from '../stack/bench-stack';
import { buildNaiveBundle, bundleSize, writeEmptyModule } from './artifacts';
import type { ChildJob, ChildReport } from './child-protocol';
import { runChild } from './child-process';
import { appMentionEnvelope, signedFunctionUrlEvent } from './function-url-event';
import { startHandoffStub, type HandoffStub, type StubRoute } from './handoff-stub';
import { EXECUTION_ENV, VERIFICATION_ENV } from '@slack-ai-app/stack-contract';

/** Options of {@link runColdStart}. */
export interface ColdStartOptions {
  readonly workspaceRoot: string;
  /** The built harness, `dist/tools/bench/cold-start-child.js`. */
  readonly childScript: string;
  /** A private temporary directory (bundles, job files). */
  readonly tmpDir: string;
  /** Measured rounds (each runs every variant once). */
  readonly rounds: number;
  /** Rounds run first and discarded (file cache, CPU frequency). */
  readonly warmupRounds: number;
  /** The local stack, for the execution bundle's stand-ins; without it the execution variant is skipped. */
  readonly stack: BenchStack | undefined;
  readonly budget: Budget;
  readonly seed: number;
  /** Progress lines. */
  readonly log: (line: string) => void;
}

/** What one variant's run must look like to count. */
interface Prepared {
  readonly event: unknown;
  /** Returns why the run does not count, or `undefined` when it does. */
  readonly check: (report: ChildReport) => Promise<string | undefined>;
}

interface Variant {
  readonly id: ColdStartVariantId;
  readonly label: string;
  readonly firstInvocation: string;
  readonly modulePath: string;
  readonly bundle: BundleSize;
  readonly env: Record<string, string>;
  /** The function's timeout (the context's `getRemainingTimeInMillis` counts down from it). */
  readonly timeoutMs: number;
  readonly prepare: () => Prepared;
}

interface Measurement {
  readonly loadMs: number;
  readonly invokeMs: number;
  readonly wallMs: number;
}

const SIGNING_SECRET = 'bench-signing-secret-not-a-real-secret';
/** The cold-start children's own function names (they run outside the local stack, against the hand-off stub). */
const CHILD_FUNCTION_NAMES = { verification: 'bench-cold-start-verification', execution: 'bench-cold-start-execution' } as const;
const EXECUTION_FUNCTION_ARN = `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${CHILD_FUNCTION_NAMES.execution}`;
/** The verification children's role: the local verification keys, under a role the hand-off stub knows. */
const CHILD_VERIFICATION_ROLE: LocalPrincipal = {
  ...LOCAL_KEYS.verification,
  description: 'the cold-start children\u2019s verification role',
  principalArn: 'arn:aws:iam::000000000000:role/bench-cold-start-verification-role',
  callerArn: `arn:aws:sts::000000000000:assumed-role/bench-cold-start-verification-role/${CHILD_FUNCTION_NAMES.verification}`,
  callerId: `AROABENCHCOLDSTART01:${CHILD_FUNCTION_NAMES.verification}`,
  identityPolicies: [],
};
const CHILD_TIMEOUT_MS = 30_000;
/** The functions' timeouts, as apps/infra configures them. */
const VERIFICATION_TIMEOUT_MS = 10_000;
const EXECUTION_TIMEOUT_MS = 120_000;
/** The functions' memory size, as apps/infra configures it. */
const MEMORY_MB = 512;
/** The Parameters and Secrets extension's default port (nothing listens: the children read plain secrets). */
const EXTENSION_PORT = 2773;
/** Distinct failure reasons kept per variant. */
const MAX_KEPT_FAILURES = 3;

/**
 * A child's whole environment: what the local stack gives its containers (`lambdaEnvironment`: Lambda's reserved
 * variables and the role's credentials) around the function's own variables. Of the benchmark's own environment only
 * `PATH` is passed on (so, e.g., no `NODE_OPTIONS` set by Nx).
 */
function childEnvironment(name: string, principal: LocalPrincipal, timeoutMs: number, awsEndpointUrl: string, variables: Record<string, string>): Record<string, string> {
  return lambdaEnvironment(
    { name, bundlePath: '', handler: 'handler', principal, environment: variables, memoryMb: MEMORY_MB, timeoutSeconds: timeoutMs / 1000, reservedConcurrency: 1 },
    { awsEndpointUrl, extensionPort: EXTENSION_PORT },
    'bench/[$LATEST]00000000000000000000000000000000',
  );
}

/**
 * Measures cold starts: for each variant, fresh `node` processes that load the bundle and invoke its handler once,
 * timed inside the child. Variants are interleaved round by round (the starting variant rotates), so that drift in the
 * machine's load hits all of them alike; the empty module measured in the same rounds is the baseline.
 *
 * A run counts only when its first invocation did what the variant says: the handler resolved with 200 and the
 * hand-off stub received exactly one correctly signed request on the expected route (or, for the execution bundle,
 * the Slack stand-in recorded exactly one reply in the thread, and it is the model's answer).
 *
 * @param options - paths, rounds, stack, budget
 * @returns every variant's figures and the ratios
 */
export async function runColdStart(options: ColdStartOptions): Promise<ColdStartResult> {
  const role = CHILD_VERIFICATION_ROLE;
  const stub = await startHandoffStub({
    credentials: { accessKeyId: role.accessKeyId, secretAccessKey: role.secretAccessKey, sessionToken: role.sessionToken },
    region: LOCAL_REGION,
    principalArn: role.principalArn,
  });
  try {
    const variants = await buildVariants(options, stub);
    const measurements = new Map<ColdStartVariantId, Measurement[]>(variants.map((v) => [v.id, []]));
    const failures = new Map<ColdStartVariantId, Map<string, number>>(variants.map((v) => [v.id, new Map()]));
    const failedCounts = new Map<ColdStartVariantId, number>(variants.map((v) => [v.id, 0]));
    let roundsRun = 0;
    let truncated = false;
    let job = 0;
    for (let round = 0; round < options.warmupRounds + options.rounds; round += 1) {
      if (round > options.warmupRounds && options.budget.exceeded()) {
        truncated = true;
        break;
      }
      const measured = round >= options.warmupRounds;
      const start = round % variants.length;
      const order = [...variants.slice(start), ...variants.slice(0, start)];
      for (const variant of order) {
        const prepared = variant.prepare();
        const jobPath = join(options.tmpDir, `job-${job++}.json`);
        const childJob: ChildJob = {
          modulePath: variant.modulePath,
          handlerName: 'handler',
          event: prepared.event,
          context: { awsRequestId: randomUUID(), functionName: variant.env['AWS_LAMBDA_FUNCTION_NAME'] ?? 'bench', functionVersion: '$LATEST' },
          timeoutMs: variant.timeoutMs,
        };
        writeFileSync(jobPath, JSON.stringify(childJob));
        const run = await runChild({ childScript: options.childScript, jobPath, env: variant.env, timeoutMs: CHILD_TIMEOUT_MS });
        const reason = run.ok ? await prepared.check(run.report) : run.reason;
        if (!measured) continue;
        if (reason === undefined && run.ok) {
          measurements.get(variant.id)?.push({ loadMs: run.report.loadMs, invokeMs: run.report.invokeMs ?? 0, wallMs: run.wallMs });
        } else {
          failedCounts.set(variant.id, (failedCounts.get(variant.id) ?? 0) + 1);
          const reasons = failures.get(variant.id);
          const key = reason ?? 'unknown';
          if (reasons !== undefined && (reasons.has(key) || reasons.size < MAX_KEPT_FAILURES)) reasons.set(key, (reasons.get(key) ?? 0) + 1);
        }
      }
      if (measured) roundsRun += 1;
      options.log(`cold start: round ${round + 1}/${options.warmupRounds + options.rounds}${measured ? '' : ' (warm-up)'}`);
    }
    return summarise(variants, measurements, failures, failedCounts, { roundsRun, truncated, options });
  } finally {
    await stub.close();
  }
}

async function buildVariants(options: ColdStartOptions, stub: HandoffStub): Promise<Variant[]> {
  const root = options.workspaceRoot;
  mkdirSync(options.tmpDir, { recursive: true });
  const emptyPath = writeEmptyModule(options.tmpDir);
  const naivePath = await buildNaiveBundle(root, options.tmpDir);
  const verificationPath = join(root, 'dist', 'apps', 'verification-lambda', 'main.js');
  const executionPath = join(root, 'dist', 'apps', 'execution-lambda', 'main.js');

  const verificationEnv = (useApiGateway: boolean) =>
    childEnvironment(CHILD_FUNCTION_NAMES.verification, CHILD_VERIFICATION_ROLE, VERIFICATION_TIMEOUT_MS, stub.origin, {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      [VERIFICATION_ENV.useApiGateway]: String(useApiGateway),
      [VERIFICATION_ENV.executionApiUrl]: stub.stageUrl,
      [VERIFICATION_ENV.executionApiTimeoutMs]: '2000',
      [VERIFICATION_ENV.executionFunctionArn]: EXECUTION_FUNCTION_ARN,
      ALLOWED_TEAM_IDS: SLACK_IDS.teamId,
      SLACK_BOT_USER_ID: SLACK_IDS.botUserId,
      [VERIFICATION_ENV.logLevel]: 'info',
    });
  const handoff = (expected: StubRoute | undefined) => (): Prepared => {
    stub.take();
    return {
      event: slackEvent(),
      check: async (report) => {
        const received = stub.take();
        if (!report.ok) return report.error ?? 'the handler failed';
        if (report.statusCode !== 200) return `the handler answered ${report.statusCode ?? 'no status'}, expected 200`;
        if (expected === undefined) return received.length === 0 ? undefined : `unexpected hand-off requests: ${received.length}`;
        const accepted = received.filter((r) => r.accepted && r.route === expected);
        if (accepted.length !== 1 || received.length !== 1) {
          const seen = received.map((r) => `${r.route}${r.accepted ? '' : ` rejected (${r.reason ?? ''})`}`).join(', ');
          return `expected one signed ${expected} request, the stub saw: ${seen || 'none'}`;
        }
        return undefined;
      },
    };
  };

  const variants: Variant[] = [
    {
      id: 'empty',
      label: 'empty module (baseline)',
      firstInvocation: 'returns `{ statusCode: 200 }`.',
      modulePath: emptyPath,
      bundle: bundleSize(emptyPath),
      env: verificationEnv(true),
      timeoutMs: VERIFICATION_TIMEOUT_MS,
      prepare: handoff(undefined),
    },
    {
      id: 'verification-api',
      label: 'verification, API path',
      firstInvocation:
        'a Slack-signed `app_mention` (Function URL event 2.0, secret from `SLACK_SIGNING_SECRET`), `USE_API_GATEWAY=true`: ' +
        'signature check, then a SigV4-signed `POST /prod/execute` to a loopback stub that verifies the signature and answers 202 ' +
        '(the lazy signing chunk loads here).',
      modulePath: verificationPath,
      bundle: bundleSize(verificationPath),
      env: verificationEnv(true),
      timeoutMs: VERIFICATION_TIMEOUT_MS,
      prepare: handoff('execute-api'),
    },
    {
      id: 'verification-direct',
      label: 'verification, direct path',
      firstInvocation:
        'the same request with `USE_API_GATEWAY=false`: `lambda:Invoke` (Event) through `AWS_ENDPOINT_URL` to a loopback Invoke API stub that ' +
        'verifies the signature and answers 202 (the lazy Lambda-client chunk loads here).',
      modulePath: verificationPath,
      bundle: bundleSize(verificationPath),
      env: verificationEnv(false),
      timeoutMs: VERIFICATION_TIMEOUT_MS,
      prepare: handoff('lambda-invoke'),
    },
    {
      id: 'naive',
      label: 'naive reference (eager imports)',
      firstInvocation:
        'the same request and API-path hand-off as the API path, written with `@aws-sdk/client-lambda`, `@smithy/signature-v4`, pino and full ' +
        '`zod` imported, and the Lambda client and signer built, at module scope (built by the benchmark: esbuild, node24, minified).',
      modulePath: naivePath,
      bundle: bundleSize(naivePath),
      env: verificationEnv(true),
      timeoutMs: VERIFICATION_TIMEOUT_MS,
      prepare: handoff('execute-api'),
    },
  ];
  const executionVariant = options.stack === undefined ? undefined : executionVariantFor(options.stack, executionPath);
  if (executionVariant !== undefined) variants.push(executionVariant);
  return variants;
}

function slackEvent(): unknown {
  const now = new Date();
  const ts = `${Math.floor(now.getTime() / 1000)}.000100`;
  const body = JSON.stringify(
    appMentionEnvelope({
      eventId: `EvBC${randomUUID().slice(0, 8).toUpperCase()}`,
      teamId: SLACK_IDS.teamId,
      appId: SLACK_IDS.appId,
      botUserId: SLACK_IDS.botUserId,
      channel: SLACK_IDS.channelId,
      user: SLACK_IDS.userId,
      question: 'What is SigV4?',
      ts,
      eventTime: Math.floor(now.getTime() / 1000),
    }),
  );
  return signedFunctionUrlEvent({ body, signingSecret: SIGNING_SECRET, now, requestId: randomUUID() });
}

function executionVariantFor(bench: BenchStack, modulePath: string): Variant {
  const { stack } = bench;
  const caller = stack.credentials.principals.verification;
  let counter = 0;
  return {
    id: 'execution',
    label: 'execution',
    firstInvocation:
      "an API Gateway `ExecutionApiEvent`, processed in full against the local stack's stand-ins: idempotency record in dynalite, " +
      'reactions, Converse on the local model (latency set to 0 ms for this phase), `chat.postMessage`; bot token from `SLACK_BOT_TOKEN`.',
    modulePath,
    bundle: bundleSize(modulePath),
    env: childEnvironment(CHILD_FUNCTION_NAMES.execution, stack.credentials.principals.execution, EXECUTION_TIMEOUT_MS, stack.urls.aws, {
      SLACK_BOT_TOKEN: stack.credentials.slack.botToken,
      [EXECUTION_ENV.idempotencyTableName]: stack.deployment.tables[0]?.name ?? '',
      SLACK_API_URL: stack.urls.slackApi,
      [EXECUTION_ENV.logLevel]: 'info',
    }),
    timeoutMs: EXECUTION_TIMEOUT_MS,
    prepare: () => {
      counter += 1;
      const marker = `(cold start ${counter})`;
      const question = `What is SigV4? ${marker}`;
      const message = stack.slack.workspace.postUserMessage({
        channel: SLACK_IDS.channelId,
        user: SLACK_IDS.userId,
        text: `<@${SLACK_IDS.botUserId}> ${question}`,
      });
      const eventId = `EvBX${randomUUID().slice(0, 8).toUpperCase()}`;
      const correlationId = randomUUID();
      const event = buildExecutionApiEvent({
        body: {
          channel: SLACK_IDS.channelId,
          text: question,
          user_id: SLACK_IDS.userId,
          team_id: SLACK_IDS.teamId,
          event_id: eventId,
          correlation_id: correlationId,
          message_ts: message.ts,
        },
        requestId: randomUUID(),
        correlationId,
        identity: { userArn: caller.callerArn, caller: caller.callerId, accountId: '000000000000', sourceIp: '127.0.0.1' },
      });
      return {
        event,
        check: async (report) => {
          if (!report.ok) return report.error ?? 'the handler failed';
          const replies = stack.slack.botReplies({ channel: SLACK_IDS.channelId, threadTs: message.ts });
          if (replies.length !== 1) return `expected one reply in the thread, the Slack stand-in recorded ${replies.length}`;
          // The local model echoes the question: anything else is, e.g., the function's friendly error message.
          const text = replies[0]?.text ?? '';
          return text.includes(marker) ? undefined : `the reply is not the model's answer: ${JSON.stringify(text.slice(0, 120))}`;
        },
      };
    },
  };
}

function figure(samples: readonly number[]): Figure | undefined {
  return samples.length === 0 ? undefined : { summary: summarize(samples), samples };
}

function summarise(
  variants: readonly Variant[],
  measurements: ReadonlyMap<ColdStartVariantId, Measurement[]>,
  failures: ReadonlyMap<ColdStartVariantId, ReadonlyMap<string, number>>,
  failedCounts: ReadonlyMap<ColdStartVariantId, number>,
  run: { roundsRun: number; truncated: boolean; options: ColdStartOptions },
): ColdStartResult {
  const seed = run.options.seed;
  const series = (id: ColdStartVariantId) => {
    const list = measurements.get(id) ?? [];
    return { load: list.map((m) => m.loadMs), total: list.map((m) => m.loadMs + m.invokeMs), invoke: list.map((m) => m.invokeMs), wall: list.map((m) => m.wallMs) };
  };
  const empty = series('empty');
  const result: ColdStartVariant[] = variants.map((variant) => {
    const own = series(variant.id);
    const hasNet = variant.id !== 'empty' && own.total.length > 0 && empty.total.length > 0;
    return {
      id: variant.id,
      label: variant.label,
      firstInvocation: variant.firstInvocation,
      bundle: variant.bundle,
      validRuns: own.total.length,
      failedRuns: failedCounts.get(variant.id) ?? 0,
      failures: [...(failures.get(variant.id) ?? new Map<string, number>())].map(([reason, count]) => (count > 1 ? `${reason} (${count} runs)` : reason)),
      loadMs: figure(own.load),
      firstInvocationMs: figure(own.invoke),
      totalMs: figure(own.total),
      processWallMs: figure(own.wall),
      net: hasNet
        ? {
            loadMs: netQuantile(own.load, empty.load, 0.5, { seed }),
            totalMs: netQuantile(own.total, empty.total, 0.5, { seed }),
            totalP90Ms: netQuantile(own.total, empty.total, 0.9, { seed }),
          }
        : undefined,
    };
  });
  const api = series('verification-api');
  const naive = series('naive');
  const direct = series('verification-direct');
  const ready = (...groups: number[][]) => groups.every((g) => g.length > 0);
  return {
    roundsPlanned: run.options.rounds,
    roundsRun: run.roundsRun,
    warmupRounds: run.options.warmupRounds,
    truncated: run.truncated,
    variants: result,
    ratios: {
      naiveOverApiTotal: ready(naive.total, api.total, empty.total) ? netQuantileRatio(naive.total, api.total, empty.total, 0.5, { seed }) : undefined,
      naiveOverApiLoad: ready(naive.load, api.load, empty.load) ? netQuantileRatio(naive.load, api.load, empty.load, 0.5, { seed }) : undefined,
      directOverApiTotal: ready(direct.total, api.total, empty.total) ? netQuantileRatio(direct.total, api.total, empty.total, 0.5, { seed }) : undefined,
    },
  };
}
