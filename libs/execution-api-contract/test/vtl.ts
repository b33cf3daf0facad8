import { inputParam, type InputParams } from '../src';

/*
 * A deliberately tiny Velocity (VTL) evaluator for the constructs API Gateway mapping templates use in
 * INTEGRATION_REQUEST_TEMPLATE, and nothing else:
 *   - references `$name(.name | .name(args))*`, where args are '...' / "..." literals or nested references;
 *   - `$input.json('$')`, `$input.params('name')`, `$context.<path>`, `$util.escapeJavaScript(s)`;
 *   - the Java String method `replaceAll(regex, replacement)` for literal regexes.
 * Anything else (directives, `$!silent`, `${formal}`, escapes, unknown variables or methods) throws, so that a
 * template change outside this subset fails the drift test instead of being rendered wrongly.
 */

/** Thrown when the template uses a construct this evaluator does not implement. */
export class UnsupportedVtlError extends Error {
  override readonly name = 'UnsupportedVtlError';
}

/** What API Gateway knows about a request when it renders the template. */
export interface VtlRequest {
  /** The raw request body (JSON text). */
  readonly body: string;
  readonly params: InputParams;
  /** `$context`: nested values, e.g. `{ requestId, identity: { userArn, ... } }`. */
  readonly context: Readonly<Record<string, unknown>>;
}

type Value = string | Readonly<Record<string, unknown>> | Method;
type Method = { readonly kind: 'method'; readonly call: (args: string[]) => Value };

const method = (call: (args: string[]) => Value): Method => ({ kind: 'method', call });

function isMethod(value: Value): value is Method {
  return typeof value === 'object' && (value as Partial<Method>).kind === 'method' && typeof (value as Partial<Method>).call === 'function';
}

/** Renders `template` for `request` the way API Gateway would for the supported constructs. */
export function renderTemplate(template: string, request: VtlRequest): string {
  const roots: Record<string, Value> = {
    input: {
      json: method(([path]) => {
        if (path !== '$') throw new UnsupportedVtlError(`$input.json('${path}'): only '$' is supported`);
        return JSON.stringify(JSON.parse(request.body));
      }),
      params: method(([name]) => inputParam(requireArg(name, '$input.params'), request.params)),
    },
    context: request.context,
    util: {
      escapeJavaScript: method(([text]) => escapeJavaScript(requireArg(text, '$util.escapeJavaScript'))),
    },
  };
  return new Renderer(template, roots).render();
}

/**
 * `$util.escapeJavaScript`: Apache Commons Lang `StringEscapeUtils.escapeJavaScript` rules, per UTF-16 unit.
 * `'`, `"`, `\` and `/` are backslash-escaped; backspace, tab, newline, form feed and carriage return get their
 * short escapes; every other unit below 0x20 or above 0x7f becomes `\uXXXX` (upper-case hex).
 */
export function escapeJavaScript(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const char = text[i] as string;
    if (code > 0x7f || code < 0x20) {
      const short = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r' }[code];
      out += short ?? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (char === "'" || char === '"' || char === '\\' || char === '/') {
      out += `\\${char}`;
    } else {
      out += char;
    }
  }
  return out;
}

function requireArg(value: string | undefined, where: string): string {
  if (value === undefined) throw new UnsupportedVtlError(`${where} needs one argument`);
  return value;
}

class Renderer {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly roots: Record<string, Value>,
  ) {}

  render(): string {
    let out = '';
    while (this.pos < this.text.length) {
      const char = this.text[this.pos] as string;
      if (char === '#' || (char === '\\' && /[$#]/.test(this.text[this.pos + 1] ?? ''))) {
        throw new UnsupportedVtlError(`directive or escape at offset ${this.pos}`);
      }
      if (char === '$' && /[A-Za-z!{]/.test(this.text[this.pos + 1] ?? '')) {
        const value = this.reference();
        if (typeof value !== 'string') throw new UnsupportedVtlError(`a reference rendered a non-string at ${this.pos}`);
        out += value;
      } else {
        out += char;
        this.pos++;
      }
    }
    return out;
  }

  /** `$name(.name | .name(args))*` at `pos`; leaves `pos` after it. */
  private reference(): Value {
    this.pos++; // $
    if (this.text[this.pos] === '!' || this.text[this.pos] === '{') {
      throw new UnsupportedVtlError(`silent or formal reference at offset ${this.pos}`);
    }
    const rootName = this.identifier();
    let value = this.roots[rootName];
    if (value === undefined) throw new UnsupportedVtlError(`unknown variable $${rootName}`);
    let path = `$${rootName}`;
    while (this.text[this.pos] === '.' && /[A-Za-z]/.test(this.text[this.pos + 1] ?? '')) {
      this.pos++;
      const name = this.identifier();
      path += `.${name}`;
      if (this.text[this.pos] === '(') {
        value = this.call(value, name, this.arguments(), path);
      } else {
        value = this.property(value, name, path);
      }
    }
    if (isMethod(value)) throw new UnsupportedVtlError(`${path} is a method; call it`);
    return value;
  }

  private property(target: Value, name: string, path: string): Value {
    if (typeof target !== 'object' || isMethod(target)) {
      throw new UnsupportedVtlError(`${path}: no property on a ${typeof target}`);
    }
    const next = (target as Record<string, unknown>)[name];
    if (typeof next === 'string' || (typeof next === 'object' && next !== null)) return next as Value;
    throw new UnsupportedVtlError(`${path} is undefined`);
  }

  private call(target: Value, name: string, args: string[], path: string): Value {
    if (typeof target === 'string') {
      if (name !== 'replaceAll') throw new UnsupportedVtlError(`${path}: String.${name} is not supported`);
      const [regex, replacement] = args;
      return javaReplaceAll(target, requireArg(regex, path), requireArg(replacement, path));
    }
    const member = this.property(target, name, path);
    if (!isMethod(member)) throw new UnsupportedVtlError(`${path} is not a method`);
    return member.call(args);
  }

  private arguments(): string[] {
    this.pos++; // (
    const args: string[] = [];
    for (;;) {
      this.skipSpaces();
      const char = this.text[this.pos];
      if (char === ')' && args.length === 0) break;
      if (char === "'" || char === '"') {
        const end = this.text.indexOf(char, this.pos + 1);
        if (end < 0) throw new UnsupportedVtlError(`unterminated string at offset ${this.pos}`);
        const literal = this.text.slice(this.pos + 1, end);
        // Double-quoted VTL strings interpolate references; none are used, so refuse rather than mis-render.
        if (char === '"' && literal.includes('$')) throw new UnsupportedVtlError('interpolated string argument');
        args.push(literal);
        this.pos = end + 1;
      } else if (char === '$') {
        const value = this.reference();
        if (typeof value !== 'string') throw new UnsupportedVtlError('non-string argument');
        args.push(value);
      } else {
        throw new UnsupportedVtlError(`unsupported argument at offset ${this.pos}`);
      }
      this.skipSpaces();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (this.text[this.pos] === ')') break;
      throw new UnsupportedVtlError(`expected "," or ")" at offset ${this.pos}`);
    }
    this.pos++; // )
    return args;
  }

  private identifier(): string {
    const match = /^[A-Za-z][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (match === null) throw new UnsupportedVtlError(`identifier expected at offset ${this.pos}`);
    this.pos += match[0].length;
    return match[0];
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }
}

/**
 * Java's `String.replaceAll(regex, replacement)` for regexes made of literal characters and backslash-escaped
 * punctuation (which mean the same in Java and JavaScript), and replacements without `$` or `\`.
 */
function javaReplaceAll(subject: string, regex: string, replacement: string): string {
  let literal = '';
  for (let i = 0; i < regex.length; i++) {
    const char = regex[i] as string;
    if (char === '\\') {
      const next = regex[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) throw new UnsupportedVtlError(`regex escape "\\${next ?? ''}"`);
      literal += next;
      i++;
    } else if ('[](){}|?*+^$.'.includes(char)) {
      throw new UnsupportedVtlError(`regex metacharacter "${char}"`);
    } else {
      literal += char;
    }
  }
  if (/[$\\]/.test(replacement)) throw new UnsupportedVtlError('replacement with "$" or "\\"');
  if (literal === '') throw new UnsupportedVtlError('empty regex');
  return subject.split(literal).join(replacement);
}
