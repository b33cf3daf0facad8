/**
 * The local stack: the whole product on loopback with no AWS account and no Slack workspace. A library first
 * (`startLocalStack`), used by `npm start`, the demo, the end-to-end tests and the benchmark and reliability suites.
 *
 * @packageDocumentation
 */
export { startLocalStack, findWorkspaceRoot, BundleNotFoundError, UnsupportedTemplateError, LOCAL_SLACK_SECRETS, ASSEMBLY_ENV, DEFAULT_ASSEMBLY_DIRECTORY } from './stack';
export type { LocalStack, LocalStackUrls, LocalStackCredentials, RedeployResult } from './stack';
export { RedeployContextError } from './redeploy';
export type { RedeployContext } from './redeploy';
export type { LocalStackOptions, FunctionOverrides, ModelStreamOptions } from './options';
export { DEFAULT_PORTS, PORT_ENV, LOCAL_ACCOUNT_ID, LOCAL_API_ID, LOCAL_TWO_ACCOUNT_API_ID, LOCAL_REGION, SLACK_IDS } from './constants';
export type { FunctionRole } from './constants';
export { LOCAL_KEYS, LOCAL_TEST_PRINCIPALS, EXECUTE_METHOD_ARN } from './iam/principals';
export type { AnyPrincipalName, LocalPrincipal, LocalPrincipals, LocalKeys, PrincipalName } from './iam/principals';
export { readCloudAssembly, readCloudAssemblyStacks, CloudAssemblyError } from './assembly/cloud-assembly';
export { planLocalDeployment } from './assembly/accounts';
export type { DeploymentAccounts, PlannedDeployment } from './assembly/accounts';
export { RedeployError, SynthesisError, synthesizeAssembly, ASSEMBLY_CACHE_DIRECTORY } from './assembly/synthesize';
export { MetricStore } from './aws/metric-store';
export type { MetricDatum, MetricStatQuery } from './aws/metric-store';
export type { AssemblyStack, CloudFormationTemplate } from './assembly/cloud-assembly';
export { planDeployment } from './assembly/deployment';
export type { LocalDeployment, DeployedFunction, DeployedRole } from './assembly/deployment';
export { TemplateResolutionError } from './assembly/intrinsics';
export { FaultController, FaultSpecError, FAULT_TARGETS } from './faults';
export type { ClockFault, FaultSpecs, FaultTarget, FunctionFault, HttpFault, SlackFault } from './faults';
export { IdleTimeoutError } from './activity';
export { LogStore } from './logs';
export type { LogEntry, LogFilter, LogStream } from './logs';
export { TraceStore, eventIdOf } from './trace';
export type { TraceEntry, InvocationTrace, ExecuteApiTrace, LambdaApiTrace, SlackDeliveryTrace, DeadLetterTrace, InvocationSource } from './trace';
export { DeadLetterStore } from './lambda/dead-letters';
export type { DeadLetterRecord } from './lambda/dead-letters';
export { DEFAULT_MAX_CONTAINERS, lambdaEnvironment } from './lambda/function';
export type { LambdaFunction, FunctionConfiguration, RuntimeWiring } from './lambda/function';
export type { SlackStandIn, DeliveryResult, UserMessageInput } from './slack/stand-in';
export type { DeliveryOptions } from './slack/events';
export { slackSignature } from './slack/events';
export { postUserMessageLikeSlack, isSlackAck, SLACK_MAX_RETRIES, type SlackDeliveries } from './slack/redelivery';
export type { BotReply, RecordedCall, SlackMessage } from './slack/workspace';
export type { SecretStore, LocalSecret } from './aws/secrets-manager';
export type { BedrockUpstream } from './aws/bedrock';
export type { AlarmStore, AlarmHistoryItem, AlarmStateValue } from './aws/cloudwatch';
export type { TopicNotification } from './aws/alarm-actions';
export { ServerStartError } from './http/server';
