import { type FunctionArchitecture, isGeneratedPlaceholder, parseBedrockModelId, STACK_OUTPUTS } from '@slack-ai-app/stack-contract';
import { type CheckName, type CheckResult, describeError, errorName } from './checks';

/** Who the credentials belong to (STS `GetCallerIdentity`). */
export interface CallerIdentity {
  readonly arn: string;
  readonly account: string;
}

/** What `DescribeStacks` says about a stack that exists. */
export interface StackInfo {
  /** e.g. `CREATE_COMPLETE`, `ROLLBACK_COMPLETE` */
  readonly status: string;
  readonly outputs: Readonly<Record<string, string>>;
}

/** What `GetFoundationModel` says about a model. */
export interface FoundationModelInfo {
  /** `modelLifecycle.status`, e.g. `ACTIVE`, `LEGACY` */
  readonly lifecycleStatus: string | undefined;
  /** `inferenceTypesSupported`, e.g. `['ON_DEMAND']` or `['INFERENCE_PROFILE']` */
  readonly inferenceTypes: readonly string[];
}

/** What `GetInferenceProfile` says about a profile. */
export interface InferenceProfileInfo {
  /** `status`: `ACTIVE` when usable. */
  readonly status: string | undefined;
}

/** The outcome of `check-auth` that preflight reports. */
export interface AuthCheckOutcome {
  readonly pass: boolean;
  /** One verdict per probe, in order. */
  readonly probes: ReadonlyArray<{ readonly probe: string; readonly pass: boolean; readonly verdict: string }>;
}

/**
 * The read-only AWS calls preflight makes, injected (real SDK clients in `aws-deps.ts`, fakes in tests). Every call
 * rejects with the SDK's error, whose `name` the checks classify.
 */
export interface PreflightDeps {
  /** The region the credentials are used in; rejects when none is configured. */
  region(): Promise<string>;
  /** STS `GetCallerIdentity`. */
  callerIdentity(): Promise<CallerIdentity>;
  /** The extension layer ARN the CDK app would use in `region` (CDK region facts); undefined when it knows none. */
  extensionLayerArn(region: string, architecture: FunctionArchitecture): string | undefined;
  /** Lambda `GetLayerVersionByArn`. */
  getLayerVersion(arn: string): Promise<void>;
  /** Bedrock `GetFoundationModel`. */
  getFoundationModel(modelId: string): Promise<FoundationModelInfo>;
  /** Bedrock `GetInferenceProfile`. */
  getInferenceProfile(profileId: string): Promise<InferenceProfileInfo>;
  /** CloudFormation `DescribeStacks` for one stack; `undefined` when it does not exist. */
  describeStack(stackName: string): Promise<StackInfo | undefined>;
  /** Secrets Manager `GetSecretValue` (`SecretString`). The value never leaves the check that reads it. */
  getSecretValue(secretId: string): Promise<string>;
  /** `tools/rollout`'s check-auth against the execution API's stage URL. */
  checkAuth(executionApiUrl: string, region: string): Promise<AuthCheckOutcome>;
}

/** What to check. */
export interface PreflightOptions {
  /** The Bedrock model or inference profile id the stack will use (`bedrockModelId`). */
  readonly modelId: string;
  /** The functions' architecture (`functionArchitecture`). */
  readonly architecture: FunctionArchitecture;
  /** The extension layer ARN given to the app (`paramsAndSecretsLayerArn`), if any. */
  readonly layerArn: string | undefined;
  /** The app stack (`SlackBedrockStack`). */
  readonly stackName: string;
  /** The CDK bootstrap stack (`CDKToolkit`, or `--toolkit-stack-name`). */
  readonly toolkitStackName: string;
  /** Whether {@link PreflightOptions.toolkitStackName} is the default (else the bootstrap fix names it). */
  readonly defaultToolkitStackName: boolean;
}

const pass = (name: CheckName, detail: string): CheckResult => ({ name, status: 'PASS', detail });
const skip = (name: CheckName, detail: string): CheckResult => ({ name, status: 'SKIP', detail });
const fail = (name: CheckName, detail: string, fix: string): CheckResult => ({ name, status: 'FAIL', detail, fix });

/** The statuses of a stack that is neither usable nor on its way to being usable. */
function stackIsBroken(status: string): boolean {
  return /FAILED$/.test(status) || status === 'ROLLBACK_COMPLETE' || status.startsWith('DELETE_');
}

async function checkCredentials(deps: PreflightDeps): Promise<{ result: CheckResult; region?: string; identity?: CallerIdentity }> {
  let region: string;
  try {
    region = await deps.region();
  } catch (error) {
    return {
      result: fail('credentials', `no AWS Region is configured (${describeError(error)})`, 'pass --region <region>, or set AWS_REGION, or a region in your profile'),
    };
  }
  try {
    const identity = await deps.callerIdentity();
    return { result: pass('credentials', `${identity.arn} in ${identity.account} / ${region}`), region, identity };
  } catch (error) {
    return {
      result: fail(
        'credentials',
        `sts:GetCallerIdentity failed in ${region}: ${describeError(error)}`,
        'sign in (aws sso login --profile <profile>, then --profile <profile>) or export AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN',
      ),
    };
  }
}

async function checkExtensionLayer(deps: PreflightDeps, options: PreflightOptions, region: string): Promise<CheckResult> {
  const arn = options.layerArn ?? deps.extensionLayerArn(region, options.architecture);
  if (arn === undefined) {
    return fail(
      'extension-layer',
      `aws-cdk-lib knows no ${options.architecture} layer of the AWS Parameters and Secrets Lambda Extension in ${region}`,
      `deploy to another Region${options.architecture === 'arm64' ? ', or -c functionArchitecture=x86_64' : ''}, or give the Region's layer with -c paramsAndSecretsLayerArn=<ARN> (and --layer-arn here)`,
    );
  }
  if (arn.split(':')[3] !== region) {
    return fail('extension-layer', `${arn} is a layer of another Region than ${region}`, `give the layer ARN of ${region} with -c paramsAndSecretsLayerArn=<ARN> (and --layer-arn here)`);
  }
  try {
    await deps.getLayerVersion(arn);
    return pass('extension-layer', arn);
  } catch (error) {
    if (errorName(error) === 'AccessDeniedException') {
      return fail('extension-layer', `cannot read ${arn}: ${describeError(error)}`, 'allow lambda:GetLayerVersion for these credentials (the deploy needs it too)');
    }
    return fail(
      'extension-layer',
      `${arn} cannot be read in ${region}: ${describeError(error)}`,
      'give a published layer with -c paramsAndSecretsLayerArn=<ARN>, upgrade aws-cdk-lib (its region facts name the layer), or deploy in another Region',
    );
  }
}

function modelFix(modelId: string, region: string, isProfile: boolean): string {
  const list = isProfile
    ? `aws bedrock list-inference-profiles --region ${region}`
    : `aws bedrock list-foundation-models --region ${region} --by-inference-type ON_DEMAND`;
  return `choose one that ${region} offers (${list}) and deploy with -c bedrockModelId=<id> (run preflight with --model-id <id>); ${modelId} stays refused here`;
}

async function checkBedrockModel(deps: PreflightDeps, modelId: string, region: string): Promise<CheckResult> {
  const parsed = parseBedrockModelId(modelId);
  if (parsed === undefined) {
    return fail('bedrock-model', `"${modelId}" is not a Bedrock model or inference profile id`, 'pass a model id such as us.anthropic.claude-sonnet-4-5-20250929-v1:0');
  }
  if (parsed.isInferenceProfile) {
    try {
      const profile = await deps.getInferenceProfile(modelId);
      if (profile.status !== 'ACTIVE') {
        return fail('bedrock-model', `inference profile ${modelId} is ${profile.status ?? 'of unknown status'} in ${region}`, modelFix(modelId, region, true));
      }
      return pass('bedrock-model', `inference profile ${modelId} is ACTIVE in ${region}`);
    } catch (error) {
      return fail('bedrock-model', `inference profile ${modelId} is not available in ${region}: ${describeError(error)}`, modelFix(modelId, region, true));
    }
  }
  try {
    const model = await deps.getFoundationModel(modelId);
    if (!model.inferenceTypes.includes('ON_DEMAND')) {
      return fail(
        'bedrock-model',
        `${modelId} cannot be invoked on demand in ${region} (inference types: ${model.inferenceTypes.join(', ') || 'none'})`,
        `invoke it through an inference profile: -c bedrockModelId=<geo>.${modelId} (aws bedrock list-inference-profiles --region ${region})`,
      );
    }
    if (model.lifecycleStatus !== undefined && model.lifecycleStatus !== 'ACTIVE') {
      return fail('bedrock-model', `${modelId} is ${model.lifecycleStatus} in ${region}`, modelFix(modelId, region, false));
    }
    return pass('bedrock-model', `foundation model ${modelId} is ACTIVE and on demand in ${region}`);
  } catch (error) {
    return fail('bedrock-model', `${modelId} is not available in ${region}: ${describeError(error)}`, modelFix(modelId, region, false));
  }
}

async function checkBootstrap(deps: PreflightDeps, options: PreflightOptions, region: string, account: string): Promise<CheckResult> {
  const command = `npx cdk bootstrap aws://${account}/${region}${options.defaultToolkitStackName ? '' : ` --toolkit-stack-name ${options.toolkitStackName}`}`;
  let stack: StackInfo | undefined;
  try {
    stack = await deps.describeStack(options.toolkitStackName);
  } catch (error) {
    return fail('bootstrap', `cannot describe ${options.toolkitStackName}: ${describeError(error)}`, 'allow cloudformation:DescribeStacks for these credentials');
  }
  if (stack === undefined) {
    return fail('bootstrap', `stack ${options.toolkitStackName} does not exist in ${account} / ${region}`, command);
  }
  if (stackIsBroken(stack.status) || !stack.status.endsWith('_COMPLETE')) {
    return fail('bootstrap', `${options.toolkitStackName} is ${stack.status}`, `wait for it to finish, or read its events, then: ${command}`);
  }
  const version = stack.outputs.BootstrapVersion;
  return pass('bootstrap', `${options.toolkitStackName} ${stack.status}${version !== undefined ? `, bootstrap version ${version}` : ''}`);
}

async function checkSecret(
  deps: PreflightDeps,
  name: 'signing-secret' | 'bot-token',
  stack: StackInfo,
  stackName: string,
): Promise<CheckResult> {
  const outputKey = name === 'signing-secret' ? STACK_OUTPUTS.signingSecretArn : STACK_OUTPUTS.botTokenSecretArn;
  const arn = stack.outputs[outputKey];
  if (arn === undefined) {
    return fail(name, `stack ${stackName} has no output ${outputKey}`, 'deploy the current infra app: npx nx run infra:deploy');
  }
  const what = name === 'signing-secret' ? 'the Slack signing secret (Basic Information → Signing Secret)' : 'the bot token (OAuth & Permissions → Bot User OAuth Token, xoxb-…)';
  const putFix = `aws secretsmanager put-secret-value --secret-id ${arn} --secret-string '<${name === 'signing-secret' ? 'signing secret' : 'xoxb-…'}>' with ${what}`;
  let value: string;
  try {
    value = await deps.getSecretValue(arn);
  } catch (error) {
    if (errorName(error) === 'AccessDeniedException') {
      return fail(name, `cannot read ${arn}: ${errorName(error)}`, 'allow secretsmanager:GetSecretValue on it for these credentials');
    }
    return fail(name, `cannot read ${arn}: ${describeError(error)}`, putFix);
  }
  if (value.trim() === '') return fail(name, `${arn} is empty`, putFix);
  if (isGeneratedPlaceholder(value)) {
    return fail(name, `${arn} still holds the placeholder CloudFormation generated`, putFix);
  }
  if (name === 'bot-token' && !looksLikeBotToken(value)) {
    return fail(name, `${arn} does not hold a bot token (xoxb-…, or JSON with botToken)`, putFix);
  }
  return pass(name, `${arn} is set (value not shown)`);
}

/** A bot token, or JSON holding one under one of the keys the execution Lambda reads. */
function looksLikeBotToken(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.startsWith('xoxb-')) return true;
  try {
    const parsed = JSON.parse(trimmed) as Record<string, unknown>;
    return ['botToken', 'SLACK_BOT_TOKEN', 'bot_token'].some((key) => typeof parsed[key] === 'string' && (parsed[key] as string).startsWith('xoxb-'));
  } catch {
    return false;
  }
}

async function checkAuthProbes(deps: PreflightDeps, stack: StackInfo, stackName: string, region: string): Promise<CheckResult> {
  const url = stack.outputs[STACK_OUTPUTS.executionApiUrl];
  if (url === undefined) {
    return fail('check-auth', `stack ${stackName} has no output ${STACK_OUTPUTS.executionApiUrl}`, 'deploy the current infra app: npx nx run infra:deploy');
  }
  try {
    const outcome = await deps.checkAuth(url, region);
    const verdicts = outcome.probes.map((probe) => `${probe.probe}: ${probe.verdict}`).join('; ');
    if (outcome.pass) return pass('check-auth', verdicts);
    return fail(
      'check-auth',
      outcome.probes.filter((probe) => !probe.pass).map((probe) => `${probe.probe}: ${probe.verdict}`).join('; '),
      'deploy the current infra app (AWS_IAM auth and the resource policy\u2019s Deny), then npx nx run rollout:check-auth',
    );
  } catch (error) {
    return fail('check-auth', `the probes could not run: ${describeError(error)}`, `check that ${url} is reachable, then npx nx run rollout:check-auth`);
  }
}

/**
 * Runs every check, read-only, in {@link CHECK_NAMES} order, and never throws: each failure becomes a FAIL line with its
 * fix. Without working credentials the AWS checks are SKIPped; before the first deploy (no app stack) the secrets and
 * check-auth are SKIPped with that reason.
 *
 * @param deps - the AWS calls
 * @param options - model id, stack names
 * @returns one result per check
 */
export async function runPreflight(deps: PreflightDeps, options: PreflightOptions): Promise<CheckResult[]> {
  const credentials = await checkCredentials(deps);
  const results: CheckResult[] = [credentials.result];
  const { region, identity } = credentials;
  if (region === undefined || identity === undefined) {
    for (const name of ['extension-layer', 'bedrock-model', 'bootstrap', 'app-stack', 'signing-secret', 'bot-token', 'check-auth'] as const) {
      results.push(skip(name, 'needs working credentials and a Region'));
    }
    return results;
  }
  results.push(await checkExtensionLayer(deps, options, region));
  results.push(await checkBedrockModel(deps, options.modelId, region));
  results.push(await checkBootstrap(deps, options, region, identity.account));

  let stack: StackInfo | undefined;
  try {
    stack = await deps.describeStack(options.stackName);
  } catch (error) {
    results.push(fail('app-stack', `cannot describe ${options.stackName}: ${describeError(error)}`, 'allow cloudformation:DescribeStacks for these credentials'));
    for (const name of ['signing-secret', 'bot-token', 'check-auth'] as const) results.push(skip(name, `needs ${options.stackName} described`));
    return results;
  }
  if (stack === undefined) {
    results.push(skip('app-stack', `${options.stackName} is not deployed yet in ${identity.account} / ${region}; after npx nx run infra:deploy, run preflight again`));
    for (const name of ['signing-secret', 'bot-token', 'check-auth'] as const) results.push(skip(name, `after the first deploy (${options.stackName} does not exist yet)`));
    return results;
  }
  results.push(
    stackIsBroken(stack.status)
      ? fail('app-stack', `${options.stackName} is ${stack.status}`, `read its events (aws cloudformation describe-stack-events --stack-name ${options.stackName}); a ROLLBACK_COMPLETE stack must be deleted before the next deploy`)
      : pass('app-stack', `${options.stackName} ${stack.status}`),
  );
  results.push(await checkSecret(deps, 'signing-secret', stack, options.stackName));
  results.push(await checkSecret(deps, 'bot-token', stack, options.stackName));
  results.push(await checkAuthProbes(deps, stack, options.stackName, region));
  return results;
}
