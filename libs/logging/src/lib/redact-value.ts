import { types } from 'node:util';
import { REDACTED, isSecretKey, redactSecrets } from './redact-secrets';

/** Nesting deeper than this is replaced by {@link MAX_DEPTH_MARKER}. */
export const MAX_DEPTH = 10;
/** At most this many values are visited per call; the rest is cut with {@link TRUNCATED_KEY} / {@link TRUNCATED_MARKER}. */
export const MAX_NODES = 2000;
/** Arrays, Sets and Maps keep at most this many items. */
export const MAX_ITEMS = 100;
/** Strings are cut to this many UTF-16 code units (after masking, so a secret is never cut in half and left visible). */
export const MAX_STRING_LENGTH = 8192;

/** Written instead of a value that refers back to one of its containers. */
export const CIRCULAR_MARKER = '[Circular]';
/** Written instead of an object nested deeper than {@link MAX_DEPTH}. */
export const MAX_DEPTH_MARKER = '[MaxDepth]';
/** Last item of an array, Set or Map cut by {@link MAX_ITEMS} or {@link MAX_NODES}, followed by the count left out. */
export const TRUNCATED_MARKER = '[Truncated]';
/** Written instead of a value whose getter, proxy trap or toJSON threw. */
export const UNREADABLE_MARKER = '[Unreadable]';
/** Key added to an object whose remaining keys were dropped because the size bound was reached. */
export const TRUNCATED_KEY = '[truncated]';

/** How a value is cleaned. */
export interface RedactOptions {
  /** Replace every `text` string field (any depth) with `text_length`. */
  readonly summarizeText: boolean;
}

interface WalkState {
  nodes: number;
  readonly summarizeText: boolean;
  /** Objects on the path from the root to the current value: a repeat is a cycle. */
  readonly ancestors: Set<object>;
}

/** A JSON-ready object without a prototype, so a key named `__proto__` is kept as data. */
export type CleanRecord = Record<string, unknown>;

/** A new empty {@link CleanRecord}. */
export function emptyRecord(): CleanRecord {
  return Object.create(null) as CleanRecord;
}

/**
 * Cleans a record for logging: keys that name secrets get {@link REDACTED}, secrets inside strings are masked, `text`
 * becomes `text_length` when asked, and the result is a bounded, acyclic tree of plain JSON values.
 *
 * @param record - the fields to clean (`undefined` gives an empty record).
 * @param options - see {@link RedactOptions}.
 * @returns a new prototype-less object; the input is not modified.
 */
export function redactRecord(record: Record<string, unknown> | undefined, options: RedactOptions): CleanRecord {
  if (record === undefined || record === null) return emptyRecord();
  const state: WalkState = { nodes: 0, summarizeText: options.summarizeText, ancestors: new Set() };
  const cleaned = walk(record, 0, state);
  if (typeof cleaned === 'object' && cleaned !== null && !Array.isArray(cleaned)) return cleaned as CleanRecord;
  // A record that does not clean to an object (a string, an array...) is kept under one key rather than dropped.
  const wrapped = emptyRecord();
  if (cleaned !== undefined) wrapped['data'] = cleaned;
  return wrapped;
}

/** Masks secrets in a string, then bounds its length. */
export function cleanString(text: string): string {
  const masked = redactSecrets(text);
  if (masked.length <= MAX_STRING_LENGTH) return masked;
  return `${masked.slice(0, MAX_STRING_LENGTH)}…[truncated ${masked.length - MAX_STRING_LENGTH} chars]`;
}

function walk(value: unknown, depth: number, state: WalkState): unknown {
  switch (typeof value) {
    case 'string':
      return cleanString(value);
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'symbol':
      return cleanString(value.toString());
    case 'object':
      return value === null ? null : walkObject(value, depth, state);
    default:
      // functions and undefined: dropped, as JSON.stringify does
      return undefined;
  }
}

function walkObject(value: object, depth: number, state: WalkState): unknown {
  const primitive = unboxPrimitive(value);
  if (primitive !== NOT_BOXED) return walk(primitive, depth, state);
  if (types.isDate(value)) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  // Binary data is never printed: it is large and may hold anything.
  if (ArrayBuffer.isView(value) || types.isAnyArrayBuffer(value)) return `[Binary ${value.byteLength} bytes]`;
  if (state.ancestors.has(value)) return CIRCULAR_MARKER;
  if (depth >= MAX_DEPTH) return MAX_DEPTH_MARKER;

  state.ancestors.add(value);
  try {
    if (types.isNativeError(value) || value instanceof Error) return walkError(value as Error, depth, state);
    if (Array.isArray(value)) return walkItems(value, value.length, depth, state);
    if (types.isSet(value)) return walkItems(value as Set<unknown>, (value as Set<unknown>).size, depth, state);
    if (types.isMap(value)) {
      const map = value as Map<unknown, unknown>;
      return walkEntries(map.entries(), map.size, depth, state);
    }
    if (isFetchHeaders(value)) return walkEntries(value.entries(), -1, depth, state);
    const toJSON = readProperty(value, 'toJSON');
    if (typeof toJSON === 'function') {
      // Honour toJSON like JSON.stringify does (URL, Decimal, SDK types), then clean what it returns.
      let json: unknown;
      try {
        json = (toJSON as (this: object) => unknown).call(value);
      } catch {
        return UNREADABLE_MARKER;
      }
      return json === value ? walkFields(value, depth, state) : walk(json, depth, state);
    }
    return walkFields(value, depth, state);
  } catch {
    // A proxy trap (getPrototypeOf, get of Symbol.toStringTag...) threw: logging must not.
    return UNREADABLE_MARKER;
  } finally {
    state.ancestors.delete(value);
  }
}

/**
 * A fetch `Headers` object, recognised by its tag: reading the global `Headers` would load undici (100+ ms at cold
 * start on Node 20).
 */
function isFetchHeaders(value: object): value is { entries(): IterableIterator<[string, string]> } {
  return (
    Object.prototype.toString.call(value) === '[object Headers]' &&
    typeof (value as { entries?: unknown }).entries === 'function'
  );
}

const NOT_BOXED = Symbol('not boxed');

function unboxPrimitive(value: object): unknown {
  if (!types.isBoxedPrimitive(value)) return NOT_BOXED;
  return (value as { valueOf(): unknown }).valueOf();
}

function readProperty(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function walkFields(source: object, depth: number, state: WalkState, skip?: ReadonlySet<string>): unknown {
  let keys: string[];
  try {
    keys = Object.keys(source);
  } catch {
    return UNREADABLE_MARKER;
  }
  const out = emptyRecord();
  let textLength: number | undefined;
  for (let i = 0; i < keys.length; i++) {
    if (state.nodes >= MAX_NODES) {
      out[TRUNCATED_KEY] = `${keys.length - i} more keys`;
      break;
    }
    state.nodes++;
    const key = keys[i];
    if (skip?.has(key)) continue;
    let raw: unknown;
    try {
      raw = (source as Record<string, unknown>)[key];
    } catch {
      out[cleanString(key)] = UNREADABLE_MARKER;
      continue;
    }
    if (isSecretKey(key)) {
      // null, undefined and booleans say whether a secret is present without revealing it.
      if (raw !== undefined) out[cleanString(key)] = raw === null || typeof raw === 'boolean' ? raw : REDACTED;
      continue;
    }
    if (state.summarizeText && key === 'text') {
      const text = typeof raw === 'object' && raw !== null ? unboxPrimitive(raw) : raw;
      if (typeof text === 'string') {
        textLength = text.length;
        continue;
      }
    }
    const cleaned = walk(raw, depth + 1, state);
    if (cleaned !== undefined) out[cleanString(key)] = cleaned;
  }
  // Set last so that the computed length wins over a caller's own `text_length`.
  if (textLength !== undefined) out['text_length'] = textLength;
  return out;
}

function walkItems(items: Iterable<unknown>, size: number, depth: number, state: WalkState): unknown[] {
  const out: unknown[] = [];
  let index = 0;
  for (const item of items) {
    if (index >= MAX_ITEMS || state.nodes >= MAX_NODES) {
      out.push(`${TRUNCATED_MARKER} ${size - index} more items`);
      break;
    }
    state.nodes++;
    const cleaned = walk(item, depth + 1, state);
    // JSON writes a dropped array item as null; do the same explicitly.
    out.push(cleaned === undefined ? null : cleaned);
    index++;
  }
  return out;
}

function walkEntries(
  entries: Iterable<[unknown, unknown]>,
  size: number,
  depth: number,
  state: WalkState,
): CleanRecord {
  const record = emptyRecord();
  let index = 0;
  for (const [key, value] of entries) {
    if (index >= MAX_ITEMS || state.nodes >= MAX_NODES) {
      record[TRUNCATED_KEY] = size >= 0 ? `${size - index} more keys` : 'more keys';
      break;
    }
    record[entryKey(key)] = value;
    index++;
  }
  return walkFields(record, depth, state) as CleanRecord;
}

function entryKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'object' && key !== null) return '[object]';
  return typeof key === 'function' ? '[function]' : String(key);
}

const ERROR_OWN_FIELDS: ReadonlySet<string> = new Set(['name', 'message', 'stack', 'cause', 'errors']);

function walkError(error: Error, depth: number, state: WalkState): CleanRecord {
  state.nodes++;
  const out = emptyRecord();
  const name = readProperty(error, 'name');
  const constructorName = (readProperty(error, 'constructor') as { name?: unknown } | undefined)?.name;
  out['type'] = cleanString(
    typeof name === 'string' && name !== '' ? name : typeof constructorName === 'string' ? constructorName : 'Error',
  );
  const message = readProperty(error, 'message');
  out['message'] = typeof message === 'string' ? cleanString(message) : walk(message, depth + 1, state);
  const stack = readProperty(error, 'stack');
  if (typeof stack === 'string') out['stack'] = cleanString(stack);

  const fields = walkFields(error, depth, state, ERROR_OWN_FIELDS);
  if (typeof fields === 'object' && fields !== null) Object.assign(out, fields);
  else out['fields'] = fields;

  // `cause` (ES2022) and AggregateError's `errors` are own but non-enumerable, so walkFields does not see them.
  const cause = readProperty(error, 'cause');
  if (cause !== undefined) out['cause'] = walk(cause, depth + 1, state);
  const errors = readProperty(error, 'errors');
  if (Array.isArray(errors)) out['errors'] = walk(errors, depth + 1, state);
  return out;
}
