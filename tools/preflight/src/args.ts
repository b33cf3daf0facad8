import { CDK_TOOLKIT_STACK_NAME, STACK_NAME } from '@slack-ai-app/stack-contract';
import { UsageError } from './errors';

/** The parsed command line. */
export interface PreflightArgs {
  readonly json: boolean;
  readonly help: boolean;
  readonly region: string | undefined;
  readonly profile: string | undefined;
  /** `--model-id`; undefined: the infra app's `bedrockModelId` context (cdk.json) or its default. */
  readonly modelId: string | undefined;
  /** `--architecture`; undefined: `functionArchitecture` (cdk.json) or `arm64`. */
  readonly architecture: string | undefined;
  /** `--layer-arn`; undefined: `paramsAndSecretsLayerArn` (cdk.json) or the CDK region facts' layer. */
  readonly layerArn: string | undefined;
  readonly stackName: string;
  readonly toolkitStackName: string;
}

/** The usage text. */
export const USAGE = [
  'Usage: npx nx run infra:preflight -- [--json] [--region <region>] [--profile <profile>] [--model-id <id>]',
  '         [--architecture arm64|x86_64] [--layer-arn <arn>] [--stack <name>] [--toolkit-stack-name <name>]',
  'The model, architecture and layer default to the context of apps/infra/cdk.json, then to the app defaults.',
  '',
  'Read-only checks before (and after) the first deploy: credentials, Region support (secrets extension layer,',
  'Bedrock model), the CDK bootstrap stack, and once deployed, the two secrets and check-auth.',
  'Exit code 0 when nothing FAILs, 1 on any FAIL, 2 on a usage error.',
].join('\n');

const WITH_VALUE = new Set(['--region', '--profile', '--model-id', '--architecture', '--layer-arn', '--stack', '--toolkit-stack-name']);

/**
 * Parses the arguments (`--flag value` or `--flag=value`).
 *
 * @param argv - the arguments after the script name
 * @returns the options, defaults filled in
 * @throws {@link UsageError} naming an unknown flag or a flag without its value
 */
export function parseArgs(argv: readonly string[]): PreflightArgs {
  const values = new Map<string, string>();
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '--json' && eq < 0) json = true;
    else if ((flag === '--help' || flag === '-h') && eq < 0) help = true;
    else if (WITH_VALUE.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[(i += 1)];
      if (value === undefined || value === '' || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      values.set(flag, value);
    } else {
      throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return {
    json,
    help,
    region: values.get('--region'),
    profile: values.get('--profile'),
    modelId: values.get('--model-id'),
    architecture: values.get('--architecture'),
    layerArn: values.get('--layer-arn'),
    stackName: values.get('--stack') ?? STACK_NAME,
    toolkitStackName: values.get('--toolkit-stack-name') ?? CDK_TOOLKIT_STACK_NAME,
  };
}
