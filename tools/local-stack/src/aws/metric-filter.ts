import type { MetricDatum } from './metric-store';

/**
 * CloudWatch Logs metric filters, applied to the local log lines: a filter pattern decides which lines match, and each
 * `MetricTransformation` turns a match into a data point (CloudWatch Logs User Guide, "Filter pattern syntax for metric
 * filters, subscription filters, and filter log events",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html, and the
 * `AWS::Logs::MetricFilter` `MetricTransformation` reference).
 *
 * Supported patterns:
 * - JSON: `{ $.a.b = "value" }`, `!=`, `<`, `<=`, `>`, `>=` against a number, `*` wildcards in a string value, `&&`,
 *   `||` and parentheses. A selector that names no field matches nothing.
 * - Terms: `ERROR` (the line contains it, case-sensitive), `"quoted term"`, several terms (all must appear), `-term`
 *   (must not appear), `?a ?b` (any of them); the empty pattern matches every line.
 * Anything else (space-delimited `[...]`, regular expressions `%...%`, `IS NULL`, `EXISTS`, ...) is refused with
 * {@link FilterPatternError}, never silently matched.
 */

/** A pattern the local stack cannot apply. */
export class FilterPatternError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FilterPatternError';
  }
}

/** A compiled filter pattern: whether a log line (and its JSON object, when it is one) matches. */
export type LineMatcher = (line: string, json: Readonly<Record<string, unknown>> | undefined) => boolean;

/** One `MetricTransformations` entry of an `AWS::Logs::MetricFilter`, resolved. */
export interface MetricTransformation {
  readonly MetricNamespace: string;
  readonly MetricName: string;
  /** A number, or a JSON selector (`$.field`) whose value is published. */
  readonly MetricValue: string;
  /** Published for a line the pattern does not match, when set. */
  readonly DefaultValue?: number;
  readonly Unit?: string;
  /** Dimension name to a JSON selector (`$.field`). */
  readonly Dimensions?: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
}

/** A metric filter of the template. */
export interface MetricFilterDefinition {
  readonly logicalId: string;
  readonly logGroupName: string;
  readonly filterPattern: string;
  readonly transformations: readonly MetricTransformation[];
}

/** A metric filter ready to apply. */
export interface CompiledMetricFilter extends MetricFilterDefinition {
  readonly matches: LineMatcher;
}

type Token = { kind: 'op'; value: string } | { kind: 'string'; value: string } | { kind: 'word'; value: string };

const OPERATORS = ['&&', '||', '!=', '<=', '>=', '=', '<', '>', '(', ')'];

function tokenizeJson(body: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const op = OPERATORS.find((o) => body.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', value: op });
      i += op.length;
    } else if (c === '"') {
      const end = body.indexOf('"', i + 1);
      if (end === -1) throw new FilterPatternError(`a string at ${JSON.stringify(body.slice(i))} is not closed`);
      tokens.push({ kind: 'string', value: body.slice(i + 1, end) });
      i = end + 1;
    } else {
      const word = /^[^\s&|!=<>()"]+/.exec(body.slice(i))?.[0];
      if (word === undefined) throw new FilterPatternError(`unexpected ${JSON.stringify(c)} at ${i}`);
      tokens.push({ kind: 'word', value: word });
      i += word.length;
    }
  }
  return tokens;
}

/**
 * The value a JSON selector names (`$.a.b`, `$.a[0]`), or undefined.
 *
 * @throws FilterPatternError for a selector that does not start with `$`
 */
export function selectJson(json: Readonly<Record<string, unknown>>, selector: string): unknown {
  if (!/^\$(\.[A-Za-z0-9_-]+|\[\d+\])*$/.test(selector)) throw new FilterPatternError(`${selector} is not a supported JSON selector ($.field, $.a.b, $.a[0])`);
  let value: unknown = json;
  for (const part of selector.slice(1).match(/\.[A-Za-z0-9_-]+|\[\d+\]/g) ?? []) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = part.startsWith('.') ? (value as Record<string, unknown>)[part.slice(1)] : (value as unknown[])[Number(part.slice(1, -1))];
  }
  return value;
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

function compileJson(body: string): LineMatcher {
  const tokens = tokenizeJson(body);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const token = tokens[at];
    if (token === undefined) throw new FilterPatternError('the pattern ends too early');
    at += 1;
    return token;
  };
  type Node = (json: Readonly<Record<string, unknown>>) => boolean;
  const comparison = (): Node => {
    const token = next();
    if (token.kind === 'op' && token.value === '(') {
      const inner = or();
      const close = next();
      if (close.kind !== 'op' || close.value !== ')') throw new FilterPatternError('a "(" is not closed');
      return inner;
    }
    if (token.kind !== 'word' || !token.value.startsWith('$')) throw new FilterPatternError(`expected a selector ($.field), found ${JSON.stringify(token.value)}`);
    const selector = token.value;
    selectJson({}, selector);
    const op = next();
    if (op.kind !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(op.value)) throw new FilterPatternError(`${selector}: expected a comparison (=, !=, <, <=, >, >=), found ${JSON.stringify(op.value)}`);
    const operand = next();
    if (operand.kind === 'op') throw new FilterPatternError(`${selector} ${op.value}: expected a value, found ${JSON.stringify(operand.value)}`);
    const number = operand.kind === 'word' ? Number(operand.value) : Number.NaN;
    if (operand.kind === 'word' && !Number.isFinite(number)) throw new FilterPatternError(`${selector} ${op.value} ${operand.value}: only quoted strings and numbers are supported as values`);
    if (operand.kind === 'string' && op.value !== '=' && op.value !== '!=') throw new FilterPatternError(`${selector} ${op.value} "${operand.value}": a string is compared with = or != only`);
    if (operand.kind === 'string') {
      const re = wildcard(operand.value);
      return (json) => {
        const value = selectJson(json, selector);
        if (value === undefined || value === null || typeof value === 'object') return false;
        return re.test(String(value)) === (op.value === '=');
      };
    }
    return (json) => {
      const value = selectJson(json, selector);
      if (typeof value !== 'number') return false;
      switch (op.value) {
        case '=':
          return value === number;
        case '!=':
          return value !== number;
        case '<':
          return value < number;
        case '<=':
          return value <= number;
        case '>':
          return value > number;
        default:
          return value >= number;
      }
    };
  };
  const and = (): Node => {
    const parts = [comparison()];
    while (peek()?.kind === 'op' && peek()?.value === '&&') {
      at += 1;
      parts.push(comparison());
    }
    return (json) => parts.every((part) => part(json));
  };
  function or(): Node {
    const parts = [and()];
    while (peek()?.kind === 'op' && peek()?.value === '||') {
      at += 1;
      parts.push(and());
    }
    return (json) => parts.some((part) => part(json));
  }
  const root = or();
  if (at !== tokens.length) throw new FilterPatternError(`unexpected ${JSON.stringify(tokens[at]?.value)} (IS NULL, EXISTS and the like are not supported)`);
  return (_line, json) => json !== undefined && root(json);
}

function compileTerms(pattern: string): LineMatcher {
  const terms = [...pattern.matchAll(/([?-]?)(?:"([^"]*)"|(\S+))/g)].map((m) => ({ prefix: m[1] as string, text: (m[2] ?? m[3]) as string }));
  if (terms.length === 0) return () => true;
  const optional = terms.filter((t) => t.prefix === '?');
  if (optional.length > 0 && optional.length !== terms.length) throw new FilterPatternError('mixing ?term with other terms is not supported');
  if (optional.length > 0) return (line) => optional.some((t) => line.includes(t.text));
  return (line) => terms.every((t) => line.includes(t.text) === (t.prefix !== '-'));
}

/**
 * Compiles a filter pattern.
 *
 * @param pattern - the `FilterPattern` of a metric filter
 * @throws FilterPatternError naming what is not supported
 */
export function compileFilterPattern(pattern: string): LineMatcher {
  const trimmed = pattern.trim();
  if (trimmed.startsWith('{')) {
    if (!trimmed.endsWith('}')) throw new FilterPatternError('a JSON pattern must end with "}"');
    return compileJson(trimmed.slice(1, -1));
  }
  if (trimmed.startsWith('[')) throw new FilterPatternError('space-delimited patterns ([...]) are not supported');
  if (trimmed.includes('%')) throw new FilterPatternError('regular expressions (%...%) are not supported');
  return compileTerms(trimmed);
}

/**
 * Compiles a template metric filter, checking its transformations too.
 *
 * @throws FilterPatternError naming what is not supported
 */
export function compileMetricFilter(definition: MetricFilterDefinition): CompiledMetricFilter {
  for (const t of definition.transformations) {
    if (!Number.isFinite(Number(t.MetricValue))) selectJson({}, t.MetricValue);
    for (const d of t.Dimensions ?? []) selectJson({}, d.Value);
  }
  return { ...definition, matches: compileFilterPattern(definition.filterPattern) };
}

/**
 * The data points one log line gives through a metric filter: for a match, `MetricValue` (a number, or the number a
 * selector names; a match whose selected value is not a number gives nothing) with the dimensions the selectors name
 * (a dimension whose field is missing gives nothing, as CloudWatch publishes no metric for it); for another line,
 * `DefaultValue` when the transformation sets one.
 *
 * @param filter - the compiled filter
 * @param line - the log line
 * @param json - the line as a JSON object, when it is one
 * @param at - the line's time
 */
export function metricFilterDatums(filter: CompiledMetricFilter, line: string, json: Readonly<Record<string, unknown>> | undefined, at: Date): MetricDatum[] {
  const matched = filter.matches(line, json);
  const datums: MetricDatum[] = [];
  for (const t of filter.transformations) {
    if (!matched) {
      if (t.DefaultValue !== undefined) datums.push({ namespace: t.MetricNamespace, name: t.MetricName, dimensions: {}, timestamp: at, value: Number(t.DefaultValue) });
      continue;
    }
    const fixed = Number(t.MetricValue);
    const value = Number.isFinite(fixed) ? fixed : json === undefined ? undefined : selectJson(json, t.MetricValue);
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const dimensions: Record<string, string> = {};
    let complete = true;
    for (const d of t.Dimensions ?? []) {
      const selected = json === undefined ? undefined : selectJson(json, d.Value);
      if (selected === undefined || selected === null || typeof selected === 'object') complete = false;
      else dimensions[d.Key] = String(selected);
    }
    if (complete) datums.push({ namespace: t.MetricNamespace, name: t.MetricName, dimensions, timestamp: at, value });
  }
  return datums;
}
