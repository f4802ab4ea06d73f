import { ApiError, describeIssues } from './errors';
import { apiEvents, type ApiEventName, type ApiEventPayload } from './events';
import {
  apiMethods,
  isApiMethod,
  type ApiMethodName,
  type ApiParams,
  type ApiResult,
} from './methods';
import type { z } from 'zod';

/** Checks a method name that arrived from outside; throws a clear `unknown-method` error. */
export function requireMethod(name: unknown): ApiMethodName {
  if (typeof name !== 'string' || !isApiMethod(name)) {
    throw new ApiError(
      'unknown-method',
      `unknown API method ${JSON.stringify(name)}`,
      'The UI and the host are from different versions; reload the page or restart the app.',
    );
  }
  return name;
}

/** Validates a call's params against the contract (on the service side, before anything runs). */
export function parseParams<M extends ApiMethodName>(
  method: M,
  params: unknown,
): z.output<(typeof apiMethods)[M]['params']> {
  const r = apiMethods[method].params.safeParse(params ?? {});
  if (!r.success) {
    throw new ApiError('bad-request', `${method}: ${describeIssues(r.error.issues, 'params')}`);
  }
  return r.data as z.output<(typeof apiMethods)[M]['params']>;
}

/** Validates a service's result (catches a service drifting from the contract). */
export function parseResult<M extends ApiMethodName>(method: M, result: unknown): ApiResult<M> {
  const r = apiMethods[method].result.safeParse(result);
  if (!r.success) {
    throw new ApiError(
      'internal',
      `${method} returned an invalid result: ${describeIssues(r.error.issues, 'result')}`,
      'This is a bug in Pose Studio; please report it.',
    );
  }
  return r.data as ApiResult<M>;
}

export function parseEvent<E extends ApiEventName>(event: E, payload: unknown): ApiEventPayload<E> {
  const r = apiEvents[event].safeParse(payload);
  if (!r.success) {
    throw new ApiError('internal', `event ${event}: ${describeIssues(r.error.issues, 'payload')}`);
  }
  return r.data as ApiEventPayload<E>;
}

export type { ApiParams };
