import type { CheckResult } from './checks';

/** The width of the name column. */
const NAME_WIDTH = 16;

/**
 * One text line per check: `PASS  credentials      arn:… in 123456789012 / eu-west-1`, and for a FAIL the fix after
 * an arrow: `FAIL  bootstrap        stack CDKToolkit does not exist …  → fix: npx cdk bootstrap aws://…`.
 *
 * @param results - the checks
 * @returns the lines
 */
export function formatText(results: readonly CheckResult[]): string[] {
  return results.map((result) => {
    const line = `${result.status.padEnd(4)}  ${result.name.padEnd(NAME_WIDTH)} ${result.detail}`;
    return result.fix !== undefined ? `${line}  \u2192 fix: ${result.fix}` : line;
  });
}

/**
 * The JSON report: `{"ok": boolean, "checks": [{name, status, detail, fix?}]}` on one line.
 *
 * @param results - the checks
 * @returns the line
 */
export function formatJson(results: readonly CheckResult[]): string {
  return JSON.stringify({ ok: results.every((result) => result.status !== 'FAIL'), checks: results });
}
