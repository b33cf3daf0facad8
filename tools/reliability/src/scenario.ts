import { FAULT_TARGETS, type FaultTarget } from '@slack-ai-app/local-stack';
import { recordFigures } from './collector';
import type { Harness } from './harness';

/**
 * Fault scenarios: a Jest test that injects faults at the stack, checks the outcome, and reports to the summary how
 * many faults it injected (by target) and whether it survived. A scenario that injected nothing fails: a fault hook
 * that silently stopped applying must not pass for a survived fault.
 */

/** Injected counts by target. */
export type InjectedCounts = Readonly<Partial<Record<FaultTarget, number>>>;

/**
 * The faults injected between two snapshots of `stack.faults.counts()`.
 *
 * @param before - the earlier snapshot
 * @param after - the later one
 */
export function injectedBetween(before: Readonly<Record<FaultTarget, number>>, after: Readonly<Record<FaultTarget, number>>): InjectedCounts {
  const delta: Partial<Record<FaultTarget, number>> = {};
  for (const target of FAULT_TARGETS) {
    const d = (after[target] ?? 0) - (before[target] ?? 0);
    if (d > 0) delta[target] = d;
  }
  return delta;
}

/**
 * Records one scenario's figures.
 *
 * @param suite - the spec file
 * @param label - the scenario
 * @param injected - faults injected, by target (or a single count under a custom name)
 * @param survived - whether every assertion held
 */
export function recordScenario(suite: string, label: string, injected: Readonly<Record<string, number>>, survived: boolean): void {
  const total = Object.values(injected).reduce((sum, v) => sum + v, 0);
  const perTarget = Object.fromEntries(Object.entries(injected).map(([target, v]) => [`injected.${target}`, v]));
  recordFigures({ area: 'faults', suite, label, counts: { scenarios: 1, survived: survived ? 1 : 0, injected: total, ...perTarget } });
}

/**
 * Declares a fault scenario against a shared stack: faults are cleared and the stack settled before and after it.
 *
 * @param suite - the spec file (for the summary)
 * @param name - the test name (what it proves)
 * @param harness - returns the suite's harness (started in `beforeAll`)
 * @param body - injects, drives, asserts; may return faults it caused itself, outside the stack's fault controller
 *   (e.g. `{ duplicateDelivery: 5 }`)
 * @param timeoutMs - Jest's bound for this test
 */
export function faultScenario(
  suite: string,
  name: string,
  harness: () => Harness,
  body: () => Promise<void | Readonly<Record<string, number>>>,
  timeoutMs?: number,
): void {
  it(
    name,
    async () => {
      const { stack } = harness();
      stack.faults.clear();
      await harness().settle();
      const before = stack.faults.counts();
      let survived = false;
      let injected: Readonly<Record<string, number>> = {};
      let own: Readonly<Record<string, number>> = {};
      try {
        own = (await body()) ?? {};
        await harness().settle();
        injected = { ...injectedBetween(before, stack.faults.counts()), ...own };
        expect(Object.values(injected).reduce((sum, v) => sum + (v ?? 0), 0)).toBeGreaterThan(0);
        survived = true;
      } finally {
        if (!survived) injected = { ...injectedBetween(before, stack.faults.counts()), ...own };
        stack.faults.clear();
        recordScenario(suite, name, injected, survived);
      }
    },
    timeoutMs,
  );
}
