import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import type { DeliveryResult, LocalStack, TraceEntry } from '../../src';
import { editedAssembly } from '../support/assembly';
import { stackFromEditedAssembly } from '../support/edited-stack';
import { credentialsOf, executionRequest, signedPost, startTestStack } from '../support/stack';

/*
 * The local stack runs what `infra:synth` produces, and enforces IAM from its policies: edit a copy of the synthesized
 * template as one could by mistake, and the local system fails as AWS would.
 */

type Template = Parameters<Parameters<typeof editedAssembly>[0]>[0];
type Resource = Template['Resources'][string];

/** The logical id of the function that reads the bot token (its environment names the secret by `Ref`). */
function botTokenSecretOf(template: Template): string {
  for (const resource of Object.values(template.Resources)) {
    const variables = (resource.Properties?.['Environment'] as { Variables?: Record<string, { Ref?: string }> } | undefined)?.Variables;
    const ref = variables?.['SLACK_BOT_TOKEN_ARN']?.Ref;
    if (resource.Type === 'AWS::Lambda::Function' && ref !== undefined) return ref;
  }
  throw new Error('no function names SLACK_BOT_TOKEN_ARN in the template');
}

function statementsOf(resource: Resource): Array<Record<string, unknown>> {
  return (resource.Properties?.['PolicyDocument'] as { Statement: Array<Record<string, unknown>> }).Statement;
}

async function ask(stack: LocalStack, text: string): Promise<DeliveryResult & { eventId: string; threadTs: string }> {
  const sent = await stack.slack.postUserMessage({ text });
  await stack.waitForIdle();
  if (sent.eventId === undefined || sent.threadTs === undefined) throw new Error('the stand-in did not report the event');
  return sent as DeliveryResult & { eventId: string; threadTs: string };
}

function kinds(stack: LocalStack, eventId: string): Array<[string, unknown]> {
  return stack.trace.forEvent(eventId).flatMap((e: TraceEntry): Array<[string, unknown]> => {
    if (e.kind === 'execute_api') return [['execute_api', e.status]];
    if (e.kind === 'lambda_api') return [['lambda_api', e.status]];
    if (e.kind === 'invocation' && e.functionName === stack.functions.execution.name) return [[`execution via ${e.source}`, e.outcome]];
    return [];
  });
}

describe("(a) without API Gateway's Lambda permission for the execution function", () => {
  let removed: string[] = [];
  const running = stackFromEditedAssembly((template) => {
    removed = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Permission' && r.Properties?.['Principal'] === 'apigateway.amazonaws.com')
      .map(([id]) => id);
    for (const id of removed) delete template.Resources[id];
  });

  it('edits exactly the one permission, and the stack deploys without it', () => {
    const stack = running();
    expect(removed).toHaveLength(1);
    expect(stack.deployment.permissions.filter((p) => p.principal === 'apigateway.amazonaws.com')).toEqual([]);
  });

  it("a signed POST /execute gets API Gateway's 500 and nothing is invoked", async () => {
    const stack = running();
    const response = await signedPost(stack.urls.executeApi, JSON.stringify(executionRequest({ event_id: 'EvBITEA0001' })));
    await stack.waitForIdle();
    expect(response.status).toBe(500);
    expect(response.body).toBe('{"message":"Internal server error"}');
    expect(response.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
    expect(kinds(stack, 'EvBITEA0001')).toEqual([['execute_api', 500]]);
  });

  it('the verification function falls back to the direct path and the reply arrives exactly once', async () => {
    const stack = running();
    const sent = await ask(stack, 'Does the fallback catch a missing permission?');
    expect(sent.status).toBe(200);
    expect(kinds(stack, sent.eventId)).toEqual([
      ['execute_api', 500],
      ['lambda_api', 202],
      ['execution via lambda_api', 'success'],
    ]);
    expect(stack.logs.events({ functionName: stack.functions.verification.name, event: 'fallback_to_direct_invoke' })).toHaveLength(1);
    expect(stack.slack.botReplies({ threadTs: sent.threadTs })).toHaveLength(1);
  });
});

describe("(b) without the execution role's read of the bot-token secret", () => {
  let removed = 0;
  const running = stackFromEditedAssembly((template) => {
    const secret = botTokenSecretOf(template);
    for (const resource of Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Policy')) {
      const statements = statementsOf(resource);
      const kept = statements.filter((s) => JSON.stringify(s['Resource']) !== JSON.stringify({ Ref: secret }));
      removed += statements.length - kept.length;
      (resource.Properties?.['PolicyDocument'] as { Statement: unknown[] }).Statement = kept;
    }
  });

  it('the function gets AccessDeniedException; as the error catalogue says, it throws, is retried, ends in the dead letters, and no reply is posted', async () => {
    const stack = running();
    expect(removed).toBe(1);
    const sent = await ask(stack, 'Can you still read your token?');
    expect(sent.status).toBe(200);
    expect(kinds(stack, sent.eventId)).toEqual([
      ['execute_api', 202],
      ['execution via execute_api', 'error'],
      ['execution via execute_api', 'error'],
      ['execution via execute_api', 'error'],
    ]);
    const failures = stack.logs.events({ functionName: stack.functions.execution.name, event: 'secret_fetch_failed' });
    expect(failures).toHaveLength(3);
    expect(failures.map((f) => f['cause'])).toEqual(['AccessDeniedException', 'AccessDeniedException', 'AccessDeniedException']);
    const record = stack.deadLetters.list().find((r) => (r.requestPayload as { body?: { event_id?: string } }).body?.event_id === sent.eventId);
    expect(record).toMatchObject({ requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 } });
    expect(stack.slack.botReplies({ threadTs: sent.threadTs })).toHaveLength(0);
  });
});

/** Whether a statement lets the CloudWatch service principal in. */
function allowsCloudWatch(statement: Record<string, unknown>): boolean {
  const service = (statement['Principal'] as { Service?: string | string[] } | undefined)?.Service;
  return statement['Effect'] === 'Allow' && [service ?? []].flat().includes('cloudwatch.amazonaws.com');
}

/** Fires an alarm with SetAlarmState through the real CloudWatch client, and returns its action history items. */
async function fireAlarm(stack: LocalStack, alarmName: string): Promise<string[]> {
  const cloudwatch = new CloudWatchClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf('developer'), maxAttempts: 1 });
  try {
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: 'ALARM', StateReason: 'local test: the alarm fires' }));
    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }));
    expect(MetricAlarms?.map((a) => a.StateValue)).toEqual(['ALARM']);
    const { AlarmHistoryItems } = await cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: alarmName, HistoryItemType: 'Action' }));
    return (AlarmHistoryItems ?? []).map((h) => h.HistorySummary ?? '');
  } finally {
    cloudwatch.destroy();
  }
}

describe('(c) an alarm whose topic policy does not let CloudWatch publish', () => {
  let topicPolicies = 0;
  let cloudWatchAllows = 0;
  const running = stackFromEditedAssembly((template) => {
    for (const resource of Object.values(template.Resources).filter((r) => r.Type === 'AWS::SNS::TopicPolicy')) {
      topicPolicies += 1;
      const document = resource.Properties?.['PolicyDocument'] as { Statement: Array<Record<string, unknown>> };
      cloudWatchAllows += document.Statement.filter(allowsCloudWatch).length;
      document.Statement = document.Statement.filter((s) => !allowsCloudWatch(s));
    }
  });

  it("fires, but the action fails to deliver with CloudWatch's message and nothing is published", async () => {
    const stack = running();
    // The edit removes CloudWatch's Allow when the template has one (after the topic-policy fix it does).
    expect([topicPolicies, cloudWatchAllows]).toEqual([1, 1]);
    const alarm = stack.deployment.alarms.find((a) => a.alarmActions.length > 0);
    const topic = stack.deployment.topics.find((t) => t.arn === alarm?.alarmActions[0]);
    if (alarm === undefined || topic === undefined) throw new Error('the template has no alarm with a topic action');
    expect(await fireAlarm(stack, alarm.name)).toEqual([
      `Failed to execute action ${topic.arn}. Received error: "Resource: ${alarm.arn} is not authorized to perform: SNS:Publish on resource: ${topic.arn} because no resource-based policy allows the SNS:Publish action"`,
    ]);
    expect(stack.alarms.published()).toEqual([]);
  });
});

describe('(c) the same alarm with the topic and key policies as synthesized', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('fires and the notification is published to the topic, for its email subscription when there is one', async () => {
    const alarm = stack.deployment.alarms.find((a) => a.alarmActions.length > 0);
    const topic = stack.deployment.topics.find((t) => t.arn === alarm?.alarmActions[0]);
    if (alarm === undefined || topic === undefined) throw new Error('the template has no alarm with a topic action');
    expect(await fireAlarm(stack, alarm.name)).toEqual([`Successfully executed action ${topic.arn}`]);
    expect(stack.alarms.published()).toEqual([{ topicArn: topic.arn, alarmName: alarm.name, newState: 'ALARM', at: expect.any(Date), deliveredTo: topic.subscriptions }]);
  });
});
