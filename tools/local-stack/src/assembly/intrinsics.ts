/**
 * A small resolver for CloudFormation's intrinsic functions, enough for what `cdk synth` writes.
 *
 * Semantics follow the CloudFormation "Intrinsic function reference"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html) and
 * "Pseudo parameters reference" (…/pseudo-parameter-reference.html). `cfn-resolver-lib` was considered: it needs the
 * same per-type Ref/GetAtt tables supplied by the caller and pulls lodash and traverse in, so this module is the
 * smaller choice.
 */

/** A JSON value of a template. */
export type TemplateValue = null | boolean | number | string | readonly TemplateValue[] | { readonly [key: string]: TemplateValue };

/** What intrinsic functions are resolved against. */
export interface ResolveContext {
  /** `AWS::AccountId`, `AWS::Region`, `AWS::Partition`, `AWS::URLSuffix`, `AWS::StackName`, `AWS::StackId`… */
  readonly pseudo: Readonly<Record<string, string>>;
  /** Template parameters (their `Default` or a given value). */
  readonly parameters: Readonly<Record<string, TemplateValue>>;
  /** `Mappings` of the template. */
  readonly mappings: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, TemplateValue>>>>>>;
  /** `Conditions` of the template (unevaluated; evaluated on demand). */
  readonly conditions: Readonly<Record<string, TemplateValue>>;
  /** `Ref` of a resource: its physical id (or what the type's Ref returns). */
  readonly ref: (logicalId: string) => string;
  /** `Fn::GetAtt` of a resource. */
  readonly getAtt: (logicalId: string, attribute: string) => TemplateValue;
}

/** Thrown when a value cannot be resolved: an unknown function, resource, attribute, condition or a malformed call. */
export class TemplateResolutionError extends Error {
  override readonly name = 'TemplateResolutionError';
}

/** The marker `AWS::NoValue` resolves to; removed from objects and arrays. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
type Resolved = TemplateValue | typeof NO_VALUE;

/**
 * Resolves every intrinsic function inside a value (deeply). `Ref: AWS::NoValue` removes the property or element
 * that holds it.
 *
 * @param value - a template fragment
 * @param context - pseudo parameters, parameters, mappings, conditions and the Ref/GetAtt tables
 * @returns the value with no intrinsic left
 * @throws TemplateResolutionError naming what could not be resolved
 */
export function resolveValue(value: TemplateValue, context: ResolveContext): TemplateValue {
  const resolved = resolve(value, context);
  return resolved === NO_VALUE ? null : resolved;
}

/**
 * Evaluates a named condition of the template (`Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`).
 *
 * @param name - the condition's name
 * @param context - the resolve context
 * @throws TemplateResolutionError for an unknown condition
 */
export function evaluateCondition(name: string, context: ResolveContext): boolean {
  const condition = context.conditions[name];
  if (condition === undefined) throw new TemplateResolutionError(`unknown condition ${name}`);
  return asBoolean(resolve(condition, context), `condition ${name}`);
}

function resolve(value: TemplateValue, context: ResolveContext): Resolved {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => resolve(item, context)).filter((item): item is TemplateValue => item !== NO_VALUE);
  const object = value as { readonly [key: string]: TemplateValue };
  const keys = Object.keys(object);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only !== undefined && (only === 'Ref' || only === 'Condition' || only.startsWith('Fn::'))) return intrinsic(only, object[only] as TemplateValue, context);
  const out: Record<string, TemplateValue> = {};
  for (const key of keys) {
    const item = resolve(object[key] as TemplateValue, context);
    if (item !== NO_VALUE) out[key] = item;
  }
  return out;
}

function intrinsic(name: string, argument: TemplateValue, context: ResolveContext): Resolved {
  switch (name) {
    case 'Ref':
      return ref(expectString(argument, 'Ref'), context);
    case 'Condition':
      return evaluateCondition(expectString(argument, 'Condition'), context);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = typeof argument === 'string' ? splitOnce(argument) : expectArray(argument, 'Fn::GetAtt', 2).map((a) => expectString(resolveValue(a, context), 'Fn::GetAtt'));
      return context.getAtt(logicalId as string, attribute as string);
    }
    case 'Fn::Join': {
      const [delimiter, items] = expectArray(argument, 'Fn::Join', 2);
      const list = expectArray(resolveValue(items as TemplateValue, context), 'Fn::Join list');
      return list.map((item) => scalar(item, 'Fn::Join')).join(expectString(delimiter as TemplateValue, 'Fn::Join delimiter'));
    }
    case 'Fn::Sub':
      return sub(argument, context);
    case 'Fn::Select': {
      const [index, items] = expectArray(argument, 'Fn::Select', 2);
      const list = expectArray(resolveValue(items as TemplateValue, context), 'Fn::Select list');
      const position = Number(resolveValue(index as TemplateValue, context));
      if (!Number.isInteger(position) || position < 0 || position >= list.length) throw new TemplateResolutionError(`Fn::Select index ${String(index)} is out of range (list of ${list.length})`);
      return list[position] as TemplateValue;
    }
    case 'Fn::Split': {
      const [delimiter, source] = expectArray(argument, 'Fn::Split', 2);
      return expectString(resolveValue(source as TemplateValue, context), 'Fn::Split source').split(expectString(delimiter as TemplateValue, 'Fn::Split delimiter'));
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = expectArray(argument, 'Fn::If', 3);
      return resolve((evaluateCondition(expectString(condition as TemplateValue, 'Fn::If'), context) ? whenTrue : whenFalse) as TemplateValue, context);
    }
    case 'Fn::Equals': {
      const [left, right] = expectArray(argument, 'Fn::Equals', 2).map((side) => resolveValue(side, context));
      return JSON.stringify(left) === JSON.stringify(right);
    }
    case 'Fn::Not':
      return !asBoolean(resolve(expectArray(argument, 'Fn::Not', 1)[0] as TemplateValue, context), 'Fn::Not');
    case 'Fn::And':
      return expectArray(argument, 'Fn::And').every((item) => asBoolean(resolve(item, context), 'Fn::And'));
    case 'Fn::Or':
      return expectArray(argument, 'Fn::Or').some((item) => asBoolean(resolve(item, context), 'Fn::Or'));
    case 'Fn::FindInMap': {
      const [map, top, second] = expectArray(argument, 'Fn::FindInMap', 3).map((part) => expectString(resolveValue(part, context), 'Fn::FindInMap'));
      const found = context.mappings[map as string]?.[top as string]?.[second as string];
      if (found === undefined) throw new TemplateResolutionError(`Fn::FindInMap: no ${map}.${top}.${second} in Mappings`);
      return found;
    }
    default:
      throw new TemplateResolutionError(`unsupported intrinsic function ${name}`);
  }
}

function ref(name: string, context: ResolveContext): Resolved {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name.startsWith('AWS::')) {
    const pseudo = context.pseudo[name];
    if (pseudo === undefined) throw new TemplateResolutionError(`unsupported pseudo parameter ${name}`);
    return pseudo;
  }
  const parameter = context.parameters[name];
  if (parameter !== undefined) return parameter;
  return context.ref(name);
}

/** `Fn::Sub`: `${Name}` (Ref), `${Name.Attr}` (GetAtt), `${!Literal}`, with an optional variable map (second form). */
function sub(argument: TemplateValue, context: ResolveContext): string {
  const [source, variables] = typeof argument === 'string' ? [argument, {}] : expectArray(argument, 'Fn::Sub', 2);
  const vars = resolveValue((variables ?? {}) as TemplateValue, context) as Record<string, TemplateValue>;
  return expectString(source as TemplateValue, 'Fn::Sub').replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    if (vars[inner] !== undefined) return scalar(vars[inner] as TemplateValue, 'Fn::Sub variable');
    const dot = inner.indexOf('.');
    if (dot > 0 && !inner.startsWith('AWS::')) return scalar(context.getAtt(inner.slice(0, dot), inner.slice(dot + 1)), 'Fn::Sub');
    const value = ref(inner, context);
    return scalar(value === NO_VALUE ? '' : value, 'Fn::Sub');
  });
}

function splitOnce(value: string): [string, string] {
  const dot = value.indexOf('.');
  if (dot <= 0) throw new TemplateResolutionError(`Fn::GetAtt "${value}" is not LogicalId.Attribute`);
  return [value.slice(0, dot), value.slice(dot + 1)];
}

function expectString(value: TemplateValue, where: string): string {
  if (typeof value !== 'string') throw new TemplateResolutionError(`${where} expects a string, got ${JSON.stringify(value)}`);
  return value;
}

function expectArray(value: TemplateValue, where: string, length?: number): readonly TemplateValue[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
    throw new TemplateResolutionError(`${where} expects a list${length === undefined ? '' : ` of ${length}`}, got ${JSON.stringify(value)}`);
  }
  return value as readonly TemplateValue[];
}

function scalar(value: TemplateValue, where: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateResolutionError(`${where} expects a string, got ${JSON.stringify(value)}`);
}

function asBoolean(value: Resolved, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new TemplateResolutionError(`${where} expects a condition, got ${JSON.stringify(value)}`);
}
