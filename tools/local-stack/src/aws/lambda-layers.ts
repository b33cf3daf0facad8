import { RegionInfo } from 'aws-cdk-lib/region-info';
import { PARAMS_AND_SECRETS_EXTENSION_VERSION } from '@slack-ai-app/stack-contract';
import type { HttpReply, HttpRequestData } from '../http/types';
import { restJsonError } from './errors';

/** `GET /2018-10-31/layers?find=LayerVersion&Arn=…` */
const LAYERS_PATH = '/2018-10-31/layers';

/** Whether a Lambda API request is `GetLayerVersionByArn`. */
export function isGetLayerVersionByArn(request: HttpRequestData): boolean {
  return request.method === 'GET' && request.path === LAYERS_PATH && request.query.get('find') === 'LayerVersion';
}

/** The layer ARN pattern of the API reference. */
const LAYER_VERSION_ARN = /^arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+$/;

/**
 * Lambda `GetLayerVersionByArn` for the one layer the app uses: the AWS Parameters and Secrets Lambda Extension, as
 * published in `region` (the ARN the CDK region facts give for the stack's extension version, per architecture). Any
 * other well-formed ARN gets 404 `ResourceNotFoundException`; a malformed one 400 `ValidationException`.
 * Sources: https://docs.aws.amazon.com/lambda/latest/api/API_GetLayerVersionByArn.html (request, response and errors);
 * Lambda's restJson1 errors carry `Type` and `Message` (as the Invoke emulation in `lambda-api.ts`).
 *
 * @param region - the region whose published layer exists
 * @returns the handler (the caller has authenticated the request)
 */
export function createLayerVersionHandler(region: string): (request: HttpRequestData) => Promise<HttpReply> {
  const published = new Map<string, string>();
  for (const architecture of ['arm64', 'x86_64']) {
    const arn = RegionInfo.get(region).paramsAndSecretsLambdaLayerArn(PARAMS_AND_SECRETS_EXTENSION_VERSION, architecture);
    if (arn !== undefined) published.set(arn, architecture);
  }
  return async (request) => {
    const arn = request.query.get('Arn') ?? '';
    if (!LAYER_VERSION_ARN.test(arn)) {
      return restJsonError(400, 'ValidationException', `1 validation error detected: Value '${arn}' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+`, { Type: 'User' }, 'Message');
    }
    const architecture = published.get(arn);
    if (architecture === undefined) {
      return restJsonError(404, 'ResourceNotFoundException', 'The resource you requested does not exist.', { Type: 'User' }, 'Message');
    }
    const version = Number(arn.slice(arn.lastIndexOf(':') + 1));
    return {
      kind: 'respond',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        CompatibleArchitectures: [architecture],
        CompatibleRuntimes: [],
        Content: { CodeSha256: '', CodeSize: 0, Location: '' },
        CreatedDate: '2024-01-01T00:00:00.000+0000',
        Description: `AWS Parameters and Secrets Lambda Extension ${PARAMS_AND_SECRETS_EXTENSION_VERSION} (local stack)`,
        LayerArn: arn.slice(0, arn.lastIndexOf(':')),
        LayerVersionArn: arn,
        LicenseInfo: '',
        Version: version,
      }),
    };
  };
}
