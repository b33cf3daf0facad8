import type { AlarmStore } from './cloudwatch';
import { evaluateAlarm } from './evaluate-alarm';
import type { MetricStore } from './metric-store';

/** How the stack evaluates its alarms (option `alarmEvaluation` of `startLocalStack`). */
export interface AlarmEvaluationOptions {
  /**
   * Multiplies every alarm's `Period` (the template's are 60 s and 300 s); tests pass e.g. `1 / 60` so that a 300 s
   * period lasts 5 s. The scaled period must still be one CloudWatch accepts (1, 5, 10, 20, 30 or a multiple of 60).
   *
   * @default 1
   */
  readonly periodScale?: number;
  /** How often every alarm is evaluated, in ms. @default 1000 */
  readonly intervalMs?: number;
}

/**
 * Evaluates every alarm of the store over the metrics on a timer, and changes an alarm's state through
 * {@link AlarmStore.setState} (so its actions go through the topic and key policy checks, and the history records the
 * reason) when the evaluation differs from its current state. An alarm that cannot be evaluated locally is put in
 * `INSUFFICIENT_DATA` once with the reason `not evaluated: <why>`, and left alone after.
 *
 * @param store - the alarms
 * @param metrics - the local metrics
 * @param now - the stack's clock
 * @param options - period scale and interval
 * @returns stop: clears the timer (the timer never keeps the process alive either way)
 */
export function startAlarmEvaluation(store: AlarmStore, metrics: MetricStore, now: () => Date, options: AlarmEvaluationOptions = {}): { evaluateNow(): void; stop(): void } {
  const notEvaluated = new Set<string>();
  const evaluateNow = () => {
    for (const alarm of store.alarms) {
      if (notEvaluated.has(alarm.name)) continue;
      const current = store.stateOf(alarm.name)?.value;
      const outcome = evaluateAlarm(alarm.properties, metrics, now(), current, options.periodScale ?? 1);
      if (!outcome.evaluated) {
        notEvaluated.add(alarm.name);
        store.setState(alarm.name, 'INSUFFICIENT_DATA', `not evaluated: ${outcome.why}`);
      } else if (outcome.state !== current) {
        store.setState(alarm.name, outcome.state, outcome.reason);
      }
    }
  };
  const timer = setInterval(evaluateNow, options.intervalMs ?? 1000);
  timer.unref();
  return { evaluateNow, stop: () => clearInterval(timer) };
}
