import { Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { CONTEXT_KEYS, type FunctionArchitecture } from '@slack-ai-app/stack-contract';
import { ContextError } from './errors';

/** The CPU architectures the two functions can run on (`functionArchitecture`; defined in `@slack-ai-app/stack-contract`). */
export type { FunctionArchitecture };

/**
 * Where AWS publishes the current layer ARNs of the AWS Parameters and Secrets Lambda Extension, per Region and
 * architecture ("AWS Parameters and Secrets Lambda Extension ARNs", AWS Systems Manager User Guide).
 */
export const PARAMS_AND_SECRETS_ARNS_URL =
  'https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html#ps-integration-lambda-extensions-add';

/** The extension version aws-cdk-lib's table resolves to a layer ARN when no ARN is given. */
export const DEFAULT_PARAMS_AND_SECRETS_VERSION = lambda.ParamsAndSecretsVersions.V1_0_103;

/**
 * The shape of the extension's layer ARNs, as AWS publishes them (see {@link PARAMS_AND_SECRETS_ARNS_URL}):
 * `arn:<partition>:lambda:<region>:<account>:layer:AWS-Parameters-and-Secrets-Lambda-Extension[-Arm64]:<version>`.
 */
const LAYER_ARN =
  /^arn:(aws[a-z-]*):lambda:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):layer:AWS-Parameters-and-Secrets-Lambda-Extension(-Arm64)?:([1-9]\d*)$/;

/** A layer ARN of the extension, taken apart. */
export interface ParamsAndSecretsLayerArn {
  /** The whole ARN. */
  readonly arn: string;
  /** Its Region. */
  readonly region: string;
  /** `arm64` for the `-Arm64` layer, `x86_64` otherwise. */
  readonly architecture: FunctionArchitecture;
}

/**
 * Parses `paramsAndSecretsLayerArn`.
 *
 * @param key - the context key, named in the error
 * @param raw - the trimmed value
 * @returns the ARN, its Region and its architecture
 * @throws {@link ContextError} when it is not a layer ARN of the AWS Parameters and Secrets Lambda Extension
 */
export function parseParamsAndSecretsLayerArn(key: string, raw: string): ParamsAndSecretsLayerArn {
  const match = LAYER_ARN.exec(raw);
  if (match === null) {
    throw new ContextError(
      key,
      `must be a layer version ARN of the AWS Parameters and Secrets Lambda Extension (arn:aws:lambda:<region>:<account>:layer:AWS-Parameters-and-Secrets-Lambda-Extension[-Arm64]:<version>; current ARNs: ${PARAMS_AND_SECRETS_ARNS_URL}), got ${JSON.stringify(raw)}`,
    );
  }
  return { arn: raw, region: match[2] as string, architecture: match[4] === undefined ? 'x86_64' : 'arm64' };
}

/** What {@link checkParamsAndSecretsLayer} checks. */
export interface ParamsAndSecretsLayerRequest {
  /** The context key of the ARN, named in errors. */
  readonly arnKey: string;
  /** The context key of the architecture, named in errors. */
  readonly architectureKey: string;
  /** The layer ARN given in context, if any (already checked against the architecture). */
  readonly layerArn: ParamsAndSecretsLayerArn | undefined;
  /** The functions' architecture. */
  readonly architecture: FunctionArchitecture;
  /** The stack's Region: a token when the stack is environment-agnostic. */
  readonly region: string;
}

/**
 * Checks that the extension layer the verification function will get exists for the stack's Region: the ARN given
 * in context must be of that Region; without one, aws-cdk-lib's table must have a layer of
 * {@link DEFAULT_PARAMS_AND_SECRETS_VERSION} for the Region and architecture. Otherwise aws-cdk-lib throws from inside
 * `lambda.Function` with a stack trace (`aws-lambda/lib/params-and-secrets-layers.js`, `getVersionArn`); this stops the
 * synth first with one line that names the ways out. For an environment-agnostic stack the Region is only known at
 * deploy time (aws-cdk-lib then writes a Region map, and CloudFormation refuses a Region missing from it): nothing to
 * check.
 *
 * @param request - see {@link ParamsAndSecretsLayerRequest}
 * @throws {@link ContextError} when the ARN is of another Region, or no layer is known for the Region and architecture
 */
export function checkParamsAndSecretsLayer(request: ParamsAndSecretsLayerRequest): void {
  const { layerArn, architecture, region } = request;
  if (Token.isUnresolved(region)) return;
  if (layerArn !== undefined) {
    if (layerArn.region !== region) {
      throw new ContextError(
        request.arnKey,
        `is a layer in ${layerArn.region}, but the stack deploys to ${region}: a function can only use layers of its own Region`,
      );
    }
    return;
  }
  if (RegionInfo.get(region).paramsAndSecretsLambdaLayerArn(DEFAULT_PARAMS_AND_SECRETS_VERSION, architecture) === undefined) {
    throw new ContextError(
      request.arnKey,
      `is needed: aws-cdk-lib knows no ${architecture} layer of the AWS Parameters and Secrets Lambda Extension in ${region}. Ways out: ${
        architecture === 'arm64' ? `-c ${request.architectureKey}=x86_64, ` : ''
      }deploy to another Region, or give the layer ARN for ${region} with -c ${request.arnKey}=<ARN> if AWS publishes one (${PARAMS_AND_SECRETS_ARNS_URL})`,
    );
  }
}

/**
 * {@link checkParamsAndSecretsLayer} for a stack: the layer and architecture of its deployment settings, errors naming
 * the CDK context keys they are read from.
 *
 * @param settings - the deployment settings' layer ARN and architecture
 * @param region - the stack's Region (a token when the stack is environment-agnostic)
 * @throws {@link ContextError} as {@link checkParamsAndSecretsLayer}
 */
export function checkStackParamsAndSecretsLayer(
  settings: { readonly paramsAndSecretsLayerArn: ParamsAndSecretsLayerArn | undefined; readonly functionArchitecture: FunctionArchitecture },
  region: string,
): void {
  checkParamsAndSecretsLayer({
    arnKey: CONTEXT_KEYS.paramsAndSecretsLayerArn,
    architectureKey: CONTEXT_KEYS.functionArchitecture,
    layerArn: settings.paramsAndSecretsLayerArn,
    architecture: settings.functionArchitecture,
    region,
  });
}

/**
 * The Lambda architecture of a {@link FunctionArchitecture}.
 *
 * @param architecture - `arm64` or `x86_64`
 */
export function lambdaArchitecture(architecture: FunctionArchitecture): lambda.Architecture {
  return architecture === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;
}
