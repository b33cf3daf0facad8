import { expandExecuteApiShorthand } from '@slack-ai-app/aws-emulation';
import { CROSS_ACCOUNT_STACKS, EXECUTION_API_ID_OUTPUT, STACK_OUTPUTS } from '@slack-ai-app/stack-contract';
import { createExecuteApiHandler } from '../apigw/execute-api';
import { createBedrockHandler } from '../aws/bedrock';
import { createCloudWatchHandler } from '../aws/cloudwatch';
import { startLocalDynamo, type LocalDynamo } from '../aws/dynamodb';
import { createAwsEndpointHandler } from '../aws/endpoint';
import { createLambdaApiHandler } from '../aws/lambda-api';
import { createFunctionConfigurationRoute } from '../aws/lambda-configuration';
import { apiGatewayDatums } from '../aws/metric-store';
import { createReadOnlyRoutes } from '../aws/read-only-routes';
import { createSecretsManagerHandler } from '../aws/secrets-manager';
import { withBedrockIam, withDynamoDbIam, type ActionAuthorizer } from '../aws/service-iam';
import { createSqsHandler } from '../aws/sqs';
import { DEFAULT_PORTS, LOCAL_ACCOUNT_ID, LOCAL_API_ID, LOCAL_REGION, type FunctionRole } from '../constants';
import type { LocalHttpServer } from '../http/server';
import { authorizeCaller } from '../iam/authorization';
import type { LocalPrincipal } from '../iam/principals';
import type { FunctionRegistry } from '../lambda/registry';
import { createLocalRoutes } from '../local-routes';
import type { StackContext } from './context';
import { UnsupportedTemplateError } from './system-wiring';
import type { LocalStackUrls, RedeployResult } from './types';

/**
 * Starts the local AWS endpoint (execute-api, Lambda, Bedrock, DynamoDB, CloudWatch, SQS, Secrets Manager, the
 * read-only calls and the `/_local/*` routes) and the local DynamoDB behind it. Handlers reach the functions at
 * request time, through the registry.
 *
 * @param urls - the stack's URLs, known once every server listens
 * @param redeploy - `POST /_local/deployments`
 * @throws UnsupportedTemplateError for a table with a sort key
 */
export async function startAwsEndpoint(
  ctx: StackContext,
  registry: FunctionRegistry,
  urls: () => LocalStackUrls,
  redeploy: (body: unknown) => Promise<RedeployResult>,
): Promise<LocalHttpServer> {
  const { options, now, deployment, accounts, wiring, principals, principalsByName, apiArnPrefix, executeMethodArn, live, lifecycle } = ctx;
  const { activity, logs, trace, deadLetters, queues, authorizeQueue, faults, secrets, alarms, metrics } = ctx.stores;
  const { signingSecretArn, botTokenArn } = ctx.slackSecrets;
  const dynamo: LocalDynamo = await startLocalDynamo({
    faults,
    tables: deployment.tables.map((table) => {
      if (table.sortKey !== undefined) throw new UnsupportedTemplateError(`table ${table.logicalId}: sort keys are not emulated`);
      return { name: table.name, partitionKey: table.partitionKey, ...(table.ttlAttribute !== undefined ? { ttlAttribute: table.ttlAttribute } : {}) };
    }),
  });
  lifecycle.onStop(() => dynamo.close());
  const registered = (role: FunctionRole) => {
    const lookup = registry.resolve(wiring.functions[role].name);
    if (!lookup.ok) throw new Error(`the ${role} function is not registered`);
    return lookup.entry;
  };
  const { method, stage } = wiring;
  // DynamoDB and Bedrock have no resource policy in the template: the caller's identity policies decide.
  // A table or inference profile named without an ARN is the caller's account's: the execution account's here.
  const placement = { region: LOCAL_REGION, accountId: accounts.execution };
  const authorizeIdentity: ActionAuthorizer = (principal, action, resource, context) => authorizeCaller(principal, action, resource, undefined, context);

  // Handlers reach the functions at request time; the server answers 503 until the stack is ready.
  return lifecycle.serve(
    'aws',
    options.ports?.aws ?? DEFAULT_PORTS.aws,
    createAwsEndpointHandler({
      now,
      principals,
      executeApi: createExecuteApiHandler({
        // The API's resource policy as the template deploys it.
        resourcePolicy: deployment.restApi?.policy === undefined ? undefined : expandExecuteApiShorthand(deployment.restApi.policy, apiArnPrefix),
        methodArn: executeMethodArn,
        route: { stage, method: method.httpMethod, path: method.path.slice(1) },
        principals,
        integrationPermitted: () => live.integrationPermitted,
        requestSchema: wiring.requestSchema,
        invokeAsync: (event) => registered('execution').async.enqueue(event, 'execute_api'),
        faults,
        trace,
        now,
        onAnswered: ({ status, latencyMs, integrationLatencyMs }) =>
          metrics.put(apiGatewayDatums({ apiName: deployment.restApi?.name ?? LOCAL_API_ID, stage, status, latencyMs, integrationLatencyMs, at: now() })),
      }),
      services: {
        lambda: {
          protocol: 'rest-json',
          handle: createLambdaApiHandler({
            functions: registry,
            faults,
            trace,
            logs,
            now,
            authorizeInvoke: (principal, functionArn) => authorizeCaller(principal, 'lambda:InvokeFunction', functionArn, live.functionPolicies.get(functionArn)),
          }),
        },
        bedrock: {
          protocol: 'rest-json',
          handle: withBedrockIam(createBedrockHandler({
            latencyMs: () => live.modelLatencyMs,
            stream: () => ({ ...live.modelStream, ttftMs: live.modelStream.ttftMs ?? live.modelLatencyMs, tokensPerSecond: live.modelStream.tokensPerSecond ?? 0 }),
            faults,
            signal: lifecycle.stopping.signal,
            ...(options.bedrockUpstream !== undefined ? { upstream: options.bedrockUpstream } : {}),
          }), placement, authorizeIdentity),
        },
        dynamodb: { protocol: 'aws-json', handle: withDynamoDbIam(dynamo.handler, placement, authorizeIdentity) },
        monitoring: { protocol: 'aws-json', handle: createCloudWatchHandler(alarms, metrics) },
        sqs: { protocol: 'aws-json', handle: createSqsHandler({ queues, authorize: authorizeQueue }) },
        secretsmanager: {
          protocol: 'aws-json',
          handle: createSecretsManagerHandler(secrets, faults, (principal, action, secretArn) =>
            authorizeCaller(principal, action, secretArn, deployment.secrets.find((s) => s.arn === secretArn)?.resourcePolicy),
          ),
        },
      },
      // Lambda's GetFunctionConfiguration (tools/rollout), and the read-only calls of tools/preflight; the app stack's
      // outputs are what this stack serves.
      routes: [
        createFunctionConfigurationRoute(registry),
        ...createReadOnlyRoutes({
          region: LOCAL_REGION,
          deployedAt: now(),
          authorize: authorizeCaller,
          appStackOutputs: () => ({
            [STACK_OUTPUTS.slackEventsUrl]: urls().slackEvents,
            [STACK_OUTPUTS.executionApiUrl]: `${urls().executionApiStage}/`,
            [STACK_OUTPUTS.executionApiName]: deployment.restApi?.name ?? LOCAL_API_ID,
            [STACK_OUTPUTS.verificationFunctionName]: wiring.functions.verification.name,
            [STACK_OUTPUTS.signingSecretArn]: signingSecretArn,
            [STACK_OUTPUTS.botTokenSecretArn]: botTokenArn,
          }),
          // The two-account layout: each stack with the outputs its template declares (apps/infra).
          ...(accounts.crossAccount
            ? {
                appStacks: () => ({
                  [CROSS_ACCOUNT_STACKS.execution]: {
                    [EXECUTION_API_ID_OUTPUT]: deployment.restApi?.id ?? LOCAL_API_ID,
                    [STACK_OUTPUTS.executionApiUrl]: `${urls().executionApiStage}/`,
                    [STACK_OUTPUTS.executionApiName]: deployment.restApi?.name ?? '',
                    [STACK_OUTPUTS.botTokenSecretArn]: botTokenArn,
                  },
                  [CROSS_ACCOUNT_STACKS.verification]: {
                    [STACK_OUTPUTS.slackEventsUrl]: urls().slackEvents,
                    [STACK_OUTPUTS.executionApiUrl]: `${urls().executionApiStage}/`,
                    [STACK_OUTPUTS.verificationFunctionName]: wiring.functions.verification.name,
                    [STACK_OUTPUTS.signingSecretArn]: signingSecretArn,
                  },
                }),
              }
            : {}),
        }),
      ],
      local: createLocalRoutes({
        deadLetters,
        trace,
        logs,
        faults,
        health: () => ({ urls: urls() }),
        waitForIdle: (timeoutMs) => activity.whenIdle(timeoutMs),
        redeploy,
        resources: () => deployment.resources.map((r) => ({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, ...(r.arn !== undefined ? { arn: r.arn } : {}) })),
        principals: () => Object.values(principalsByName).flatMap((p: LocalPrincipal | undefined) => (p === undefined ? [] : [principalView(p)])),
        notEmulated: () => deployment.notEmulated,
      }),
    }),
  );
}

/** What `GET /_local/principals` shows of a principal (the keys are fake and work only here). */
function principalView(p: LocalPrincipal): Record<string, unknown> {
  return {
    name: p.name,
    description: p.description,
    account: p.accountId ?? LOCAL_ACCOUNT_ID,
    principalArn: p.principalArn,
    accessKeyId: p.accessKeyId,
    secretAccessKey: p.secretAccessKey,
    ...(p.sessionToken !== undefined ? { sessionToken: p.sessionToken } : {}),
  };
}

