import { expandExecuteApiShorthand, type PolicyDocument } from '@slack-ai-app/aws-emulation';
import { EXECUTION_API_METHOD, EXECUTION_API_PATH, EXECUTION_API_STAGE, executeApiArnPrefix, methodArn } from '@slack-ai-app/execution-api-contract';
import { LOCAL_ACCOUNT_ID, LOCAL_API_ID, LOCAL_REGION } from '../constants';
import { functionPolicy } from '../iam/function-policy';
import type { LocalStack } from '../stack';
import type { ConsoleResource } from './iam';

/**
 * The resources of the deployed cloud assembly that have policies, as the console lists them and "who may call what"
 * asks about: the execution API's method (its resource policy as the local gateway evaluates it), each function
 * (its resource policy from the template's Lambda permissions), the secrets, topics and keys.
 *
 * @param stack - the running stack
 */
export function consoleResources(stack: LocalStack): ConsoleResource[] {
  const { deployment } = stack;
  const api = deployment.restApi;
  const apiPrefix = executeApiArnPrefix({ region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID, apiId: api?.id ?? LOCAL_API_ID });
  const resource = (arn: string, label: string, policy: PolicyDocument | undefined): ConsoleResource => ({ arn, label, resourcePolicy: policy });
  return [
    ...(api === undefined
      ? []
      : [
          resource(
            methodArn(apiPrefix, EXECUTION_API_STAGE, EXECUTION_API_METHOD, EXECUTION_API_PATH),
            `execution API ${api.name}: ${EXECUTION_API_METHOD} /${EXECUTION_API_STAGE}/${EXECUTION_API_PATH}`,
            // As API Gateway stores it: the `execute-api:/` shorthand expanded for this API.
            api.policy === undefined ? undefined : expandExecuteApiShorthand(api.policy, apiPrefix),
          ),
        ]),
    ...deployment.functions.map((fn) => resource(fn.arn, `function ${fn.name}`, functionPolicy(fn.arn, deployment.permissions))),
    ...deployment.secrets.map((secret) => resource(secret.arn, `secret ${secret.name}`, secret.resourcePolicy)),
    ...deployment.topics.map((topic) => resource(topic.arn, `topic ${topic.name}`, topic.policy)),
    ...deployment.keys.map((key) => resource(key.arn, `key ${key.keyId}`, key.policy)),
  ];
}
