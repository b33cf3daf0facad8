import type { PolicyDocument } from '@slack-ai-app/aws-emulation';
import { ActivityTracker } from '../activity';
import type { DeploymentAccounts } from '../assembly/accounts';
import type { LocalDeployment } from '../assembly/deployment';
import { AlarmStore } from '../aws/cloudwatch';
import { MetricStore, emfDatums } from '../aws/metric-store';
import { SecretStore } from '../aws/secrets-manager';
import { LocalQueue, type QueueAuthorizer } from '../aws/sqs';
import { FaultController } from '../faults';
import { authorizeCaller } from '../iam/authorization';
import type { PrincipalDirectory, LocalPrincipals } from '../iam/principals';
import { DeadLetterStore } from '../lambda/dead-letters';
import { LogStore } from '../logs';
import type { LocalStackOptions, ModelStreamOptions } from '../options';
import { TraceStore } from '../trace';
import type { StackLifecycle } from './lifecycle';
import type { SlackSecrets } from './slack-secrets';
import type { SystemWiring } from './system-wiring';

/** The stores the emulated services share: what a running stack records and serves. */
export interface StackStores {
  readonly activity: ActivityTracker;
  readonly logs: LogStore;
  readonly trace: TraceStore;
  readonly deadLetters: DeadLetterStore;
  readonly queues: readonly LocalQueue[];
  readonly authorizeQueue: QueueAuthorizer;
  readonly faults: FaultController;
  readonly secrets: SecretStore;
  readonly alarms: AlarmStore;
  readonly metrics: MetricStore;
}

/**
 * Creates the stores of a deployment: its queues and alarms, and the metrics the functions' EMF lines become.
 *
 * @param options - `onLog` subscribes to the functions' log lines
 */
export function createStores(deployment: LocalDeployment, accounts: DeploymentAccounts, options: LocalStackOptions, now: () => Date): StackStores {
  const logs = new LogStore();
  const queues = deployment.queues.map((queue) => new LocalQueue(queue, now));
  const authorizeQueue: QueueAuthorizer = (principal, action, queue) => authorizeCaller(principal, action, queue.arn, queue.policy);
  const alarms = new AlarmStore(deployment.alarms, { topics: deployment.topics, keys: deployment.keys, accountId: accounts.execution }, now);
  if (options.onLog !== undefined) logs.subscribe(options.onLog);
  // The functions' EMF lines become metrics, as CloudWatch Logs extracts them.
  const metrics = new MetricStore();
  logs.subscribe((entry) => {
    if (entry.json !== undefined) metrics.put(emfDatums(entry.json));
  });
  return {
    activity: new ActivityTracker(),
    logs,
    trace: new TraceStore(),
    deadLetters: new DeadLetterStore(),
    queues,
    authorizeQueue,
    faults: new FaultController(),
    secrets: new SecretStore(now),
    alarms,
    metrics,
  };
}

/** What a running stack changes while it runs: the model's settings, and the policies a redeploy swaps. */
export interface LiveSettings {
  modelLatencyMs: number;
  modelStream: ModelStreamOptions;
  /** Whether API Gateway's Lambda permission lets it invoke the execution function (decided once per deployment). */
  integrationPermitted: boolean;
  /** Each function's resource policy, by function ARN. */
  functionPolicies: Map<string, PolicyDocument>;
}

/** Everything the parts of a starting stack share. */
export interface StackContext {
  readonly options: LocalStackOptions;
  readonly now: () => Date;
  readonly root: string;
  /** The deployment the stack started with (a redeploy swaps configuration only). */
  readonly deployment: LocalDeployment;
  readonly accounts: DeploymentAccounts;
  readonly wiring: SystemWiring;
  /** The principals by name (shared with the functions' configurations; a redeploy updates them in place). */
  readonly principalsByName: LocalPrincipals;
  readonly principals: PrincipalDirectory;
  readonly stores: StackStores;
  readonly slackSecrets: SlackSecrets;
  /** The execute-api ARN prefix of the API, and the ARN of the method that hands off. */
  readonly apiArnPrefix: string;
  readonly executeMethodArn: string;
  readonly live: LiveSettings;
  readonly lifecycle: StackLifecycle;
}
