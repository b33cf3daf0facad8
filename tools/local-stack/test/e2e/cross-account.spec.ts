import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { RequestSigner } from '@slack-ai-app/signing';
import type { LocalPrincipal, LocalStack } from '../../src';
import { LOCAL_TWO_ACCOUNT_API_ID } from '../../src/constants';
import { synthesizeWithContext, withLocalTwoAccountContext } from '../../src/cli/synth-context';
import { findWorkspaceRoot } from '../../src/stack';
import { executionRequest, rawRequest, startTestStack, type RawResponse } from '../support/stack';

/*
 * The two-account layout (apps/infra README "Two accounts"), deployed locally from its two synthesized templates:
 * SlackAiVerification in account 111111111111, SlackAiExecution in 222222222222. Every call goes through real SigV4
 * clients; IAM is evaluated across accounts (both the identity and the resource policy must allow).
 */

const VERIFICATION_ACCOUNT = '111111111111';
const EXECUTION_ACCOUNT = '222222222222';
const ACCOUNTS = { verificationAccount: VERIFICATION_ACCOUNT, executionAccount: EXECUTION_ACCOUNT };
const EXECUTION_FUNCTION_ARN = `arn:aws:lambda:us-east-1:${EXECUTION_ACCOUNT}:function:slack-ai-app-execution`;
const SYNTH_TIMEOUT_MS = 240_000;

/** One synth per context, shared by the describe blocks of this file. */
const synthesized = new Map<string, string>();
function assemblyFor(context: Record<string, string>): string {
  const key = JSON.stringify(context);
  const known = synthesized.get(key);
  if (known !== undefined) return known;
  const directory = synthesizeWithContext(findWorkspaceRoot(), withLocalTwoAccountContext(context));
  synthesized.set(key, directory);
  return directory;
}

/** A copy of an assembly under the git-ignored tmp/local-stack/, with one template edited in place. */
function editedCopy(source: string, templateFile: string, edit: (template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }) => void): string {
  const parent = join(findWorkspaceRoot(), 'tmp', 'local-stack');
  mkdirSync(parent, { recursive: true });
  const copy = mkdtempSync(join(parent, 'edited-two-account-'));
  cpSync(source, copy, { recursive: true });
  const path = join(copy, templateFile);
  const template = JSON.parse(readFileSync(path, 'utf8'));
  edit(template);
  writeFileSync(path, JSON.stringify(template, null, 1));
  return copy;
}

function runningStack(assembly: () => string): () => LocalStack {
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    stack = await startTestStack({ assembly: assembly() });
  }, SYNTH_TIMEOUT_MS);
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (stack === undefined) throw new Error('the stack did not start');
    return stack;
  };
}

function principal(stack: LocalStack, name: 'verification' | 'otherRole' | 'otherAccountRole' | 'developer'): LocalPrincipal {
  const found = stack.credentials.principals[name];
  if (found === undefined) throw new Error(`no ${name} principal`);
  return found;
}

function keysOf(p: LocalPrincipal): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  return { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey, ...(p.sessionToken !== undefined ? { sessionToken: p.sessionToken } : {}) };
}

/** `POST /execute`, signed by libs/signing's SigV4 client (the one the verification Lambda uses) as `p`. */
async function postExecute(stack: LocalStack, p: LocalPrincipal, eventId: string): Promise<RawResponse> {
  const signer = new RequestSigner({ service: 'execute-api', region: 'us-east-1', credentials: async () => keysOf(p) });
  const body = JSON.stringify(executionRequest({ event_id: eventId }));
  const signed = await signer.sign({ method: 'POST', url: stack.urls.executeApi, headers: { 'content-type': 'application/json' }, body });
  return rawRequest(signed.url, { method: 'POST', headers: signed.headers, body });
}

/** The execute-api method ARN as API Gateway masks it in its messages (account but the last 4 digits). */
const MASKED_METHOD_ARN = `arn:aws:execute-api:us-east-1:********2222:${LOCAL_TWO_ACCOUNT_API_ID}/prod/POST/execute`;

describe('two accounts, as synthesized', () => {
  const running = runningStack(() => assemblyFor(ACCOUNTS));

  it('deploys each stack into its own account, with its own credentials', async () => {
    const stack = running();
    expect(stack.credentials.accounts).toEqual({ verification: VERIFICATION_ACCOUNT, execution: EXECUTION_ACCOUNT, crossAccount: true });
    expect(stack.functions.verification.arn).toMatch(new RegExp(`^arn:aws:lambda:us-east-1:${VERIFICATION_ACCOUNT}:function:SlackAiVerification-`));
    expect(stack.functions.execution.arn).toBe(EXECUTION_FUNCTION_ARN);
    const listed = (JSON.parse((await rawRequest(`${stack.urls.aws}/_local/principals`)).body) as { principals: Array<{ name: string; account: string; principalArn: string }> }).principals;
    expect(listed.map(({ name, account, principalArn }) => [name, account, principalArn])).toEqual([
      ['verification', VERIFICATION_ACCOUNT, `arn:aws:iam::${VERIFICATION_ACCOUNT}:role/slack-ai-app-verification-us-east-1`],
      ['execution', EXECUTION_ACCOUNT, expect.stringMatching(new RegExp(`^arn:aws:iam::${EXECUTION_ACCOUNT}:role/SlackAiExecution-`))],
      ['otherRole', VERIFICATION_ACCOUNT, `arn:aws:iam::${VERIFICATION_ACCOUNT}:role/slack-ai-app-other-role`],
      ['developer', EXECUTION_ACCOUNT, `arn:aws:iam::${EXECUTION_ACCOUNT}:user/local-developer`],
      ['otherAccountRole', EXECUTION_ACCOUNT, `arn:aws:iam::${EXECUTION_ACCOUNT}:role/slack-ai-app-execution-account-role`],
    ]);
  });

  it('describes both stacks with their outputs (tools/rollout reads them from each account)', async () => {
    const stack = running();
    // The developer user: DescribeStacks is under IAM, and its identity policy allows it.
    const cloudFormation = new CloudFormationClient({ endpoint: stack.urls.aws, region: 'us-east-1', credentials: keysOf(principal(stack, 'developer')) });
    const outputsOf = async (name: string) =>
      Object.fromEntries(((await cloudFormation.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(await outputsOf('SlackAiExecution')).toEqual({
      ExecutionApiId: LOCAL_TWO_ACCOUNT_API_ID,
      ExecutionApiUrl: `${stack.urls.executionApiStage}/`,
      ExecutionApiName: 'SlackAiExecution-execution-api',
      SlackBotTokenSecretArn: stack.credentials.slack.botTokenArn,
    });
    expect(await outputsOf('SlackAiVerification')).toMatchObject({ SlackEventsUrl: stack.urls.slackEvents, VerificationFunctionName: stack.functions.verification.name });
    expect(stack.credentials.slack.botTokenArn).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:${EXECUTION_ACCOUNT}:secret:`));
    expect(stack.credentials.slack.signingSecretArn).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:${VERIFICATION_ACCOUNT}:secret:`));
    cloudFormation.destroy();
  });

  it("the verification role of account A, with both grants: 202, and the event is answered", async () => {
    const stack = running();
    const response = await postExecute(stack, principal(stack, 'verification'), 'EvXACCT00001');
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body)).toMatchObject({ status: 'accepted' });
    await stack.waitForIdle();
    // The signed hand-off itself ran the execution function in account B, once.
    expect(stack.trace.forEvent('EvXACCT00001').flatMap((e) => (e.kind === 'invocation' ? [[e.functionName, e.source, e.outcome]] : []))).toEqual([
      ['slack-ai-app-execution', 'execute_api', 'success'],
    ]);
    // And a Slack mention, end to end: Function URL in account A, API Gateway into account B, the reply in the thread.
    const sent = await stack.slack.postUserMessage({ text: 'hello across accounts' });
    expect(sent.status).toBe(200);
    await stack.waitForIdle();
    const path = stack.trace.forEvent(sent.eventId as string).flatMap((e) => (e.kind === 'execute_api' ? [['execute_api', e.status]] : e.kind === 'lambda_api' ? [['lambda_api', e.status]] : []));
    expect(path).toEqual([['execute_api', 202]]);
    const replies = stack.slack.botReplies({ threadTs: sent.threadTs as string });
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain('hello across accounts');
  });

  it('a role in account B whose identity policy allows execute-api:Invoke on *: 403, with the explicit-deny message', async () => {
    const stack = running();
    const caller = principal(stack, 'otherAccountRole');
    const response = await postExecute(stack, caller, 'EvXACCT00002');
    expect(response.status).toBe(403);
    expect(response.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(JSON.parse(response.body)).toEqual({ Message: `User: ${caller.callerArn} is not authorized to perform: execute-api:Invoke on resource: ${MASKED_METHOD_ARN} with an explicit deny` });
  });

  it('a role in account A that is not the verification role: 403', async () => {
    const stack = running();
    const caller = principal(stack, 'otherRole');
    const response = await postExecute(stack, caller, 'EvXACCT00003');
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ Message: `User: ${caller.callerArn} is not authorized to perform: execute-api:Invoke on resource: ${MASKED_METHOD_ARN} with an explicit deny` });
  });

  it('the direct-invoke fallback across accounts works while it is enabled', async () => {
    const stack = running();
    const lambda = new LambdaClient({ endpoint: stack.urls.aws, region: 'us-east-1', credentials: keysOf(principal(stack, 'verification')) });
    const payload = JSON.stringify(executionRequest({ event_id: 'EvXACCT00004', text: 'direct across accounts' }));
    const result = await lambda.send(new InvokeCommand({ FunctionName: EXECUTION_FUNCTION_ARN, InvocationType: 'Event', Payload: Buffer.from(payload) }));
    expect(result.StatusCode).toBe(202);
    await stack.waitForIdle();
    expect(stack.trace.forEvent('EvXACCT00004').flatMap((e) => (e.kind === 'invocation' ? [[e.source, e.outcome]] : []))).toEqual([['lambda_api', 'success']]);
    lambda.destroy();
  });
});

describe("two accounts, the verification role's identity grant on the API deleted", () => {
  let removed = 0;
  let copy: string | undefined;
  const running = runningStack(() => {
    copy = editedCopy(assemblyFor(ACCOUNTS), 'SlackAiVerification.template.json', (template) => {
      for (const resource of Object.values(template.Resources)) {
        if (resource.Type !== 'AWS::IAM::Policy') continue;
        const document = resource.Properties?.['PolicyDocument'] as { Statement: Array<{ Action: unknown }> };
        const before = document.Statement.length;
        document.Statement = document.Statement.filter((s) => s.Action !== 'execute-api:Invoke');
        removed += before - document.Statement.length;
      }
    });
    return copy;
  });
  afterAll(() => {
    if (copy !== undefined) rmSync(copy, { recursive: true, force: true });
  });

  it('the verification role gets 403: AWS refuses a cross-account call that only the resource policy allows', async () => {
    const stack = running();
    expect(removed).toBe(1);
    const caller = principal(stack, 'verification');
    const response = await postExecute(stack, caller, 'EvXACCT00005');
    expect(response.status).toBe(403);
    // An implicit deny: no " with an explicit deny" (the resource policy allows this role).
    expect(JSON.parse(response.body)).toEqual({ Message: `User: ${caller.callerArn} is not authorized to perform: execute-api:Invoke on resource: ${MASKED_METHOD_ARN}` });
  });
});

describe('two accounts, enableDirectInvokeFallback=false deployed', () => {
  const running = runningStack(() => assemblyFor({ ...ACCOUNTS, executionApiPercentage: '100', enableDirectInvokeFallback: 'false' }));

  it("refuses the verification role's direct invoke across accounts: no resource-based policy allows it", async () => {
    const stack = running();
    const caller = principal(stack, 'verification');
    const lambda = new LambdaClient({ endpoint: stack.urls.aws, region: 'us-east-1', credentials: keysOf(caller) });
    const payload = JSON.stringify(executionRequest({ event_id: 'EvXACCT00006' }));
    const error = await lambda.send(new InvokeCommand({ FunctionName: EXECUTION_FUNCTION_ARN, InvocationType: 'Event', Payload: Buffer.from(payload) })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
      message: `User: ${caller.callerArn} is not authorized to perform: lambda:InvokeFunction on resource: ${EXECUTION_FUNCTION_ARN} because no resource-based policy allows the lambda:InvokeFunction action`,
    });
    expect(stack.trace.forEvent('EvXACCT00006').filter((e) => e.kind === 'invocation')).toEqual([]);
    lambda.destroy();
  });

  it('a mention still goes through API Gateway and is answered', async () => {
    const stack = running();
    const sent = await stack.slack.postUserMessage({ text: 'no fallback' });
    await stack.waitForIdle();
    const replies = stack.slack.botReplies({ threadTs: sent.threadTs as string });
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain('no fallback');
  });
});
