import type { LambdaClient, LambdaClientConfig } from '@aws-sdk/client-lambda';
import type { ExecutionRequest } from '@slack-ai-app/payload-schemas';
import { DirectInvokeError } from './errors';
import type { DirectInvoker } from './handoff';
import { type LambdaModule, loadLambdaModule } from './lazy-modules';


/** Options of {@link createDirectInvoker}. */
export interface DirectInvokerOptions {
  /** `BEDROCK_PROCESSOR_ARN`: the execution Lambda's name or ARN. */
  readonly functionName: string;
  /** The region of the Lambda client; the SDK's own resolution (`AWS_REGION`) when `undefined`. */
  readonly region: string | undefined;
  /**
   * Loads the Lambda client. The default, {@link loadLambdaModule}, requires a separate build chunk on first use, so
   * the client's ~50–65 ms load is paid by the first direct hand-off only, never at cold start.
   */
  readonly loadLambdaModule?: () => Promise<LambdaModule>;
}

/** Keeps a direct invoke inside Slack's 3 s: at most two attempts, each bounded. */
const CLIENT_CONFIG: LambdaClientConfig = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
};

/**
 * Creates the direct hand-off: `InvokeCommand` with `InvocationType: 'Event'` and the ExecutionRequest JSON as payload.
 * The Lambda client is created on first use and reused for the container's life.
 *
 * @param options - function name, region and (for tests) the module loader
 * @returns a {@link DirectInvoker} whose `invoke` resolves with 202, or throws {@link DirectInvokeError}
 */
export function createDirectInvoker(options: DirectInvokerOptions): DirectInvoker {
  const load = options.loadLambdaModule ?? loadLambdaModule;
  let ready: Promise<{ client: LambdaClient; module: LambdaModule }> | undefined;

  const clientOnce = () => {
    if (ready === undefined) {
      const loading = load().then((module) => {
        const config: LambdaClientConfig = options.region === undefined ? CLIENT_CONFIG : { ...CLIENT_CONFIG, region: options.region };
        return { client: new module.LambdaClient(config), module };
      });
      ready = loading;
      // A failed load is not cached, so the next invocation tries again.
      loading.catch(() => {
        if (ready === loading) ready = undefined;
      });
    }
    return ready;
  };

  return {
    async invoke(request: ExecutionRequest): Promise<number> {
      let statusCode: number | undefined;
      try {
        const { client, module } = await clientOnce();
        const response = await client.send(
          new module.InvokeCommand({
            FunctionName: options.functionName,
            InvocationType: 'Event',
            Payload: Buffer.from(JSON.stringify(request), 'utf8'),
          }),
        );
        statusCode = response.StatusCode;
      } catch (error) {
        throw new DirectInvokeError('lambda:Invoke of the execution function failed', undefined, { cause: error });
      }
      if (statusCode !== 202) {
        throw new DirectInvokeError(`lambda:Invoke answered StatusCode ${statusCode ?? 'none'}, expected 202`, statusCode);
      }
      return statusCode;
    },
  };
}
