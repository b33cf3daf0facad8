import { LOCAL_ACCOUNT_ID, LOCAL_REGION, accountOfArn } from '../constants';
import type { AsyncInvoker } from './async-invoker';
import type { LambdaFunction } from './function';

/** A deployed local function with its asynchronous-invocation queue. */
export interface RegisteredFunction {
  readonly fn: LambdaFunction;
  readonly async: AsyncInvoker;
}

/** How a function identifier was resolved. */
export type FunctionLookup =
  | { readonly ok: true; readonly entry: RegisteredFunction }
  /** `arn` is what Lambda names in its "Function not found" message. */
  | { readonly ok: false; readonly arn: string };

const NAME = /^[a-zA-Z0-9-_]+$/;

/** The local functions by name, resolving every identifier form the Invoke API accepts. */
export class FunctionRegistry {
  private readonly byName = new Map<string, RegisteredFunction>();

  /** Adds a function. */
  register(entry: RegisteredFunction): void {
    this.byName.set(entry.fn.name, entry);
  }

  /** Every function. */
  all(): RegisteredFunction[] {
    return [...this.byName.values()];
  }

  /**
   * Resolves a `FunctionName` as Lambda accepts it: `name`, `name:qualifier`, the full ARN (optionally qualified) or the
   * partial ARN `account:function:name`. Only `$LATEST` (or no qualifier) exists locally.
   *
   * @param identifier - the decoded `FunctionName` path parameter
   * @param qualifierParam - the `Qualifier` query parameter, if any
   */
  resolve(identifier: string, qualifierParam?: string): FunctionLookup {
    const parsed = parseIdentifier(identifier);
    const qualifier = qualifierParam ?? parsed?.qualifier;
    const name = parsed?.name ?? identifier;
    const found = this.byName.get(name);
    // A name alone means the function of that name (local names are unique across the local accounts); an ARN or
    // partial ARN must also name its account.
    const ownAccount = found === undefined ? undefined : (accountOfArn(found.fn.arn) ?? LOCAL_ACCOUNT_ID);
    const account = parsed?.account ?? ownAccount ?? LOCAL_ACCOUNT_ID;
    const region = parsed?.region ?? LOCAL_REGION;
    const arn = `arn:aws:lambda:${region}:${account}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;
    if (parsed === undefined || account !== ownAccount || region !== LOCAL_REGION) return { ok: false, arn };
    if (qualifier !== undefined && qualifier !== '$LATEST') return { ok: false, arn };
    return found === undefined ? { ok: false, arn } : { ok: true, entry: found };
  }
}

function parseIdentifier(identifier: string): { name: string; qualifier?: string; account?: string; region?: string } | undefined {
  const parts = identifier.split(':');
  let name: string | undefined;
  let qualifier: string | undefined;
  let account: string | undefined;
  let region: string | undefined;
  if (parts[0] === 'arn') {
    // arn:aws:lambda:region:account:function:name[:qualifier]
    if (parts.length < 7 || parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function') return undefined;
    [region, account, name, qualifier] = [parts[3], parts[4], parts[6], parts[7]];
  } else if (parts.length >= 3 && parts[1] === 'function') {
    // account:function:name[:qualifier]
    if (parts.length > 4) return undefined;
    [account, name, qualifier] = [parts[0], parts[2], parts[3]];
  } else {
    if (parts.length > 2) return undefined;
    [name, qualifier] = [parts[0], parts[1]];
  }
  if (name === undefined || !NAME.test(name)) return undefined;
  return {
    name,
    ...(qualifier !== undefined ? { qualifier } : {}),
    ...(account !== undefined ? { account } : {}),
    ...(region !== undefined ? { region } : {}),
  };
}
