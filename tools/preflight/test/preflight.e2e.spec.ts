import * as path from 'node:path';
import type { LocalStack } from '@slack-ai-app/local-stack';
import { startIdleLocalStack } from '@slack-ai-app/local-stack/testing';
import { createAwsDeps } from '../src/aws-deps';
import { main } from '../src/cli-main';

/** A value of the shape CloudFormation generates for the secrets (32 characters, every character type). */
const PLACEHOLDER = 'aB3$dEfGhIjKlMnOpQrStUvWxYz01234';
const LAYER = 'arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:4';
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

describe('preflight against the local stack (real SDK clients, SigV4 checked, real wire protocols)', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startIdleLocalStack();
  }, 30_000);
  afterAll(async () => stack?.stop());

  /** Runs the CLI as the local developer user (allowed everything; not the verification role). */
  async function run(...argv: string[]): Promise<{ code: number; lines: string[]; errors: string[] }> {
    const developer = stack.credentials.principals.developer;
    const lines: string[] = [];
    const errors: string[] = [];
    const code = await main(argv, {
      workspaceRoot: path.join(__dirname, 'no-workspace'),
      stdout: (line) => lines.push(line),
      stderr: (line) => errors.push(line),
      deps: (options) =>
        createAwsDeps({
          ...options,
          region: stack.credentials.region,
          endpoint: stack.urls.aws,
          credentials: { accessKeyId: developer.accessKeyId, secretAccessKey: developer.secretAccessKey },
        }),
    });
    return { code, lines, errors };
  }

  const signingArn = () => stack.credentials.slack.signingSecretArn;
  const botArn = () => stack.credentials.slack.botTokenArn;

  it('passes every check on the "deployed" local stack, one line each', async () => {
    const { code, lines, errors } = await run();
    expect(errors).toEqual([]);
    expect(lines).toEqual([
      'PASS  credentials      arn:aws:iam::000000000000:user/local-developer in 000000000000 / us-east-1',
      `PASS  extension-layer  ${LAYER}`,
      `PASS  bedrock-model    inference profile ${MODEL} is ACTIVE in us-east-1`,
      'PASS  bootstrap        CDKToolkit CREATE_COMPLETE, bootstrap version 30',
      'PASS  app-stack        SlackBedrockStack CREATE_COMPLETE',
      `PASS  signing-secret   ${signingArn()} is set (value not shown)`,
      `PASS  bot-token        ${botArn()} is set (value not shown)`,
      'PASS  check-auth       unsigned: refused with 403 MissingAuthenticationTokenException: unsigned requests cannot call the API; ' +
        'caller_signed: refused with 403 AccessDeniedException by an explicit deny: only the verification role can call the API',
    ]);
    expect(code).toBe(0);
    expect(lines.join('\n')).not.toContain(stack.credentials.slack.botToken);
    expect(lines.join('\n')).not.toContain(stack.credentials.slack.signingSecret);
  });

  it('checks the x86_64 layer for --architecture x86_64', async () => {
    const { lines } = await run('--architecture', 'x86_64');
    expect(lines[1]).toBe('PASS  extension-layer  arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension:4');
  });

  it('FAILs a given layer ARN that is not published', async () => {
    const { code, lines } = await run('--layer-arn', `${LAYER.slice(0, -1)}99`);
    expect(lines[1]).toBe(
      `FAIL  extension-layer  ${LAYER.slice(0, -1)}99 cannot be read in us-east-1: ResourceNotFoundException: The resource you requested does not exist.` +
        '  → fix: give a published layer with -c paramsAndSecretsLayerArn=<ARN>, upgrade aws-cdk-lib (its region facts name the layer), or deploy in another Region',
    );
    expect(code).toBe(1);
  });

  it('checks a foundation model id with GetFoundationModel', async () => {
    const { lines } = await run('--model-id', 'anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(lines[2]).toBe(
      'FAIL  bedrock-model    anthropic.claude-sonnet-4-5-20250929-v1:0 cannot be invoked on demand in us-east-1 (inference types: INFERENCE_PROFILE)' +
        '  → fix: invoke it through an inference profile: -c bedrockModelId=<geo>.anthropic.claude-sonnet-4-5-20250929-v1:0 (aws bedrock list-inference-profiles --region us-east-1)',
    );
  });

  it('FAILs a model the Region does not offer, with the fix, and exits 1', async () => {
    const { code, lines } = await run('--model-id', 'eu.acme.unknown-model-v1:0');
    expect(lines[2]).toBe(
      'FAIL  bedrock-model    inference profile eu.acme.unknown-model-v1:0 is not available in us-east-1: ResourceNotFoundException: Inference profile eu.acme.unknown-model-v1:0 not found in us-east-1.' +
        '  → fix: choose one that us-east-1 offers (aws bedrock list-inference-profiles --region us-east-1) and deploy with -c bedrockModelId=<id> (run preflight with --model-id <id>); eu.acme.unknown-model-v1:0 stays refused here',
    );
    expect(code).toBe(1);
  });

  it('FAILs a missing bootstrap stack with the cdk bootstrap command', async () => {
    const { code, lines } = await run('--toolkit-stack-name', 'CDKToolkitElsewhere');
    expect(lines[3]).toBe(
      'FAIL  bootstrap        stack CDKToolkitElsewhere does not exist in 000000000000 / us-east-1' +
        '  → fix: npx cdk bootstrap aws://000000000000/us-east-1 --toolkit-stack-name CDKToolkitElsewhere',
    );
    expect(code).toBe(1);
  });

  it('SKIPs the deployed-stack checks before the first deploy', async () => {
    const { code, lines } = await run('--stack', 'NotDeployedYet', '--json');
    const report = JSON.parse(lines[0] as string) as { ok: boolean; checks: Array<{ name: string; status: string; detail: string }> };
    expect(lines).toHaveLength(1);
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => `${check.status} ${check.name}`)).toEqual([
      'PASS credentials',
      'PASS extension-layer',
      'PASS bedrock-model',
      'PASS bootstrap',
      'SKIP app-stack',
      'SKIP signing-secret',
      'SKIP bot-token',
      'SKIP check-auth',
    ]);
    expect(report.checks[5]?.detail).toBe('after the first deploy (NotDeployedYet does not exist yet)');
    expect(code).toBe(0);
  });

  it('FAILs a secret that still holds the placeholder, and passes again once the real value is stored', async () => {
    const real = stack.credentials.slack.signingSecret;
    stack.secrets.put(stack.credentials.slack.signingSecretName, PLACEHOLDER);
    try {
      const { code, lines } = await run();
      expect(lines[5]).toBe(
        `FAIL  signing-secret   ${signingArn()} still holds the placeholder CloudFormation generated` +
          `  → fix: aws secretsmanager put-secret-value --secret-id ${signingArn()} --secret-string '<signing secret>' with the Slack signing secret (Basic Information → Signing Secret)`,
      );
      expect(lines.join('\n')).not.toContain(PLACEHOLDER);
      expect(code).toBe(1);
    } finally {
      stack.secrets.put(stack.credentials.slack.signingSecretName, real);
    }
    expect((await run()).code).toBe(0);
  });

  it('FAILs the credentials when the keys are wrong, and SKIPs everything else', async () => {
    const lines: string[] = [];
    const code = await main([], {
      workspaceRoot: __dirname,
      stdout: (line) => lines.push(line),
      stderr: () => undefined,
      deps: (options) =>
        createAwsDeps({
          ...options,
          region: stack.credentials.region,
          endpoint: stack.urls.aws,
          credentials: { accessKeyId: 'AKIANOTKNOWNTOLOCAL1', secretAccessKey: 'not/the/right/secret' },
        }),
    });
    expect(lines[0]).toMatch(/^FAIL {2}credentials {6}sts:GetCallerIdentity failed in us-east-1: InvalidClientTokenId: .+ {2}→ fix: sign in/);
    expect(lines.slice(1).every((line) => line.startsWith('SKIP'))).toBe(true);
    expect(code).toBe(1);
  });

  it('refuses an unknown flag with exit code 2', async () => {
    const { code, errors } = await run('--regoin', 'eu-west-1');
    expect(code).toBe(2);
    expect(errors[0]).toBe('preflight: unknown argument "--regoin"');
  });
});
