import { IdleTimeoutError } from './activity';
import type { FaultController, FaultSpecs, FaultTarget } from './faults';
import { FAULT_TARGETS, FaultSpecError } from './faults';
import type { HttpReply, HttpRequestData } from './http/types';
import { jsonReply } from './http/types';
import type { DeadLetterStore } from './lambda/dead-letters';
import type { LogStore } from './logs';
import type { TraceStore } from './trace';

/** What the `/_local/…` routes of the AWS endpoint expose. */
export interface LocalRoutesDeps {
  readonly deadLetters: DeadLetterStore;
  readonly trace: TraceStore;
  readonly logs: LogStore;
  readonly faults: FaultController;
  /** Returned by `GET /_local/health` (lets the demo find a running stack). */
  readonly health: () => Record<string, unknown>;
  /** The stack's `waitForIdle`. */
  readonly waitForIdle: (timeoutMs: number) => Promise<void>;
  /** What was deployed: logical id, type, physical name or id, ARN. */
  readonly resources: () => readonly Record<string, unknown>[];
  /** The resources with no local counterpart, and why. */
  readonly notEmulated: () => readonly object[];
  /** The local principals and their fake keys. */
  readonly principals: () => readonly Record<string, unknown>[];
}

/** Longest wait of `GET /_local/idle`. */
const MAX_IDLE_WAIT_MS = 60_000;

/** The marker `GET /_local/health` answers with, so clients can tell this stack from anything else on the port. */
export const HEALTH_SERVICE_NAME = 'slack-ai-app-local-stack';

/**
 * The stack's inspection routes on the local AWS endpoint:
 *
 * - `GET /_local/health`
 * - `GET /_local/idle[?timeout_ms=]` answers once nothing is in flight (200), or 504 naming what still runs
 * - `GET /_local/dead-letters`, `DELETE /_local/dead-letters`
 * - `GET /_local/trace[?event_id=]`
 * - `GET /_local/logs[?function=&request_id=&event=]`
 * - `GET /_local/faults`, `PUT /_local/faults/{target}` (body: the fault), `DELETE /_local/faults[/{target}]`
 * - `GET /_local/resources`: what was deployed from the cloud assembly, and what is not emulated
 * - `GET /_local/principals`: each principal's name, account, ARN and fake keys
 *
 * @param deps - the stores and the fault switchboard
 */
export function createLocalRoutes(deps: LocalRoutesDeps): (request: HttpRequestData) => Promise<HttpReply> {
  return async (request) => {
    const { method, path, query } = request;
    if (method === 'GET' && path === '/_local/health') return jsonReply(200, { ok: true, service: HEALTH_SERVICE_NAME, ...deps.health() });
    if (method === 'GET' && path === '/_local/idle') {
      const timeoutMs = Math.min(Math.max(Number(query.get('timeout_ms') ?? '30000') || 0, 0), MAX_IDLE_WAIT_MS);
      try {
        await deps.waitForIdle(timeoutMs);
        return jsonReply(200, { idle: true });
      } catch (error) {
        if (error instanceof IdleTimeoutError) return jsonReply(504, { idle: false, pending: error.pending });
        throw error;
      }
    }
    if (path === '/_local/dead-letters') {
      if (method === 'GET') return jsonReply(200, { deadLetters: deps.deadLetters.list(), deliveryFailures: deps.deadLetters.deliveryFailures() });
      if (method === 'DELETE') {
        deps.deadLetters.clear();
        return jsonReply(200, { ok: true });
      }
    }
    if (method === 'GET' && path === '/_local/trace') {
      const eventId = query.get('event_id');
      return jsonReply(200, { entries: eventId === null ? deps.trace.entries() : deps.trace.forEvent(eventId) });
    }
    if (method === 'GET' && path === '/_local/logs') {
      const filter = {
        ...(query.has('function') ? { functionName: query.get('function') as string } : {}),
        ...(query.has('request_id') ? { requestId: query.get('request_id') as string } : {}),
        ...(query.has('event') ? { event: query.get('event') as string } : {}),
      };
      return jsonReply(200, { entries: deps.logs.entries(filter) });
    }
    if (path === '/_local/faults' || path.startsWith('/_local/faults/')) return faultRoute(request, deps.faults);
    if (method === 'GET' && path === '/_local/resources') return jsonReply(200, { resources: deps.resources(), notEmulated: deps.notEmulated() });
    if (method === 'GET' && path === '/_local/principals') return jsonReply(200, { principals: deps.principals() });
    return jsonReply(404, { message: `unknown local route ${method} ${path}` });
  };
}

function faultRoute(request: HttpRequestData, faults: FaultController): HttpReply {
  const target = request.path.slice('/_local/faults/'.length) as FaultTarget;
  if (request.path === '/_local/faults') {
    if (request.method === 'GET') {
      const active = Object.fromEntries(FAULT_TARGETS.flatMap((t) => (faults.get(t) === undefined ? [] : [[t, faults.get(t)]])));
      return jsonReply(200, { active, injected: faults.counts() });
    }
    if (request.method === 'DELETE') {
      faults.clear();
      return jsonReply(200, { ok: true });
    }
    return jsonReply(405, { message: 'use GET or DELETE' });
  }
  if (!FAULT_TARGETS.includes(target)) return jsonReply(404, { message: `unknown fault target ${target}; targets: ${FAULT_TARGETS.join(', ')}` });
  if (request.method === 'DELETE') {
    faults.clear(target);
    return jsonReply(200, { ok: true });
  }
  if (request.method !== 'PUT') return jsonReply(405, { message: 'use PUT or DELETE' });
  let spec: Record<string, unknown>;
  try {
    spec = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return jsonReply(400, { message: 'the body must be the fault as JSON, e.g. {"mode":"status","status":500}' });
  }
  if (target === 'gatewayClock' && typeof spec['at'] === 'string') spec = { ...spec, at: new Date(spec['at']) };
  try {
    faults.set(target, spec as unknown as FaultSpecs[typeof target]);
  } catch (error) {
    if (error instanceof FaultSpecError) return jsonReply(400, { message: error.message });
    throw error;
  }
  return jsonReply(200, { ok: true, target, fault: spec });
}
