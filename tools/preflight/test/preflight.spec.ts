import { runPreflight, type PreflightDeps, type PreflightOptions, type StackInfo } from '../src/preflight';
import type { CheckResult } from '../src/checks';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const LAYER = 'arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:4';
const SIGNING_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:SigningSecret-AbCdEf`;
const BOT_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:BotToken-GhIjKl`;
/** A value of the shape CloudFormation generates (32 characters, every type). */
const PLACEHOLDER = 'aB3$dEfGhIjKlMnOpQrStUvWxYz01234';
const REAL_SIGNING = '8f14e45fceea167a5a36dedd4bea2543';
const REAL_TOKEN = 'xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';

const OPTIONS: PreflightOptions = {
  modelId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
  architecture: 'arm64',
  layerArn: undefined,
  stackName: 'SlackBedrockStack',
  toolkitStackName: 'CDKToolkit',
  defaultToolkitStackName: true,
};

const APP_STACK: StackInfo = {
  status: 'UPDATE_COMPLETE',
  outputs: {
    SlackSigningSecretArn: SIGNING_ARN,
    SlackBotTokenSecretArn: BOT_ARN,
    ExecutionApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/',
  },
};

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** Every call succeeds and the stack is deployed with real values; each test breaks one thing. */
function healthy(overrides: Partial<PreflightDeps> = {}): PreflightDeps {
  return {
    region: async () => REGION,
    callerIdentity: async () => ({ arn: `arn:aws:iam::${ACCOUNT}:user/admin`, account: ACCOUNT }),
    extensionLayerArn: (region, architecture) => (region === REGION && architecture === 'arm64' ? LAYER : undefined),
    getLayerVersion: async () => undefined,
    getFoundationModel: async () => ({ lifecycleStatus: 'ACTIVE', inferenceTypes: ['ON_DEMAND'] }),
    getInferenceProfile: async () => ({ status: 'ACTIVE' }),
    describeStack: async (name) => (name === 'CDKToolkit' ? { status: 'CREATE_COMPLETE', outputs: { BootstrapVersion: '29' } } : APP_STACK),
    getSecretValue: async (id) => (id === SIGNING_ARN ? REAL_SIGNING : REAL_TOKEN),
    checkAuth: async () => ({
      pass: true,
      probes: [
        { probe: 'unsigned', pass: true, verdict: 'refused with 403 MissingAuthenticationTokenException' },
        { probe: 'caller_signed', pass: true, verdict: 'refused with 403 AccessDeniedException by an explicit deny' },
      ],
    }),
    ...overrides,
  };
}

function byName(results: readonly CheckResult[]): Record<string, CheckResult> {
  return Object.fromEntries(results.map((result) => [result.name, result]));
}

describe('runPreflight', () => {
  it('passes every check on a bootstrapped, deployed and configured account, in order', async () => {
    const results = await runPreflight(healthy(), OPTIONS);
    expect(results.map((r) => `${r.status} ${r.name}`)).toEqual([
      'PASS credentials',
      'PASS extension-layer',
      'PASS bedrock-model',
      'PASS bootstrap',
      'PASS app-stack',
      'PASS signing-secret',
      'PASS bot-token',
      'PASS check-auth',
    ]);
    const checks = byName(results);
    expect(checks['credentials']?.detail).toBe(`arn:aws:iam::${ACCOUNT}:user/admin in ${ACCOUNT} / ${REGION}`);
    expect(checks['extension-layer']?.detail).toBe(LAYER);
    expect(checks['bedrock-model']?.detail).toBe(`inference profile ${OPTIONS.modelId} is ACTIVE in ${REGION}`);
    expect(checks['bootstrap']?.detail).toBe('CDKToolkit CREATE_COMPLETE, bootstrap version 29');
    expect(checks['signing-secret']?.detail).toBe(`${SIGNING_ARN} is set (value not shown)`);
    expect(checks['check-auth']?.detail).toBe(
      'unsigned: refused with 403 MissingAuthenticationTokenException; caller_signed: refused with 403 AccessDeniedException by an explicit deny',
    );
    expect(results.every((r) => r.fix === undefined)).toBe(true);
  });

  it('never prints a secret value', async () => {
    const text = JSON.stringify(await runPreflight(healthy(), OPTIONS));
    expect(text).not.toContain(REAL_SIGNING);
    expect(text).not.toContain(REAL_TOKEN);
    const placeholder = JSON.stringify(await runPreflight(healthy({ getSecretValue: async () => PLACEHOLDER }), OPTIONS));
    expect(placeholder).not.toContain(PLACEHOLDER);
  });

  describe('credentials', () => {
    it('FAILs without a Region and SKIPs the rest', async () => {
      const results = await runPreflight(healthy({ region: async () => Promise.reject(new Error('Region is missing')) }), OPTIONS);
      expect(results[0]).toEqual({
        name: 'credentials',
        status: 'FAIL',
        detail: 'no AWS Region is configured (Error: Region is missing)',
        fix: 'pass --region <region>, or set AWS_REGION, or a region in your profile',
      });
      expect(results.slice(1).map((r) => r.status)).toEqual(Array(7).fill('SKIP'));
      expect(results[1]?.detail).toBe('needs working credentials and a Region');
    });

    it('FAILs when STS refuses the credentials, with how to sign in', async () => {
      const results = await runPreflight(
        healthy({ callerIdentity: async () => Promise.reject(awsError('ExpiredTokenException', 'The security token included in the request is expired')) }),
        OPTIONS,
      );
      expect(results[0]?.status).toBe('FAIL');
      expect(results[0]?.detail).toBe('sts:GetCallerIdentity failed in eu-west-1: ExpiredTokenException: The security token included in the request is expired');
      expect(results[0]?.fix).toMatch(/^sign in \(aws sso login --profile <profile>/);
      expect(results.slice(1).every((r) => r.status === 'SKIP')).toBe(true);
    });
  });

  describe('extension-layer', () => {
    it('FAILs when the region facts know no layer for the Region and architecture, naming the ways out', async () => {
      const results = byName(await runPreflight(healthy({ region: async () => 'xx-nowhere-1' }), OPTIONS));
      expect(results['extension-layer']).toEqual({
        name: 'extension-layer',
        status: 'FAIL',
        detail: 'aws-cdk-lib knows no arm64 layer of the AWS Parameters and Secrets Lambda Extension in xx-nowhere-1',
        fix: 'deploy to another Region, or -c functionArchitecture=x86_64, or give the Region\'s layer with -c paramsAndSecretsLayerArn=<ARN> (and --layer-arn here)',
      });
      const x86 = byName(await runPreflight(healthy(), { ...OPTIONS, architecture: 'x86_64' }));
      expect(x86['extension-layer']?.detail).toBe('aws-cdk-lib knows no x86_64 layer of the AWS Parameters and Secrets Lambda Extension in eu-west-1');
      expect(x86['extension-layer']?.fix).toBe('deploy to another Region, or give the Region\'s layer with -c paramsAndSecretsLayerArn=<ARN> (and --layer-arn here)');
    });

    it('checks a layer ARN given to the app instead of the region facts\' one', async () => {
      const given = 'arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:12';
      const read: string[] = [];
      const results = byName(await runPreflight(healthy({ getLayerVersion: async (arn) => void read.push(arn) }), { ...OPTIONS, layerArn: given }));
      expect(read).toEqual([given]);
      expect(results['extension-layer']).toEqual({ name: 'extension-layer', status: 'PASS', detail: given });
      const elsewhere = byName(await runPreflight(healthy(), { ...OPTIONS, layerArn: given.replace('eu-west-1', 'us-east-1') }));
      expect(elsewhere['extension-layer']?.detail).toBe(`${given.replace('eu-west-1', 'us-east-1')} is a layer of another Region than eu-west-1`);
    });

    it('FAILs when the layer does not exist', async () => {
      const results = byName(
        await runPreflight(healthy({ getLayerVersion: async () => Promise.reject(awsError('ResourceNotFoundException', 'The resource you requested does not exist.')) }), OPTIONS),
      );
      expect(results['extension-layer']?.status).toBe('FAIL');
      expect(results['extension-layer']?.detail).toBe(`${LAYER} cannot be read in eu-west-1: ResourceNotFoundException: The resource you requested does not exist.`);
      expect(results['extension-layer']?.fix).toBe(
        'give a published layer with -c paramsAndSecretsLayerArn=<ARN>, upgrade aws-cdk-lib (its region facts name the layer), or deploy in another Region',
      );
    });

    it('FAILs with the permission to add when reading the layer is denied', async () => {
      const results = byName(await runPreflight(healthy({ getLayerVersion: async () => Promise.reject(awsError('AccessDeniedException', 'no')) }), OPTIONS));
      expect(results['extension-layer']?.fix).toBe('allow lambda:GetLayerVersion for these credentials (the deploy needs it too)');
    });
  });

  describe('bedrock-model', () => {
    it('FAILs an inference profile the Region does not offer, with the list command', async () => {
      const results = byName(
        await runPreflight(
          healthy({ getInferenceProfile: async () => Promise.reject(awsError('ResourceNotFoundException', 'Inference profile not found')) }),
          { ...OPTIONS, modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' },
        ),
      );
      expect(results['bedrock-model']?.status).toBe('FAIL');
      expect(results['bedrock-model']?.detail).toBe(
        'inference profile us.anthropic.claude-sonnet-4-5-20250929-v1:0 is not available in eu-west-1: ResourceNotFoundException: Inference profile not found',
      );
      expect(results['bedrock-model']?.fix).toContain('aws bedrock list-inference-profiles --region eu-west-1');
      expect(results['bedrock-model']?.fix).toContain('-c bedrockModelId=<id>');
    });

    it('FAILs an inference profile that is not ACTIVE', async () => {
      const results = byName(await runPreflight(healthy({ getInferenceProfile: async () => ({ status: undefined }) }), OPTIONS));
      expect(results['bedrock-model']?.detail).toBe(`inference profile ${OPTIONS.modelId} is of unknown status in eu-west-1`);
    });

    it('passes an on-demand foundation model, using GetFoundationModel', async () => {
      const calls: string[] = [];
      const deps = healthy({
        getFoundationModel: async (id) => (calls.push(id), { lifecycleStatus: 'ACTIVE', inferenceTypes: ['ON_DEMAND'] }),
        getInferenceProfile: async () => Promise.reject(new Error('not a profile')),
      });
      const results = byName(await runPreflight(deps, { ...OPTIONS, modelId: 'amazon.nova-lite-v1:0' }));
      expect(calls).toEqual(['amazon.nova-lite-v1:0']);
      expect(results['bedrock-model']).toEqual({ name: 'bedrock-model', status: 'PASS', detail: 'foundation model amazon.nova-lite-v1:0 is ACTIVE and on demand in eu-west-1' });
    });

    it('FAILs a foundation model served only through an inference profile', async () => {
      const deps = healthy({ getFoundationModel: async () => ({ lifecycleStatus: 'ACTIVE', inferenceTypes: ['INFERENCE_PROFILE'] }) });
      const results = byName(await runPreflight(deps, { ...OPTIONS, modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }));
      expect(results['bedrock-model']?.detail).toBe('anthropic.claude-sonnet-4-5-20250929-v1:0 cannot be invoked on demand in eu-west-1 (inference types: INFERENCE_PROFILE)');
      expect(results['bedrock-model']?.fix).toBe(
        'invoke it through an inference profile: -c bedrockModelId=<geo>.anthropic.claude-sonnet-4-5-20250929-v1:0 (aws bedrock list-inference-profiles --region eu-west-1)',
      );
    });

    it('FAILs a LEGACY foundation model and an unknown one', async () => {
      const legacy = byName(await runPreflight(healthy({ getFoundationModel: async () => ({ lifecycleStatus: 'LEGACY', inferenceTypes: ['ON_DEMAND'] }) }), { ...OPTIONS, modelId: 'amazon.titan-text-v1' }));
      expect(legacy['bedrock-model']?.detail).toBe('amazon.titan-text-v1 is LEGACY in eu-west-1');
      const unknown = byName(
        await runPreflight(healthy({ getFoundationModel: async () => Promise.reject(awsError('ValidationException', 'The provided model identifier is invalid.')) }), { ...OPTIONS, modelId: 'acme.none-v1' }),
      );
      expect(unknown['bedrock-model']?.detail).toBe('acme.none-v1 is not available in eu-west-1: ValidationException: The provided model identifier is invalid.');
      expect(unknown['bedrock-model']?.fix).toContain('aws bedrock list-foundation-models --region eu-west-1 --by-inference-type ON_DEMAND');
    });

    it('FAILs an id that is not a model id without calling Bedrock', async () => {
      const results = byName(await runPreflight(healthy({ getFoundationModel: async () => Promise.reject(new Error('called')) }), { ...OPTIONS, modelId: 'claude' }));
      expect(results['bedrock-model']).toEqual({
        name: 'bedrock-model',
        status: 'FAIL',
        detail: '"claude" is not a Bedrock model or inference profile id',
        fix: 'pass a model id such as us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      });
    });
  });

  describe('bootstrap', () => {
    const noToolkit = (name: string) => (name === 'CDKToolkit' || name === 'MyToolkit' ? undefined : APP_STACK);

    it('FAILs a missing CDKToolkit stack with the cdk bootstrap command for this account and Region', async () => {
      const results = byName(await runPreflight(healthy({ describeStack: async (name) => noToolkit(name) }), OPTIONS));
      expect(results['bootstrap']).toEqual({
        name: 'bootstrap',
        status: 'FAIL',
        detail: 'stack CDKToolkit does not exist in 123456789012 / eu-west-1',
        fix: 'npx cdk bootstrap aws://123456789012/eu-west-1',
      });
    });

    it('names a custom toolkit stack in the fix', async () => {
      const results = byName(
        await runPreflight(healthy({ describeStack: async (name) => noToolkit(name) }), { ...OPTIONS, toolkitStackName: 'MyToolkit', defaultToolkitStackName: false }),
      );
      expect(results['bootstrap']?.fix).toBe('npx cdk bootstrap aws://123456789012/eu-west-1 --toolkit-stack-name MyToolkit');
    });

    it('FAILs a toolkit stack that failed or is still changing', async () => {
      for (const status of ['ROLLBACK_COMPLETE', 'UPDATE_IN_PROGRESS']) {
        const results = byName(
          await runPreflight(healthy({ describeStack: async (name) => (name === 'CDKToolkit' ? { status, outputs: {} } : APP_STACK) }), OPTIONS),
        );
        expect(results['bootstrap']?.detail).toBe(`CDKToolkit is ${status}`);
        expect(results['bootstrap']?.status).toBe('FAIL');
      }
    });
  });

  describe('before and after the first deploy', () => {
    it('SKIPs the app stack, the secrets and check-auth before the first deploy, and passes', async () => {
      const deps = healthy({ describeStack: async (name) => (name === 'CDKToolkit' ? { status: 'CREATE_COMPLETE', outputs: {} } : undefined) });
      const results = await runPreflight(deps, OPTIONS);
      expect(results.slice(4)).toEqual([
        {
          name: 'app-stack',
          status: 'SKIP',
          detail: 'SlackBedrockStack is not deployed yet in 123456789012 / eu-west-1; after npx nx run infra:deploy, run preflight again',
        },
        { name: 'signing-secret', status: 'SKIP', detail: 'after the first deploy (SlackBedrockStack does not exist yet)' },
        { name: 'bot-token', status: 'SKIP', detail: 'after the first deploy (SlackBedrockStack does not exist yet)' },
        { name: 'check-auth', status: 'SKIP', detail: 'after the first deploy (SlackBedrockStack does not exist yet)' },
      ]);
    });

    it('FAILs an app stack that rolled back', async () => {
      const deps = healthy({ describeStack: async (name) => (name === 'CDKToolkit' ? { status: 'CREATE_COMPLETE', outputs: {} } : { ...APP_STACK, status: 'ROLLBACK_COMPLETE' }) });
      const results = byName(await runPreflight(deps, OPTIONS));
      expect(results['app-stack']?.status).toBe('FAIL');
      expect(results['app-stack']?.fix).toContain('aws cloudformation describe-stack-events --stack-name SlackBedrockStack');
    });

    it('FAILs the app stack check when it cannot be described, and SKIPs what needs it', async () => {
      const deps = healthy({
        describeStack: async (name) => {
          if (name === 'CDKToolkit') return { status: 'CREATE_COMPLETE', outputs: {} };
          throw awsError('AccessDenied', 'not authorized to perform: cloudformation:DescribeStacks');
        },
      });
      const results = byName(await runPreflight(deps, OPTIONS));
      expect(results['app-stack']?.fix).toBe('allow cloudformation:DescribeStacks for these credentials');
      expect(results['check-auth']).toEqual({ name: 'check-auth', status: 'SKIP', detail: 'needs SlackBedrockStack described' });
    });

    it('FAILs a secret that still holds the generated placeholder, with the put-secret-value command', async () => {
      const results = byName(await runPreflight(healthy({ getSecretValue: async (id) => (id === SIGNING_ARN ? PLACEHOLDER : REAL_TOKEN) }), OPTIONS));
      expect(results['signing-secret']).toEqual({
        name: 'signing-secret',
        status: 'FAIL',
        detail: `${SIGNING_ARN} still holds the placeholder CloudFormation generated`,
        fix: `aws secretsmanager put-secret-value --secret-id ${SIGNING_ARN} --secret-string '<signing secret>' with the Slack signing secret (Basic Information → Signing Secret)`,
      });
      expect(results['bot-token']?.status).toBe('PASS');
    });

    it('FAILs a bot token secret that holds no xoxb- token, and accepts one in JSON', async () => {
      const wrong = byName(await runPreflight(healthy({ getSecretValue: async (id) => (id === BOT_ARN ? 'xoxp-user-token' : REAL_SIGNING) }), OPTIONS));
      expect(wrong['bot-token']?.detail).toBe(`${BOT_ARN} does not hold a bot token (xoxb-…, or JSON with botToken)`);
      const json = byName(await runPreflight(healthy({ getSecretValue: async (id) => (id === BOT_ARN ? JSON.stringify({ botToken: REAL_TOKEN }) : REAL_SIGNING) }), OPTIONS));
      expect(json['bot-token']?.status).toBe('PASS');
    });

    it('FAILs an empty, unreadable or missing secret', async () => {
      const empty = byName(await runPreflight(healthy({ getSecretValue: async () => ' ' }), OPTIONS));
      expect(empty['signing-secret']?.detail).toBe(`${SIGNING_ARN} is empty`);
      const denied = byName(await runPreflight(healthy({ getSecretValue: async () => Promise.reject(awsError('AccessDeniedException', 'x')) }), OPTIONS));
      expect(denied['bot-token']?.fix).toBe('allow secretsmanager:GetSecretValue on it for these credentials');
      const noOutput = byName(
        await runPreflight(
          healthy({ describeStack: async (name) => (name === 'CDKToolkit' ? { status: 'CREATE_COMPLETE', outputs: {} } : { status: 'CREATE_COMPLETE', outputs: {} }) }),
          OPTIONS,
        ),
      );
      expect(noOutput['signing-secret']?.detail).toBe('stack SlackBedrockStack has no output SlackSigningSecretArn');
      expect(noOutput['check-auth']?.detail).toBe('stack SlackBedrockStack has no output ExecutionApiUrl');
    });

    it('FAILs check-auth with the failing probe, and when the probes cannot run', async () => {
      const open = byName(
        await runPreflight(
          healthy({
            checkAuth: async () => ({
              pass: false,
              probes: [
                { probe: 'unsigned', pass: true, verdict: 'refused with 403' },
                { probe: 'caller_signed', pass: false, verdict: 'expected 403, got 400' },
              ],
            }),
          }),
          OPTIONS,
        ),
      );
      expect(open['check-auth']?.detail).toBe('caller_signed: expected 403, got 400');
      expect(open['check-auth']?.fix).toContain('npx nx run rollout:check-auth');
      const down = byName(await runPreflight(healthy({ checkAuth: async () => Promise.reject(awsError('CheckAuthError', 'no response within 10000 ms')) }), OPTIONS));
      expect(down['check-auth']?.detail).toBe('the probes could not run: CheckAuthError: no response within 10000 ms');
    });
  });
});
