import { ContractArgumentError } from './errors';

const STAGE_PATTERN = /^[A-Za-z0-9_-]+$/;
const METHOD_PATTERN = /^(\*|[A-Z]+)$/;

/**
 * Builds the ARN prefix of a REST API: `arn:<partition>:execute-api:<region>:<accountId>:<apiId>`.
 *
 * @example executeApiArnPrefix({ region: 'us-east-1', accountId: '000000000000', apiId: 'localapi' })
 *   // 'arn:aws:execute-api:us-east-1:000000000000:localapi'
 * @throws ContractArgumentError if a part is empty or contains `:` or `/`.
 */
export function executeApiArnPrefix(parts: {
  region: string;
  accountId: string;
  apiId: string;
  /** @default 'aws' */
  partition?: string;
}): string {
  const partition = parts.partition ?? 'aws';
  for (const [name, value] of Object.entries({ partition, region: parts.region, accountId: parts.accountId, apiId: parts.apiId })) {
    if (value === '' || /[:/]/.test(value)) throw new ContractArgumentError(name, 'must be non-empty, without ":" or "/"');
  }
  return `arn:${partition}:execute-api:${parts.region}:${parts.accountId}:${parts.apiId}`;
}

/**
 * Builds the ARN API Gateway authorizes a call against: `<apiArnPrefix>/<stage>/<METHOD>/<path>`, where the path
 * has no leading slash (the root resource gives a trailing `/`).
 *
 * @example methodArn('arn:aws:execute-api:us-east-1:000000000000:localapi', 'prod', 'POST', '/execute')
 *   // 'arn:aws:execute-api:us-east-1:000000000000:localapi/prod/POST/execute'
 * @param apiArnPrefix - From {@link executeApiArnPrefix}; may be a CDK token (treated as opaque).
 * @param stage - Stage name: letters, digits, `_`, `-`.
 * @param method - Upper-case HTTP method, or `*`.
 * @param path - Resource path, with or without its leading slash.
 * @throws ContractArgumentError naming the bad argument.
 */
export function methodArn(apiArnPrefix: string, stage: string, method: string, path: string): string {
  if (apiArnPrefix === '' || apiArnPrefix.endsWith('/')) {
    throw new ContractArgumentError('apiArnPrefix', 'must be non-empty and must not end with "/"');
  }
  assertStage(stage);
  if (!METHOD_PATTERN.test(method)) throw new ContractArgumentError('method', 'must be an upper-case HTTP method or "*"');
  return `${apiArnPrefix}/${stage}/${method}/${path.replace(/^\/+/, '')}`;
}

/**
 * Checks a stage name for use in ARNs and policies (internal to this package).
 * @throws ContractArgumentError naming `stage`.
 */
export function assertStage(stage: string): void {
  if (typeof stage !== 'string' || !STAGE_PATTERN.test(stage)) {
    throw new ContractArgumentError('stage', 'must be letters, digits, "_" or "-"');
  }
}
