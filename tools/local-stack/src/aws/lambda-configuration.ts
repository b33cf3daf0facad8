import { randomUUID } from 'node:crypto';
import type { HttpReply, HttpRequestData } from '../http/types';
import { authorizeCaller, deniedBecause } from '../iam/authorization';
import type { LocalPrincipal } from '../iam/principals';
import type { FunctionRegistry } from '../lambda/registry';
import type { ServiceRoute } from './endpoint';
import { restJsonError } from './errors';

/**
 * Lambda `GetFunctionConfiguration`: `GET /2015-03-31/functions/{FunctionName}/configuration`, answered from the
 * running function's current configuration (what `tools/rollout` reads: the environment).
 * Source: https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html
 */
const CONFIGURATION_PATH = /^\/2015-03-31\/functions\/([^/]+)\/configuration$/;

/**
 * The route on the AWS endpoint. The caller needs `lambda:GetFunctionConfiguration` on the function in its identity
 * policies (IAM's wording otherwise, as for Invoke).
 *
 * @param functions - the running functions
 */
export function createFunctionConfigurationRoute(functions: FunctionRegistry): ServiceRoute {
  return {
    service: 'lambda',
    protocol: 'rest-json',
    matches: (request) => request.method === 'GET' && CONFIGURATION_PATH.test(request.path),
    handle: async (request: HttpRequestData, principal: LocalPrincipal): Promise<HttpReply> => {
      const name = decodeURIComponent(CONFIGURATION_PATH.exec(request.path)?.[1] ?? '');
      const lookup = functions.resolve(name, request.query.get('Qualifier') ?? undefined);
      if (!lookup.ok) return restJsonError(404, 'ResourceNotFoundException', `Function not found: ${lookup.arn}`, { Type: 'User' }, 'Message');
      const fn = lookup.entry.fn;
      const decision = authorizeCaller(principal, 'lambda:GetFunctionConfiguration', fn.arn);
      if (decision.decision !== 'allow') {
        const message = `User: ${principal.callerArn} is not authorized to perform: lambda:GetFunctionConfiguration on resource: ${fn.arn} ${deniedBecause(decision, 'lambda:GetFunctionConfiguration', 'identity-based')}`;
        return restJsonError(403, 'AccessDeniedException', message, { Type: 'User' }, 'Message');
      }
      const config = fn.configuration;
      const body = {
        FunctionName: config.name,
        FunctionArn: fn.arn,
        Role: config.principal.principalArn,
        Handler: config.handler,
        Timeout: config.timeoutSeconds,
        MemorySize: config.memoryMb,
        Environment: { Variables: { ...config.environment } },
        State: 'Active',
        LastUpdateStatus: 'Successful',
        Version: '$LATEST',
      };
      return { kind: 'respond', status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() }, body: JSON.stringify(body) };
    },
  };
}
