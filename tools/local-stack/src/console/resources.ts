import { expandExecuteApiShorthand } from '@slack-ai-app/aws-emulation';
import { executeApiArnPrefix, executionApiResourcePolicy } from '@slack-ai-app/execution-api-contract';
import { LOCAL_ACCOUNT_ID, LOCAL_API_ID, LOCAL_REGION } from '../constants';
import { EXECUTE_METHOD_ARN } from '../iam/principals';
import type { LocalStack } from '../stack';
import type { ConsoleResource } from './iam';

/**
 * The deployed resources the console lists and "who may call what" asks about: the execution API's method with the
 * resource policy the local gateway evaluates, and the two functions.
 *
 * @param stack - the running stack
 */
export function consoleResources(stack: LocalStack): ConsoleResource[] {
  return [
    {
      arn: EXECUTE_METHOD_ARN,
      label: 'execution API POST /prod/execute',
      // As API Gateway stores it: the `execute-api:/` shorthand expanded for this API (what the local gateway evaluates).
      resourcePolicy: expandExecuteApiShorthand(
        executionApiResourcePolicy({ allowedPrincipalArn: stack.credentials.principals.verification.principalArn }),
        executeApiArnPrefix({ region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID, apiId: LOCAL_API_ID }),
      ),
    },
    ...Object.values(stack.functions).map((fn) => ({ arn: fn.arn, label: `function ${fn.name}`, resourcePolicy: undefined })),
  ];
}
