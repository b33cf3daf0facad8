import type { DeployRequest, DeployStep } from './deploy';
import { DeployError, describeError } from './errors';

/** The local stack's deployment route on its AWS endpoint (tools/local-stack, `POST /_local/deployments`). */
export const LOCAL_DEPLOYMENTS_PATH = '/_local/deployments';

/**
 * The context of a deploy, as `cdk deploy -c` would get it: the three controlled values, then the run's extra context.
 *
 * @param request - the deploy
 */
export function deployContext(request: DeployRequest): Record<string, unknown> {
  return {
    ...request.extras.context,
    executionApiPercentage: request.percentage,
    useApiGateway: request.useApiGateway,
    enableDirectInvokeFallback: request.enableDirectInvokeFallback,
  };
}

/**
 * Deploys to a running local stack (`--deployer local`): the stack re-synthesizes the infra app with the context and
 * swaps it in, the same template `cdk deploy` would deploy. Resolves once the new configuration is live.
 */
export class LocalDeployStep implements DeployStep {
  private readonly url: string;

  /**
   * @param endpointUrl - the local stack's AWS endpoint (`AWS_ENDPOINT_URL`)
   * @param fetchImpl - the HTTP client (tests)
   */
  constructor(
    endpointUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.url = new URL(LOCAL_DEPLOYMENTS_PATH, endpointUrl).toString();
  }

  /** @returns the request that {@link deploy} sends */
  describe(request: DeployRequest): string {
    return `POST ${this.url} ${JSON.stringify({ context: deployContext(request) })}`;
  }

  /** @throws DeployError when the stack refuses the deploy or cannot be reached */
  async deploy(request: DeployRequest): Promise<void> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ context: deployContext(request) }),
      });
    } catch (error) {
      throw new DeployError(`cannot reach the local stack at ${this.url}: ${describeError(error)}`, undefined, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the text
      }
      throw new DeployError(`the local stack refused the deploy (${response.status}): ${message}`);
    }
  }
}
