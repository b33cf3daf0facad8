import { randomUUID } from 'node:crypto';
import type { DeployedAlarm } from '../assembly/deployment';
import { authorizeCaller, deniedBecause } from '../iam/authorization';
import type { LocalPrincipal } from '../iam/principals';
import type { HttpReply, HttpRequestData } from '../http/types';
import { headerValue } from '../http/types';
import { deliverAlarmAction, type AlarmActionTargets, type TopicNotification } from './alarm-actions';

/** An alarm's state value (CloudWatch `StateValue`). */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One alarm history item, as `DescribeAlarmHistory` returns it. */
export interface AlarmHistoryItem {
  readonly AlarmName: string;
  readonly AlarmType: 'MetricAlarm';
  readonly Timestamp: Date;
  readonly HistoryItemType: 'StateUpdate' | 'Action';
  readonly HistorySummary: string;
  readonly HistoryData: string;
}

interface AlarmState {
  value: AlarmStateValue;
  reason: string;
  updated: Date;
}

/**
 * The stack's alarms (from the template): their state, their history, and the notifications their actions published.
 * Every alarm starts in `INSUFFICIENT_DATA`, as a new CloudWatch alarm does.
 */
export class AlarmStore {
  private readonly states = new Map<string, AlarmState>();
  private readonly history: AlarmHistoryItem[] = [];
  private readonly notifications: TopicNotification[] = [];

  constructor(
    readonly alarms: readonly DeployedAlarm[],
    private readonly targets: AlarmActionTargets,
    private readonly now: () => Date,
  ) {
    for (const alarm of alarms) this.states.set(alarm.name, { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', updated: now() });
  }

  /**
   * Sets an alarm's state, as `SetAlarmState` does; when the state changes, the actions for the new state run.
   *
   * @returns false for an unknown alarm
   */
  setState(name: string, value: AlarmStateValue, reason: string): boolean {
    const alarm = this.alarms.find((a) => a.name === name);
    const state = this.states.get(name);
    if (alarm === undefined || state === undefined) return false;
    const at = this.now();
    const old = state.value;
    Object.assign(state, { value, reason, updated: at });
    this.history.push({
      AlarmName: name,
      AlarmType: 'MetricAlarm',
      Timestamp: at,
      HistoryItemType: 'StateUpdate',
      HistorySummary: `Alarm updated from ${old} to ${value}`,
      HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: old }, newState: { stateValue: value, stateReason: reason } }),
    });
    if (old === value) return true;
    const actions = value === 'ALARM' ? alarm.alarmActions : value === 'OK' ? alarm.okActions : alarm.insufficientDataActions;
    for (const action of actions) {
      const outcome = deliverAlarmAction(alarm, action, value, this.targets, at);
      if (outcome.ok) this.notifications.push(outcome.notification);
      this.history.push({
        AlarmName: name,
        AlarmType: 'MetricAlarm',
        Timestamp: at,
        HistoryItemType: 'Action',
        HistorySummary: outcome.ok ? `Successfully executed action ${action}` : `Failed to execute action ${action}. Received error: "${outcome.error}"`,
        HistoryData: JSON.stringify({ actionState: outcome.ok ? 'Succeeded' : 'Failed', notificationResource: action, ...(outcome.ok ? {} : { error: outcome.error }) }),
      });
    }
    return true;
  }

  /** The current state of an alarm. */
  stateOf(name: string): Readonly<AlarmState> | undefined {
    return this.states.get(name);
  }

  /** History items, newest first (as `DescribeAlarmHistory`), optionally of one alarm. */
  historyOf(name?: string): readonly AlarmHistoryItem[] {
    return this.history.filter((h) => name === undefined || h.AlarmName === name).reverse();
  }

  /** Notifications the alarms published to their topics (recorded; an email is never sent). */
  published(): readonly TopicNotification[] {
    return [...this.notifications];
  }
}

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';

/**
 * CloudWatch's alarm API on the local endpoint (signing name `monitoring`; AWS JSON 1.0 with
 * `X-Amz-Target: GraniteServiceVersion20100801.<Operation>`, as @aws-sdk/client-cloudwatch speaks it):
 * `SetAlarmState` (how AWS tells you to test an alarm's actions), `DescribeAlarms`, `DescribeAlarmHistory`. The caller
 * needs the matching `cloudwatch:` permission in its identity policies.
 *
 * @param store - the alarms
 */
export function createCloudWatchHandler(store: AlarmStore): (request: HttpRequestData, principal: LocalPrincipal) => Promise<HttpReply> {
  return async (request, principal) => {
    const operation = (headerValue(request.headers, 'x-amz-target') ?? '').replace(TARGET_PREFIX, '');
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(request.body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return jsonError(400, 'SerializationException', 'The request body is not JSON.');
    }
    const names = (Array.isArray(input['AlarmNames']) ? (input['AlarmNames'] as string[]) : []).concat(typeof input['AlarmName'] === 'string' ? [input['AlarmName']] : []);
    const denied = (action: string, resource: string): HttpReply | undefined => {
      const decision = authorizeCaller(principal, action, resource);
      if (decision.decision === 'allow') return undefined;
      return jsonError(400, 'AccessDenied', `User: ${principal.callerArn} is not authorized to perform: ${action} on resource: ${resource} ${deniedBecause(decision, action, 'identity-based')}`);
    };
    const arnOf = (name: string) => store.alarms.find((a) => a.name === name)?.arn ?? name;

    if (operation === 'SetAlarmState') {
      const name = String(input['AlarmName'] ?? '');
      const value = String(input['StateValue'] ?? '');
      const refused = denied('cloudwatch:SetAlarmState', arnOf(name));
      if (refused !== undefined) return refused;
      if (!['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(value)) return jsonError(400, 'InvalidFormat', `StateValue must be OK, ALARM or INSUFFICIENT_DATA, not ${value}`);
      if (!store.setState(name, value as AlarmStateValue, String(input['StateReason'] ?? ''))) return jsonError(404, 'ResourceNotFound', `Alarm ${name} not found`);
      return json({});
    }
    if (operation === 'DescribeAlarms') {
      const refused = denied('cloudwatch:DescribeAlarms', '*');
      if (refused !== undefined) return refused;
      const alarms = store.alarms.filter((a) => names.length === 0 || names.includes(a.name));
      return json({
        MetricAlarms: alarms.map((a) => {
          const state = store.stateOf(a.name);
          return {
            AlarmName: a.name,
            AlarmArn: a.arn,
            ...(a.description !== undefined ? { AlarmDescription: a.description } : {}),
            ...(a.namespace !== undefined ? { Namespace: a.namespace } : {}),
            ...(a.metricName !== undefined ? { MetricName: a.metricName } : {}),
            AlarmActions: a.alarmActions,
            OKActions: a.okActions,
            InsufficientDataActions: a.insufficientDataActions,
            StateValue: state?.value,
            StateReason: state?.reason,
            StateUpdatedTimestamp: (state?.updated.getTime() ?? 0) / 1000,
          };
        }),
        CompositeAlarms: [],
      });
    }
    if (operation === 'DescribeAlarmHistory') {
      const refused = denied('cloudwatch:DescribeAlarmHistory', typeof input['AlarmName'] === 'string' ? arnOf(input['AlarmName']) : '*');
      if (refused !== undefined) return refused;
      const type = typeof input['HistoryItemType'] === 'string' ? input['HistoryItemType'] : undefined;
      const items = store.historyOf(typeof input['AlarmName'] === 'string' ? input['AlarmName'] : undefined).filter((h) => type === undefined || h.HistoryItemType === type);
      return json({ AlarmHistoryItems: items.map((h) => ({ ...h, Timestamp: h.Timestamp.getTime() / 1000 })) });
    }
    return jsonError(400, 'UnknownOperationException', `The local stack emulates SetAlarmState, DescribeAlarms and DescribeAlarmHistory of CloudWatch, not ${operation || 'an unnamed operation'}.`);
  };
}

function json(body: unknown): HttpReply {
  return { kind: 'respond', status: 200, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() }, body: JSON.stringify(body) };
}

/**
 * An AWS JSON 1.0 error of a query-compatible service: `__type` and the `x-amzn-query-error` header carry the query
 * error code (`<Code>;Sender`), which the SDK reports as the error name (smithy's awsQueryCompatible trait).
 */
function jsonError(status: number, code: string, message: string): HttpReply {
  return {
    kind: 'respond',
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID(), 'x-amzn-query-error': `${code};Sender` },
    body: JSON.stringify({ __type: code, message }),
  };
}
