import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataInput, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { USAGE } from '../src/args';
import { type CliRuntime, ExitCode, main } from '../src/cli-main';
import type { DeployRequest, DeployStep } from '../src/deploy';
import { FakeClock, MINUTE, T0 } from './support/fakes';

const cloudFormation = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);
const cloudWatch = mockClient(CloudWatchClient);

/** A simulated account: the stack's outputs, the verification function's environment, and metrics by percentage. */
class Account {
  env: Record<string, string> = { USE_API_GATEWAY: 'false', USE_API_GATEWAY_PERCENTAGE: '0', BEDROCK_PROCESSOR_ARN: 'arn:processor' };
  outputs: Record<string, string> = {
    ExecutionApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/',
    ExecutionApiName: 'SlackBedrockStack-execution-api',
    VerificationFunctionName: 'SlackBedrockStack-Verification',
  };
  /** 5XX per 1000 API requests. */
  fivexxPerMille = 0;
  readonly deploys: DeployRequest[] = [];
  readonly metricQueries: GetMetricDataInput[] = [];

  install(): void {
    cloudFormation.on(DescribeStacksCommand).callsFake(() => ({
      Stacks: [
        {
          StackName: 'SlackBedrockStack',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(T0),
          Outputs: Object.entries(this.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    }));
    lambda.on(GetFunctionConfigurationCommand).callsFake(() => ({ Environment: { Variables: { ...this.env } } }));
    cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataInput) => {
      this.metricQueries.push(input);
      const minutes = ((input.EndTime as Date).getTime() - (input.StartTime as Date).getTime()) / MINUTE;
      const percentage = Number(this.env.USE_API_GATEWAY_PERCENTAGE ?? '0');
      const api = 10 * percentage * minutes;
      const direct = 10 * (100 - percentage) * minutes;
      const values: Record<string, number> = {
        apigw_count: api,
        apigw_5xx: (api * this.fivexxPerMille) / 1000,
        api_success: api,
        api_latency_n: api,
        direct_success: direct,
        direct_latency_n: direct,
        ...(api > 0 ? { api_latency_p95: 200 } : {}),
        ...(direct > 0 ? { direct_latency_p95: 200 } : {}),
      };
      const results: MetricDataResult[] = Object.entries(values).map(([Id, value]) => ({ Id, StatusCode: 'Complete', Values: [value] }));
      return { MetricDataResults: results };
    });
  }

  deployStep(): DeployStep {
    return {
      describe: (request) => `fake-deploy ${request.percentage} ${request.useApiGateway} ${request.enableDirectInvokeFallback}`,
      deploy: async (request) => {
        this.deploys.push(request);
        this.env = {
          USE_API_GATEWAY: String(request.useApiGateway),
          USE_API_GATEWAY_PERCENTAGE: String(request.percentage),
          ...(request.enableDirectInvokeFallback ? { BEDROCK_PROCESSOR_ARN: 'arn:processor' } : {}),
        };
      },
    };
  }
}

let workspace: string;
let account: Account;

beforeEach(() => {
  cloudFormation.reset();
  lambda.reset();
  cloudWatch.reset();
  workspace = mkdtempSync(path.join(tmpdir(), 'rollout-cli-'));
  account = new Account();
  account.install();
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
  clock: FakeClock;
}

async function cli(argv: string[], options: { answer?: string; clock?: FakeClock; credentials?: CliRuntime['credentials'] } = {}): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const clock = options.clock ?? new FakeClock(T0);
  const runtime: CliRuntime = {
    cwd: workspace,
    env: { NX_WORKSPACE_ROOT: workspace },
    clock,
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    ask: options.answer === undefined ? undefined : async () => options.answer as string,
    deployStep: () => account.deployStep(),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const code = await main(['--region', 'eu-west-1', ...argv], runtime);
  return { code, stdout, stderr, clock };
}

const SHORT = ['--stages', '10:2m,100:2m', '--metrics-delay', '0s', '--poll-interval', '1m', '--min-samples', '5'];
const stateFile = () => path.join(workspace, '.rollout', 'state.SlackBedrockStack.json');

describe('rollout CLI', () => {
  it('help prints the usage', async () => {
    const run = await cli(['help']);
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stdout).toEqual([USAGE]);
  });

  it('exits 2 with a short message on an unknown command, flag or bad value', async () => {
    expect((await cli(['deploy'])).stderr).toEqual([
      'error: unknown command "deploy"; use one of status, plan, run, rollback, cleanup, check-auth, help',
      'Run with --help for the usage.',
    ]);
    expect((await cli(['run', '--percent', '5'])).code).toBe(ExitCode.Usage);
    const bad = await cli(['plan', '--max-5xx-rate', '0.1']);
    expect(bad.code).toBe(ExitCode.Usage);
    expect(bad.stderr[0]).toBe('error: --max-5xx-rate: "0.1" is not a percentage; write e.g. 0.1%');
  });

  it('plan shows the default stages, gates and the deploy command of each stage', async () => {
    const run = await cli(['plan']);
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stdout[0]).toBe('Plan for SlackBedrockStack (from the defaults):');
    expect(run.stdout).toContain('  3. 100 % through the execution API, bake 24h');
    expect(run.stdout.slice(-3)).toEqual(['  1. fake-deploy 10 false true', '  2. fake-deploy 50 false true', '  3. fake-deploy 100 false true']);
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  it('status --json reports the deployed switches and the last hour, read from the stack outputs', async () => {
    account.env = { USE_API_GATEWAY: 'false', USE_API_GATEWAY_PERCENTAGE: '10', BEDROCK_PROCESSOR_ARN: 'arn:processor' };
    const run = await cli(['status', '--json']);

    expect(run.code).toBe(ExitCode.Ok);
    const report = JSON.parse(run.stdout[0] as string);
    expect(report).toMatchObject({
      type: 'status',
      stack: 'SlackBedrockStack',
      deployed: { useApiGateway: false, percentage: 10, effectivePercentage: 10, fallbackEnabled: true },
      metrics: { window: { start: '2025-03-03T08:00:00.000Z', end: '2025-03-03T09:00:00.000Z' }, apiCount: 6000, apiHandoffs: 6000, fallbacks: 0 },
    });
    expect(report.rollout).toBeUndefined();
    expect(report.gates.map((gate: { status: string }) => gate.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    const dimensions = account.metricQueries[0]?.MetricDataQueries?.[0]?.MetricStat?.Metric?.Dimensions;
    expect(dimensions).toEqual([
      { Name: 'ApiName', Value: 'SlackBedrockStack-execution-api' },
      { Name: 'Stage', Value: 'prod' },
    ]);
    // Read-only: nothing was deployed and no state was written.
    expect(account.deploys).toEqual([]);
    expect(existsSync(stateFile())).toBe(false);
  });

  it('status names the missing output and the flag that replaces it', async () => {
    delete account.outputs.ExecutionApiName;
    const run = await cli(['status']);
    expect(run.code).toBe(ExitCode.Error);
    expect(run.stderr).toEqual([
      'error: StackReadError: the stack has no output ExecutionApiName; deploy the current infra app or pass --api-name',
    ]);
  });

  it('run --yes completes a short plan, keeps the state in .rollout/, and cleanup then removes the fallback', async () => {
    const run = await cli(['run', '--yes', ...SHORT]);

    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(ExitCode.Ok);
    expect(account.deploys.map((request) => [request.percentage, request.useApiGateway, request.enableDirectInvokeFallback])).toEqual([
      [10, false, true],
      [100, false, true],
    ]);
    expect(run.stdout).toContain(
      '[stage 1/2 10%] baking, 1m left | auth 4XX 0/100 ok | 5XX 0% (0/100) ok | fallback 0% (0/100) ok | p95 1.00x (200/200 ms live) ok',
    );
    expect(run.stdout.at(-1)).toBe('Rollout completed: all 2 stages green. Next, when ready: cleanup (removes the fallback).');
    expect(JSON.parse(readFileSync(stateFile(), 'utf8'))).toMatchObject({ status: 'completed', stack: 'SlackBedrockStack', region: 'eu-west-1' });
    expect(readFileSync(path.join(workspace, '.rollout', '.gitignore'), 'utf8')).toContain('*');

    const cleanup = await cli(['cleanup', '--yes'], { clock: run.clock });
    expect(cleanup.code).toBe(ExitCode.Ok);
    expect(account.deploys.at(-1)).toMatchObject({ percentage: 100, useApiGateway: false, enableDirectInvokeFallback: false });
    expect(cleanup.stdout.at(-1)).toBe('Cleanup done: EXECUTION_FUNCTION_ARN, its alias BEDROCK_PROCESSOR_ARN and the invoke grant are removed.');
  });

  it('a run that died mid-bake resumes from the state file: no new deploy for the stage, only the time left', async () => {
    const first = new FakeClock(T0);
    first.crashOnSleep = 2; // the process dies 1 minute into the 10 % bake (2 minutes long)
    const crashed = await cli(['run', '--yes', ...SHORT], { clock: first });
    expect(crashed.code).toBe(ExitCode.Error);
    expect(crashed.stderr).toEqual(['error: SimulatedCrash: simulated crash']);
    expect(JSON.parse(readFileSync(stateFile(), 'utf8'))).toMatchObject({ status: 'baking', stageIndex: 0 });

    const resumed = await cli(['run', '--yes', ...SHORT], { clock: new FakeClock(first.time) });

    expect(resumed.code).toBe(ExitCode.Ok);
    expect(resumed.stdout[0]).toBe('Resuming the rollout of SlackBedrockStack: 10:2m,100:2m (at stage 1/2, baking)');
    expect(resumed.stdout).toContain(
      '[stage 1/2 10%] baking, 1m left | auth 4XX 0/100 ok | 5XX 0% (0/100) ok | fallback 0% (0/100) ok | p95 1.00x (200/200 ms live) ok',
    );
    expect(account.deploys.map((request) => request.percentage)).toEqual([10, 100]);
  });

  it('cleanup before a completed run exits 1 and deploys nothing', async () => {
    const run = await cli(['cleanup', '--yes']);
    expect(run.code).toBe(ExitCode.Error);
    expect(run.stderr[0]).toMatch(/^error: PreconditionError: no rollout recorded in .*state\.SlackBedrockStack\.json; cleanup needs a completed run at 100 %$/);
    expect(account.deploys).toEqual([]);
  });

  it('run exits 3 after a breach, with the breach as JSON lines under --json', async () => {
    account.fivexxPerMille = 10;
    const run = await cli(['run', '--yes', '--json', ...SHORT]);

    expect(run.code).toBe(ExitCode.Breach);
    const events = run.stdout.map((line) => JSON.parse(line));
    const breach = events.find((event) => event.type === 'breach');
    expect(breach.breach.gates).toEqual([expect.objectContaining({ id: 'api_5xx_rate', numerator: 1, denominator: 100, value: 0.01 })]);
    // The rollback, then the run's timeline: the failed stage with what the stack said and the hand-offs by path.
    expect(events.slice(-2)).toMatchObject([
      { type: 'rolled_back', time: '2025-03-03T09:01:00.000Z' },
      {
        type: 'timeline',
        rows: [
          { percentage: 10, deployedPercentage: 10, observed: { api: 100, total: 1000, share: 0.1 }, outcome: 'breach' },
          { percentage: 0, outcome: 'rolled back', reason: expect.stringContaining('5XX rate 1% (1 of 100 requests)') },
        ],
      },
    ]);
    expect(account.deploys.map((request) => request.percentage)).toEqual([10, 0]);

    const again = await cli(['run', '--yes', ...SHORT]);
    expect(again.code).toBe(ExitCode.Error);
    expect(again.stderr[0]).toContain('pass --restart to start again at the first stage');
  });

  it('run refuses to change anything without --yes when there is no terminal to ask on', async () => {
    const run = await cli(['run', ...SHORT]);
    expect(run.code).toBe(ExitCode.Error);
    expect(run.stderr[0]).toBe(
      'error: NotConfirmedError: Start rolling out SlackBedrockStack through 10:2m,100:2m (currently 0 % via the API)? ' +
        'There is no terminal to confirm on; pass --yes',
    );
    expect(account.deploys).toEqual([]);
  });

  it('run asks on the terminal and stops on anything but yes', async () => {
    expect((await cli(['run', ...SHORT], { answer: 'no' })).code).toBe(ExitCode.Error);
    expect(account.deploys).toEqual([]);
    expect((await cli(['run', ...SHORT], { answer: 'y' })).code).toBe(ExitCode.Ok);
    expect(account.deploys).toHaveLength(2);
  });

  it('run --dry-run prints the deploys and writes nothing', async () => {
    const run = await cli(['run', '--dry-run', ...SHORT]);
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stdout.filter((line) => line.startsWith('[dry-run]'))).toEqual([
      '[dry-run] would deploy stage 1/2 (10 %):\n  $ fake-deploy 10 false true',
      '[dry-run] would bake stage 1/2 (10 %) for 2m, then evaluate the gates (a breach deploys 0 %)',
      '[dry-run] would deploy stage 2/2 (100 %):\n  $ fake-deploy 100 false true',
      '[dry-run] would bake stage 2/2 (100 %) for 2m, then evaluate the gates (a breach deploys 0 %)',
    ]);
    expect(account.deploys).toEqual([]);
    expect(existsSync(stateFile())).toBe(false);
  });

  it('rollback deploys 0 % at once, without asking', async () => {
    const run = await cli(['rollback', '--reason', 'on-call decision']);
    expect(run.code).toBe(ExitCode.Ok);
    expect(account.deploys).toEqual([
      expect.objectContaining({ percentage: 0, useApiGateway: false, enableDirectInvokeFallback: true, reason: 'rollback: on-call decision' }),
    ]);
  });

  it('passes --context and --cdk-arg to every deploy', async () => {
    const run = await cli(['rollback', '--context', 'bedrockModelId=anthropic.claude', '--cdk-arg=--exclusively']);
    expect(run.code).toBe(ExitCode.Ok);
    expect(account.deploys[0]?.extras).toEqual({ context: { bedrockModelId: 'anthropic.claude' }, args: ['--exclusively'] });
  });

  describe('check-auth', () => {
    let server: http.Server;
    let signedStatus: number;
    beforeEach(async () => {
      signedStatus = 403;
      server = http.createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          const signed = request.headers.authorization !== undefined;
          if (!signed) {
            response.writeHead(403, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'MissingAuthenticationTokenException' });
            response.end('{"message":"Missing Authentication Token"}');
          } else if (signedStatus === 403) {
            response.writeHead(403, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' });
            response.end('{"Message":"User: arn:aws:sts::1:assumed-role/ops/me is not authorized to perform: execute-api:Invoke on resource: arn with an explicit deny"}');
          } else {
            response.writeHead(signedStatus, { 'content-type': 'application/json' });
            response.end('{"status":"accepted"}');
          }
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      account.outputs.ExecutionApiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod/`;
    });
    afterEach(async () => new Promise<void>((resolve) => server.close(() => resolve())));

    const credentials = () => async () => ({ accessKeyId: 'AKIAOPERATOR00000000', secretAccessKey: 'operator-secret' });

    it('prints both probes and exits 0 when both are refused', async () => {
      const run = await cli(['check-auth'], { credentials });
      expect(run.code).toBe(ExitCode.Ok);
      expect(run.stdout.map((line) => line.replace(/127\.0\.0\.1:\d+/, 'host'))).toEqual([
        'check-auth http://host/prod/execute',
        '  PASS unsigned POST: 403 MissingAuthenticationTokenException: refused with 403 MissingAuthenticationTokenException: unsigned requests cannot call the API',
        '  PASS POST signed with your credentials: 403 AccessDeniedException: refused with 403 AccessDeniedException by an explicit deny: only the verification role can call the API',
        'Result: PASS, the execution API refuses everyone but the verification role.',
      ]);
    });

    it('exits 3 when the API accepts the caller', async () => {
      signedStatus = 202;
      const run = await cli(['check-auth', '--json'], { credentials });
      expect(run.code).toBe(ExitCode.Breach);
      expect(JSON.parse(run.stdout[0] as string)).toMatchObject({ type: 'check_auth', pass: false });
    });

    it('--dry-run sends nothing', async () => {
      const run = await cli(['check-auth', '--dry-run'], {
        credentials: () => async () => {
          throw new Error('credentials must not be read in a dry run');
        },
      });
      expect(run.code).toBe(ExitCode.Ok);
      expect(run.stdout).toHaveLength(2);
      expect(run.stdout[0]).toMatch(/^\[dry-run\] would POST http:\/\/127\.0\.0\.1:\d+\/prod\/execute without a signature and expect 403$/);
    });
  });

  describe('two-account layout', () => {
    it('check-auth reads the URL from either stack: the execution stack has no verification function', async () => {
      account.outputs = { ExecutionApiUrl: 'http://127.0.0.1:1/prod/', ExecutionApiId: 'a1b2c3d4e5' };
      const run = await cli(['check-auth', '--stack', 'SlackAiExecution', '--profile', 'exec', '--dry-run']);
      expect(run.code).toBe(ExitCode.Ok);
      expect(run.stdout).toEqual([
        '[dry-run] would POST http://127.0.0.1:1/prod/execute without a signature and expect 403',
        '[dry-run] would POST http://127.0.0.1:1/prod/execute signed with your credentials (profile exec) and expect 403 AccessDeniedException (explicit deny)',
      ]);
      expect(cloudFormation.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input)).toEqual([{ StackName: 'SlackAiExecution' }]);
      expect(lambda.calls()).toHaveLength(0);
    });

    it('status of the execution stack says which stack and flags to use instead', async () => {
      account.outputs = { ExecutionApiUrl: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/', ExecutionApiName: 'SlackAiExecution-execution-api' };
      const run = await cli(['status', '--stack', 'SlackAiExecution']);
      expect(run.code).toBe(ExitCode.Error);
      expect(run.stderr).toEqual([
        'error: StackReadError: stack SlackAiExecution has no output VerificationFunctionName; deploy the current infra app or pass --function-name ' +
          "(in the two-account layout, read the verification stack with the verification account's credentials, and pass --api-profile/--api-region for the execution account)",
      ]);
    });

    it('status reads the hand-offs from the stack\'s account and the API metrics from --api-profile/--api-region', async () => {
      account.outputs = {
        ExecutionApiUrl: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/',
        ExecutionApiName: 'SlackAiExecution-execution-api',
        VerificationFunctionName: 'slack-ai-verification',
      };
      const regions: string[] = [];
      cloudWatch.on(GetMetricDataCommand).callsFake(async (_input: GetMetricDataInput, getClient) => {
        const region = await getClient().config.region();
        regions.push(region);
        // Each account holds only its own layer's metrics; a reader of the wrong account would see these zeros.
        const values: Record<string, number> =
          region === 'us-east-1' ? { apigw_count: 42, apigw_5xx: 1 } : { api_success: 30, api_error: 2, api_fallback: 1, api_auth_error: 0 };
        return { MetricDataResults: Object.entries(values).map(([Id, value]) => ({ Id, StatusCode: 'Complete', Values: [value] })) };
      });
      const run = await cli(['status', '--json', '--stack', 'SlackAiVerification', '--api-profile', 'exec', '--api-region', 'us-east-1']);
      expect(run.code).toBe(ExitCode.Ok);
      expect(regions.sort()).toEqual(['eu-west-1', 'us-east-1']);
      const report = JSON.parse(run.stdout[0] as string);
      expect(report.metrics).toMatchObject({ apiCount: 42, api5xx: 1, apiHandoffs: 32, fallbacks: 1 });
    });
  });
});
