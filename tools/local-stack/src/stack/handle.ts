import { LOCAL_REGION, type FunctionRole } from '../constants';
import type { LambdaFunction } from '../lambda/function';
import type { ModelStreamOptions } from '../options';
import type { SlackStandIn } from '../slack/stand-in';
import type { StackContext } from './context';
import type { Redeployer } from './redeployer';
import type { LocalStack, LocalStackUrls } from './types';

/** The running parts a {@link LocalStack} handle gives access to. */
export interface RunningParts {
  readonly urls: LocalStackUrls;
  readonly slack: SlackStandIn;
  readonly functions: Readonly<Record<FunctionRole, LambdaFunction>>;
  readonly redeployer: Redeployer;
  /** Milliseconds from the call of `startLocalStack` to ready. */
  readonly startupMs: number;
}

/**
 * The handle of a running stack: its URLs, credentials and stores, the model settings, redeploy, and `stop()`.
 */
export function localStackHandle(ctx: StackContext, { urls, slack, functions, redeployer, startupMs }: RunningParts): LocalStack {
  const { accounts, principalsByName, live, lifecycle } = ctx;
  const { deadLetters, faults, logs, trace, secrets, alarms, metrics, activity } = ctx.stores;
  return {
    urls,
    credentials: {
      region: LOCAL_REGION,
      accountId: accounts.execution,
      accounts,
      principals: principalsByName,
      slack: ctx.slackSecrets,
    },
    slack,
    deadLetters,
    faults,
    logs,
    trace,
    secrets,
    functions,
    alarms,
    metrics,
    get deployment() {
      return redeployer.deployment;
    },
    get assemblyDirectory() {
      return redeployer.assemblyDirectory;
    },
    redeployAssembly: (directory: string) => redeployer.redeployAssembly(directory),
    startupMs,
    get modelLatencyMs() {
      return live.modelLatencyMs;
    },
    set modelLatencyMs(value: number) {
      if (!Number.isFinite(value) || value < 0) throw new RangeError('modelLatencyMs must be a number >= 0');
      live.modelLatencyMs = value;
    },
    get handoff() {
      return redeployer.handoff;
    },
    redeploy: (context) => redeployer.redeploy(context),
    get modelStream() {
      return live.modelStream;
    },
    set modelStream(value: ModelStreamOptions) {
      live.modelStream = { ...value };
    },
    waitForIdle: (timeoutMs?: number) => activity.whenIdle(timeoutMs),
    stop: () => lifecycle.stop(),
  };
}
