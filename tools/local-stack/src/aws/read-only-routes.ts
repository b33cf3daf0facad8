import { CDK_TOOLKIT_STACK_NAME, STACK_NAME } from '@slack-ai-app/stack-contract';
import { createBedrockControlHandler, isBedrockControlPlane } from './bedrock-control';
import { createCloudFormationHandler, type LocalStackDescription } from './cloudformation';
import type { ServiceRoute } from './endpoint';
import { createLayerVersionHandler, isGetLayerVersionByArn } from './lambda-layers';
import { withReadOnlyIam, type ReadOnlyAuthorizer } from './read-only-iam';
import { createStsHandler } from './sts';

/**
 * The bootstrap version the local `CDKToolkit` stack reports (its `BootstrapVersion` output), a current one.
 * Source: the `BootstrapVersion` output of the CDK bootstrap template,
 * https://github.com/aws/aws-cdk-cli/blob/main/packages/aws-cdk/lib/api/bootstrap/bootstrap-template.yaml
 */
export const LOCAL_BOOTSTRAP_VERSION = '30';

/** Options of {@link createReadOnlyRoutes}. */
export interface ReadOnlyRoutesOptions {
  /** The local region. */
  readonly region: string;
  /** When the stack was "deployed" (its start). */
  readonly deployedAt: Date;
  /** The app stack's outputs, read when it is described (the URLs exist only once every server listens). */
  readonly appStackOutputs: () => Readonly<Record<string, string>>;
  /**
   * The app's stacks by name, with their outputs, when they are not the one `SlackBedrockStack` (the two-account
   * layout's `SlackAiExecution` and `SlackAiVerification`); replaces `appStackOutputs`.
   */
  readonly appStacks?: () => Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Decides the caller's permission for each call but STS `GetCallerIdentity`; without it, every call is answered. */
  readonly authorize?: ReadOnlyAuthorizer;
}

/**
 * The read-only AWS calls `tools/preflight` makes, answered as the local world stands: STS `GetCallerIdentity`,
 * CloudFormation `DescribeStacks` (the bootstrap stack and the app stack, both deployed), Lambda
 * `GetLayerVersionByArn` (the secrets extension layer of the region) and the Bedrock control plane
 * (`GetFoundationModel`, `GetInferenceProfile` for the local model); with `authorize`, each under IAM (read-only-iam.ts).
 *
 * @param options - region, deploy time, the app stack's outputs
 * @returns routes for the AWS endpoint
 */
export function createReadOnlyRoutes(options: ReadOnlyRoutesOptions): ServiceRoute[] {
  const stacks = (): LocalStackDescription[] => [
    {
      name: CDK_TOOLKIT_STACK_NAME,
      status: 'CREATE_COMPLETE',
      createdAt: options.deployedAt,
      outputs: { BootstrapVersion: LOCAL_BOOTSTRAP_VERSION },
    },
    ...Object.entries(options.appStacks?.() ?? { [STACK_NAME]: options.appStackOutputs() }).map(([name, outputs]) => ({
      name,
      status: 'CREATE_COMPLETE',
      createdAt: options.deployedAt,
      outputs,
    })),
  ];
  const sts = createStsHandler();
  const cloudFormation = createCloudFormationHandler(stacks);
  const layers = createLayerVersionHandler(options.region);
  const bedrock = createBedrockControlHandler(options.region);
  const routes: ServiceRoute[] = [
    { service: 'sts', protocol: 'aws-query', matches: () => true, handle: sts },
    { service: 'cloudformation', protocol: 'aws-query', matches: () => true, handle: (request) => cloudFormation(request) },
    { service: 'lambda', protocol: 'rest-json', matches: isGetLayerVersionByArn, handle: (request) => layers(request) },
    { service: 'bedrock', protocol: 'rest-json', matches: isBedrockControlPlane, handle: (request) => bedrock(request) },
  ];
  const { authorize } = options;
  return authorize === undefined ? routes : routes.map((route) => withReadOnlyIam(route, options.region, authorize));
}
