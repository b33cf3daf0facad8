/**
 * The metric-math subset the template's alarms use, over series with one value per period (a missing period is
 * `undefined`): numbers, query ids, `+ - * /`, `> >= < <= ==`, `IF(condition, a, b)`, `MAX([a, b, ...])` and
 * `FILL(series, value)`. Semantics from "Using math expressions with CloudWatch metrics"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html): arithmetic and comparisons
 * apply per timestamp (a comparison is 1 or 0), `IF` picks per timestamp, `MAX` of an array of series is the maximum
 * per timestamp, `FILL` replaces missing values.
 */

/** A series: one value per period index, `undefined` where the period has no data. */
export type Series = ReadonlyArray<number | undefined>;

/** An expression the local evaluator does not support (the alarm is reported "not evaluated"). */
export class MetricMathError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MetricMathError';
  }
}

type Value = Series | number | Value[];

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|==|[-+*/(),[\]><]))/y;
const PRECEDENCE: Readonly<Record<string, number>> = { '>': 1, '>=': 1, '<': 1, '<=': 1, '==': 1, '+': 2, '-': 2, '*': 3, '/': 3 };

/**
 * Evaluates an expression.
 *
 * @param expression - the `Expression` of a `Metrics` entry
 * @param series - the series of each query id it names
 * @param length - the number of periods
 * @throws MetricMathError for a function, operator or id it does not know
 */
export function evaluateExpression(expression: string, series: Readonly<Record<string, Series>>, length: number): Series {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.trimEnd().length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (match === null) throw new MetricMathError(`unexpected text at ${at} of ${expression}`);
    tokens.push(match[0].trim());
  }
  let position = 0;
  const peek = () => tokens[position];
  const expect = (token: string) => {
    if (tokens[position] !== token) throw new MetricMathError(`expected ${token} at token ${position} of ${expression}`);
    position += 1;
  };
  const toSeries = (value: Value): Series => {
    if (typeof value === 'number') return Array.from({ length }, () => value);
    if (value.length > 0 && Array.isArray(value[0])) throw new MetricMathError(`an array is not a series in ${expression}`);
    return value as Series;
  };
  const zip = (a: Value, b: Value, f: (x: number, y: number) => number): Series => {
    const [x, y] = [toSeries(a), toSeries(b)];
    return x.map((v, i) => (v === undefined || y[i] === undefined ? undefined : f(v, y[i] as number)));
  };
  const binary: Readonly<Record<string, (x: number, y: number) => number>> = {
    '+': (x, y) => x + y,
    '-': (x, y) => x - y,
    '*': (x, y) => x * y,
    '/': (x, y) => x / y,
    '>': (x, y) => Number(x > y),
    '>=': (x, y) => Number(x >= y),
    '<': (x, y) => Number(x < y),
    '<=': (x, y) => Number(x <= y),
    '==': (x, y) => Number(x === y),
  };
  const call = (name: string, args: Value[]): Value => {
    if (name === 'FILL' && args.length === 2 && typeof args[1] === 'number') {
      const fill = args[1];
      return toSeries(args[0] as Value).map((v) => v ?? fill);
    }
    if (name === 'IF' && args.length === 3) {
      const [condition, a, b] = [toSeries(args[0] as Value), toSeries(args[1] as Value), toSeries(args[2] as Value)];
      return condition.map((c, i) => (c === undefined ? undefined : c !== 0 ? a[i] : b[i]));
    }
    if (name === 'MAX' && args.length === 1 && Array.isArray(args[0]) && args[0].every((a) => Array.isArray(a) || typeof a === 'number')) {
      const members = (args[0] as Value[]).map(toSeries);
      return Array.from({ length }, (_, i) => {
        const present = members.map((m) => m[i]).filter((v): v is number => v !== undefined);
        return present.length === 0 ? undefined : Math.max(...present);
      });
    }
    throw new MetricMathError(`${name} with ${args.length} argument(s) is not evaluated locally`);
  };
  const primary = (): Value => {
    const token = peek();
    position += 1;
    if (token === undefined) throw new MetricMathError(`${expression} ends early`);
    if (/^\d/.test(token)) return Number(token);
    if (token === '(') {
      const inner = parse(0);
      expect(')');
      return inner;
    }
    if (token === '[') {
      const items: Value[] = [parse(0)];
      while (peek() === ',') {
        position += 1;
        items.push(parse(0));
      }
      expect(']');
      return items;
    }
    if (/^[A-Za-z_]/.test(token)) {
      if (peek() === '(') {
        position += 1;
        const args: Value[] = [parse(0)];
        while (peek() === ',') {
          position += 1;
          args.push(parse(0));
        }
        expect(')');
        return call(token, args);
      }
      const found = series[token];
      if (found === undefined) throw new MetricMathError(`${token} names no query of the alarm`);
      return found;
    }
    throw new MetricMathError(`unexpected ${token} in ${expression}`);
  };
  const parse = (minimum: number): Value => {
    let left = primary();
    for (let op = peek(); op !== undefined && (PRECEDENCE[op] ?? 0) > minimum; op = peek()) {
      position += 1;
      const right = parse(PRECEDENCE[op] as number);
      left = zip(left, right, binary[op] as (x: number, y: number) => number);
    }
    return left;
  };
  const result = parse(0);
  if (position !== tokens.length) throw new MetricMathError(`unexpected ${tokens[position]} in ${expression}`);
  return toSeries(result);
}
