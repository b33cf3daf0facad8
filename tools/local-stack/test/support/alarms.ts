import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

/**
 * Polls DescribeAlarms until the alarm is in the state (at most 200 polls, 50 ms apart).
 *
 * @returns the last state seen
 */
export async function alarmStateBecomes(cloudwatch: CloudWatchClient, name: string, value: string): Promise<string | undefined> {
  let seen: string | undefined;
  for (let poll = 0; poll < 200 && seen !== value; poll += 1) {
    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
    seen = MetricAlarms?.[0]?.StateValue;
    if (seen !== value) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return seen;
}
