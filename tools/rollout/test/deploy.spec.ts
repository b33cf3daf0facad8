import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CommandDeployStep, DEFAULT_DEPLOY_COMMAND, deployArguments, type DeployRequest, formatCommand } from '../src/deploy';
import { DeployError } from '../src/errors';

const REQUEST: DeployRequest = {
  percentage: 10,
  useApiGateway: true,
  enableDirectInvokeFallback: true,
  reason: 'stage 1/3 (10 %)',
  extras: { context: { bedrockModelId: 'anthropic.claude', alarmEmail: 'ops@example.com' }, args: ['--exclusively'] },
};

describe('deployArguments', () => {
  it('puts the stack, the three controlled context values, the extras, no approval and the profile in a fixed order', () => {
    expect(deployArguments({ stack: 'SlackBedrockStack', profile: 'prod' }, REQUEST)).toEqual([
      'SlackBedrockStack',
      '--context',
      'executionApiPercentage=10',
      '--context',
      'useApiGateway=true',
      '--context',
      'enableDirectInvokeFallback=true',
      '--context',
      'alarmEmail=ops@example.com',
      '--context',
      'bedrockModelId=anthropic.claude',
      '--require-approval',
      'never',
      '--profile',
      'prod',
      '--exclusively',
    ]);
  });

  it('the default command is the infra app deploy target with arguments forwarded to cdk', () => {
    expect(DEFAULT_DEPLOY_COMMAND).toEqual(['npx', 'nx', 'run', 'infra:deploy', '--']);
  });
});

describe('formatCommand', () => {
  it('quotes only what a shell would split or expand', () => {
    expect(formatCommand(['npx', 'nx', 'run', 'infra:deploy', '--', '--context', 'note=two words', "it's"])).toBe(
      `npx nx run infra:deploy -- --context 'note=two words' 'it'\\''s'`,
    );
  });
});

describe('CommandDeployStep', () => {
  let directory: string;
  let out: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'rollout-deploy-'));
    out = path.join(directory, 'started.json');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const step = (env: NodeJS.ProcessEnv, onStart?: (line: string) => void) =>
    new CommandDeployStep({
      stack: 'SlackBedrockStack',
      region: 'eu-west-1',
      command: [process.execPath, path.join(__dirname, 'fixtures', 'fake-deploy.js'), '--'],
      cwd: directory,
      env: { ...process.env, FAKE_DEPLOY_OUT: out, ...env },
      stdoutToStderr: true,
      ...(onStart ? { onStart } : {}),
    });

  it('runs the command in the workspace with the cdk arguments and the region, and resolves on exit code 0', async () => {
    const started: string[] = [];
    await step({ FAKE_DEPLOY_EXIT: '0' }, (line) => started.push(line)).deploy(REQUEST);

    const seen = JSON.parse(readFileSync(out, 'utf8')) as { argv: string[]; cwd: string; region: string; defaultRegion: string };
    expect(seen.argv).toEqual(['--', ...deployArguments({ stack: 'SlackBedrockStack' }, REQUEST)]);
    expect(seen.cwd).toBe(directory);
    expect([seen.region, seen.defaultRegion]).toEqual(['eu-west-1', 'eu-west-1']);
    expect(started).toHaveLength(1);
    expect(started[0]).toContain('--context executionApiPercentage=10 --context useApiGateway=true');
  });

  it('describes the same command it runs', () => {
    expect(step({}).describe(REQUEST)).toBe(
      formatCommand([process.execPath, path.join(__dirname, 'fixtures', 'fake-deploy.js'), '--', ...deployArguments({ stack: 'SlackBedrockStack' }, REQUEST)]),
    );
  });

  it('rejects with DeployError carrying the exit code when the deploy fails', async () => {
    const error = await step({ FAKE_DEPLOY_EXIT: '3' })
      .deploy(REQUEST)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeployError);
    expect(error).toMatchObject({ message: 'the deploy exited with code 3', exitCode: 3 });
  });

  it('rejects with DeployError when the deploy is killed', async () => {
    await expect(step({ FAKE_DEPLOY_SIGNAL: 'SIGTERM' }).deploy(REQUEST)).rejects.toThrow('the deploy was killed by SIGTERM');
  });

  it('rejects with DeployError when the command does not exist', async () => {
    const missing = new CommandDeployStep({ stack: 'SlackBedrockStack', command: [path.join(directory, 'no-such-command')], cwd: directory });
    await expect(missing.deploy(REQUEST)).rejects.toThrow(/^cannot start the deploy \(.*no-such-command\): Error: spawn .* ENOENT$/);
  });
});
