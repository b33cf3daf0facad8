import type { DeploymentAccounts } from '../assembly/accounts';
import type { LocalDeployment } from '../assembly/deployment';
import type { AlarmStore } from '../aws/cloudwatch';
import type { MetricStore } from '../aws/metric-store';
import type { SecretStore } from '../aws/secrets-manager';
import type { FunctionRole } from '../constants';
import type { FaultController } from '../faults';
import type { LocalPrincipals } from '../iam/principals';
import type { DeadLetterStore } from '../lambda/dead-letters';
import type { LambdaFunction } from '../lambda/function';
import type { LogStore } from '../logs';
import type { ModelStreamOptions } from '../options';
import type { RedeployContext } from '../redeploy';
import type { SlackStandIn } from '../slack/stand-in';
import type { TraceStore } from '../trace';

/** Every URL of a running stack. */
export interface LocalStackUrls {
  /** The Slack ingress: the verification function's local Function URL, `…/slack/events`. */
  readonly slackEvents: string;
  /** The Slack Web API stand-in base URL (`SLACK_API_URL`), `…/api/`. */
  readonly slackApi: string;
  /** The local AWS endpoint (`AWS_ENDPOINT_URL`). */
  readonly aws: string;
  /** The execution API's stage URL (`EXECUTION_API_URL`), `…/prod`. */
  readonly executionApiStage: string;
  /** `POST …/prod/execute` */
  readonly executeApi: string;
  /** `GET` the dead-letter store. */
  readonly deadLetters: string;
  /** `GET` the Slack stand-in's recorded calls. */
  readonly slackCalls: string;
}

/** The credentials of a running stack (local values; a real secret passed in options is never printed by the CLI). */
export interface LocalStackCredentials {
  readonly region: string;
  /** The execution API's account (the only account in the one-account layout). */
  readonly accountId: string;
  /** The verification function's and the execution API's accounts; `crossAccount` in the two-account layout (always set by `startLocalStack`). */
  readonly accounts?: DeploymentAccounts;
  readonly principals: LocalPrincipals;
  readonly slack: {
    readonly signingSecret: string;
    readonly botToken: string;
    readonly signingSecretArn: string;
    readonly botTokenArn: string;
    /** The secrets' names (from the template). */
    readonly signingSecretName: string;
    readonly botTokenName: string;
  };
}

/** A running local stack. */
export interface LocalStack {
  readonly urls: LocalStackUrls;
  readonly credentials: LocalStackCredentials;
  /** Slack: the Web API stand-in's recorded calls and workspace, and the event sender. */
  readonly slack: SlackStandIn;
  /** Async events whose retries were exhausted (on-failure destination records). */
  readonly deadLetters: DeadLetterStore;
  /** Fault injection. */
  readonly faults: FaultController;
  /** Every log line the Lambda runtimes wrote. */
  readonly logs: LogStore;
  /** What crossed each boundary, by Slack `event_id`. */
  readonly trace: TraceStore;
  /** The secrets served by Secrets Manager and the extensions (`put` rotates one). */
  readonly secrets: SecretStore;
  /** The two functions (configuration updates, prewarming, container counts). */
  readonly functions: Readonly<Record<FunctionRole, LambdaFunction>>;
  /** The template's CloudWatch alarms: state, history, and what their actions published. */
  readonly alarms: AlarmStore;
  /** The local CloudWatch metrics: the functions' EMF data and API Gateway's own, as `GetMetricData` reads them. */
  readonly metrics: MetricStore;
  /** What was deployed from the cloud assembly: every resource, and the ones with no local counterpart. */
  readonly deployment: LocalDeployment;
  /** The cloud assembly it was deployed from. */
  readonly assemblyDirectory: string;
  /** Milliseconds from the call of `startLocalStack` to ready. */
  readonly startupMs: number;
  /** The local model's latency, in ms (read and write). */
  modelLatencyMs: number;
  /** The hand-off settings last deployed (at start, then by {@link LocalStack.redeploy}). */
  readonly handoff: RedeployContext;
  /**
   * Redeploys the running stack with a new context, as `cdk deploy -c …` would: the infra app is re-synthesized with the
   * context merged over the last one deployed (cached by context), the whole new assembly is validated, then every
   * function whose template changed gets its new configuration, and the function and role policies are swapped, all in
   * one event-loop turn (in-flight invocations finish on the old configuration). Nothing changes when validation fails.
   *
   * @param context - the keys to change; the others keep their deployed values
   * @returns the hand-off now deployed
   * @throws RedeployContextError for a bad value; SynthesisError when the synth fails; RedeployError when the new
   *   assembly cannot replace the running one
   */
  redeploy(context: Partial<RedeployContext>): Promise<RedeployContext>;
  /** How the local model streams (ConverseStream): time to first token, tokens per second, answer length. */
  modelStream: ModelStreamOptions;
  /** {@link redeploy} from an assembly directory already synthesized. */
  redeployAssembly(assemblyDirectory: string): Promise<RedeployResult>;
  /**
   * Resolves once nothing is in flight (requests, invocations, retries) for a few event-loop turns.
   *
   * @throws IdleTimeoutError after `timeoutMs`
   */
  waitForIdle(timeoutMs?: number): Promise<void>;
  /** Stops everything: workers terminated, servers closed, dynalite stopped. Safe to call twice. */
  stop(): Promise<void>;
}

/** What a redeploy did. */
export interface RedeployResult {
  /** The assembly now deployed. */
  readonly assemblyDirectory: string;
  /** The context it was synthesized with. */
  readonly context: Readonly<Record<string, string>>;
  /** The functions whose configuration changed. */
  readonly updatedFunctions: readonly string[];
}

