import { parseArgs } from 'node:util';
import { parseDuration } from './duration';
import { UsageError } from './errors';
import { type GateThresholds, parseNonNegative, parseRate, parseStages, type PlanOverrides } from './plan';

/** The commands. */
export const COMMANDS = ['status', 'plan', 'run', 'rollback', 'cleanup', 'check-auth', 'help'] as const;

/** One of {@link COMMANDS}. */
export type Command = (typeof COMMANDS)[number];

/** The stack the infra app deploys. */
export const DEFAULT_STACK = 'SlackBedrockStack';

/** Parsed command line. */
export interface CliOptions {
  /** The command to run. */
  readonly command: Command;
  /** `--stack`. */
  readonly stack: string;
  /** `--region`, for the SDK clients and the deploy. */
  readonly region: string | undefined;
  /** `--profile`, for the SDK clients, the deploy and check-auth's credentials. */
  readonly profile: string | undefined;
  /**
   * `--api-profile`: the execution account's profile, for the execution API's metrics when the API is in another
   * account than the stack read (the two-account layout). Undefined: the same clients as the stack.
   */
  readonly apiProfile: string | undefined;
  /** `--api-region`: the execution API's Region for its metrics, when it differs (the two-account layout). */
  readonly apiRegion: string | undefined;
  /** Explicit `--state-file`; undefined means the default `.rollout/state.<stack>.json` in the workspace. */
  readonly stateFile: string | undefined;
  /** Plan parts given as flags. */
  readonly overrides: PlanOverrides;
  /** `--poll-interval`. */
  readonly pollIntervalMs: number;
  /** `--json`: machine output. */
  readonly json: boolean;
  /** `--dry-run`: change nothing. */
  readonly dryRun: boolean;
  /** `--yes`: no confirmation. */
  readonly yes: boolean;
  /** `--restart`: start a new run at the first stage. */
  readonly restart: boolean;
  /** `rollback --reason`. */
  readonly reason: string | undefined;
  /** `--rollback-attempts`. */
  readonly rollbackAttempts: number;
  /** `--rollback-retry-delay`. */
  readonly rollbackRetryDelayMs: number;
  /** Overrides the `ExecutionApiName` output. */
  readonly apiName: string | undefined;
  /** Overrides the `VerificationFunctionName` output. */
  readonly functionName: string | undefined;
  /** Overrides the `ExecutionApiUrl` output (check-auth). */
  readonly apiUrl: string | undefined;
  /** check-auth timeout per request. */
  readonly timeoutMs: number;
}

/** The usage text printed by `help` and on usage errors. */
export const USAGE = `Usage: nx run rollout:<command> -- [flags]     (or: node dist/tools/rollout/cli.js <command> [flags])

Commands:
  status       deployed flag, percentage and fallback; last hour's API count, 4XX, 5XX, p95 per path, fallbacks, gates
  plan         the stages, bake times and gates a run would use
  run          advance stage by stage through the infra deploy; bake; gate; roll back to 0 % on a breach (resumable)
  rollback     deploy 0 % now (fallback on)
  cleanup      after 100 % baked green: deploy without the direct-invoke fallback
  check-auth   unsigned and caller-signed POST /execute must both get 403

Flags:
  --stack NAME              stack (default ${DEFAULT_STACK})
  --region REGION           AWS region for the SDK and the deploy
  --profile NAME            AWS profile for the SDK and the deploy
  --api-profile NAME        two accounts: the execution account's profile, for the API's metrics (status, run)
  --api-region REGION       two accounts: the execution API's Region, when it differs
  --state-file PATH         rollout state (default .rollout/state.<stack>.json in the workspace)
  --stages LIST             e.g. "10:1h,50:1h,100:24h" (the default)
  --max-auth-errors N       API-path 403s allowed per stage (default 0)
  --max-5xx-rate P%         5XXError / Count (default 0.1%)
  --max-fallback-rate P%    fallbacks / API-path hand-offs (default 0.1%)
  --max-p95-ratio X         API-path p95 / direct-path p95 (default 1.05)
  --min-samples N           samples a gate needs to count (default 20)
  --metrics-delay DUR       wait after a bake for CloudWatch (default 3m)
  --max-extension DUR       wait for samples after a bake before holding (default 1h)
  --baseline-window DUR     direct-path p95 baseline window before the run (default 24h)
  --no-early-abort          judge breaches only at the end of a bake
  --poll-interval DUR       how often a bake reads the metrics (default 1m)
  --context KEY=VALUE       extra CDK context for every deploy (repeatable)
  --cdk-arg=ARG             extra cdk deploy argument (repeatable; use = for values starting with -)
  --api-name NAME           execution API name (default: stack output ExecutionApiName)
  --function-name NAME      verification function (default: stack output VerificationFunctionName)
  --api-url URL             execution API URL for check-auth (default: stack output ExecutionApiUrl)
  --timeout DUR             check-auth timeout per request (default 10s)
  --reason TEXT             rollback: why (recorded)
  --rollback-attempts N     deploy attempts of a rollback (default 5)
  --rollback-retry-delay D  wait between them (default 1m)
  --restart                 run: start again at the first stage after a rollback or a finished run
  --json                    machine output: one JSON object per line
  --dry-run                 change nothing: print the deploy commands and checks instead
  --yes                     do not ask for confirmation
  --help

Exit codes: 0 done; 1 error or refused; 2 usage; 3 gate breach (rolled back) or check-auth FAIL; 4 held (too few samples).`;

const FLAGS = {
  stack: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  'api-profile': { type: 'string' },
  'api-region': { type: 'string' },
  'state-file': { type: 'string' },
  stages: { type: 'string' },
  'max-auth-errors': { type: 'string' },
  'max-5xx-rate': { type: 'string' },
  'max-fallback-rate': { type: 'string' },
  'max-p95-ratio': { type: 'string' },
  'min-samples': { type: 'string' },
  'metrics-delay': { type: 'string' },
  'max-extension': { type: 'string' },
  'baseline-window': { type: 'string' },
  'no-early-abort': { type: 'boolean' },
  'poll-interval': { type: 'string' },
  context: { type: 'string', multiple: true },
  'cdk-arg': { type: 'string', multiple: true },
  'api-name': { type: 'string' },
  'function-name': { type: 'string' },
  'api-url': { type: 'string' },
  timeout: { type: 'string' },
  reason: { type: 'string' },
  'rollback-attempts': { type: 'string' },
  'rollback-retry-delay': { type: 'string' },
  restart: { type: 'boolean' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

function parseContext(entries: readonly string[] | undefined): Record<string, string> | undefined {
  if (entries === undefined) return undefined;
  const context: Record<string, string> = {};
  for (const entry of entries) {
    const match = /^([A-Za-z0-9_.:-]+)=(.*)$/s.exec(entry);
    if (!match) throw new UsageError(`--context: "${entry}" is not KEY=VALUE`);
    context[match[1] as string] = match[2] as string;
  }
  return context;
}

/**
 * Parses the command line.
 *
 * @param argv - the arguments after the script, e.g. `['run', '--stack', 'SlackBedrockStack', '--yes']`
 * @returns the options
 * @throws UsageError for an unknown command or flag, or an invalid value
 */
export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const { values, positionals } = parsed;
  const commandText = values.help ? 'help' : (positionals[0] ?? 'help');
  if (!(COMMANDS as readonly string[]).includes(commandText)) {
    throw new UsageError(`unknown command "${commandText}"; use one of ${COMMANDS.join(', ')}`);
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);

  const gates: { -readonly [K in keyof GateThresholds]?: GateThresholds[K] } = {};
  if (values['max-auth-errors'] !== undefined) {
    gates.maxAuthErrors = parseNonNegative(values['max-auth-errors'], '--max-auth-errors', true);
  }
  if (values['max-5xx-rate'] !== undefined) gates.max5xxRate = parseRate(values['max-5xx-rate'], '--max-5xx-rate');
  if (values['max-fallback-rate'] !== undefined) {
    gates.maxFallbackRate = parseRate(values['max-fallback-rate'], '--max-fallback-rate');
  }
  if (values['max-p95-ratio'] !== undefined) gates.maxP95Ratio = parseNonNegative(values['max-p95-ratio'], '--max-p95-ratio');
  if (values['min-samples'] !== undefined) gates.minSamples = parseNonNegative(values['min-samples'], '--min-samples', true);

  const context = parseContext(values.context);
  const deploy =
    context !== undefined || values['cdk-arg'] !== undefined
      ? { ...(context ? { context } : {}), ...(values['cdk-arg'] ? { args: values['cdk-arg'] } : {}) }
      : undefined;
  const duration = (flag: keyof typeof FLAGS): number | undefined => {
    const text = values[flag];
    return typeof text === 'string' ? parseDuration(text, `--${flag}`) : undefined;
  };
  const overrides: PlanOverrides = {
    ...(values.stages !== undefined ? { stages: parseStages(values.stages) } : {}),
    ...(Object.keys(gates).length > 0 ? { gates } : {}),
    ...(values['metrics-delay'] !== undefined ? { metricsDelayMs: duration('metrics-delay') } : {}),
    ...(values['max-extension'] !== undefined ? { maxExtensionMs: duration('max-extension') } : {}),
    ...(values['baseline-window'] !== undefined ? { baselineWindowMs: duration('baseline-window') } : {}),
    ...(values['no-early-abort'] ? { earlyAbort: false } : {}),
    ...(deploy ? { deploy } : {}),
  };
  const pollIntervalMs = duration('poll-interval') ?? 60_000;
  if (pollIntervalMs < 1_000) throw new UsageError('--poll-interval must be at least 1s');
  const rollbackAttempts =
    values['rollback-attempts'] === undefined ? 5 : parseNonNegative(values['rollback-attempts'], '--rollback-attempts', true);
  if (rollbackAttempts < 1) throw new UsageError('--rollback-attempts must be at least 1');

  const stack = values.stack ?? DEFAULT_STACK;
  // CloudFormation's rule for stack names; it also keeps the default state file name a plain file name.
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stack)) throw new UsageError(`--stack: "${stack}" is not a CloudFormation stack name`);

  return {
    command: commandText as Command,
    stack,
    region: values.region,
    profile: values.profile,
    apiProfile: values['api-profile'],
    apiRegion: values['api-region'],
    stateFile: values['state-file'],
    overrides,
    pollIntervalMs,
    json: values.json ?? false,
    dryRun: values['dry-run'] ?? false,
    yes: values.yes ?? false,
    restart: values.restart ?? false,
    reason: values.reason,
    rollbackAttempts,
    rollbackRetryDelayMs: duration('rollback-retry-delay') ?? 60_000,
    apiName: values['api-name'],
    functionName: values['function-name'],
    apiUrl: values['api-url'],
    timeoutMs: duration('timeout') ?? 10_000,
  };
}
