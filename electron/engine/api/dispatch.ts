/**
 * One entry point for every call from a renderer: the channel must exist, the argument must
 * pass its schema, and whatever happens the caller gets an envelope, never a thrown error.
 */
import { API_CHANNELS, type ApiError, type ApiHandlers, type ApiMethod, type Envelope } from '../../../shared/api.ts';
import { API_SCHEMAS } from '../../../shared/api-schema.ts';
import { EngineError } from '../engine-error.ts';

const METHOD_BY_CHANNEL = new Map<string, ApiMethod>(
  (Object.entries(API_CHANNELS) as [ApiMethod, string][]).map(([m, c]) => [c, m]),
);

/** Text for an error that may itself be hostile: a throwing getter or `toString` yields a fixed text. */
function describe(err: unknown): string {
  try {
    const message = err instanceof Error ? err.message : typeof err === 'string' ? err : 'Unexpected failure';
    return typeof message === 'string' ? message.slice(0, 2000) : 'Unexpected failure';
  } catch {
    return 'Unexpected failure';
  }
}

function codeOf(err: unknown): ApiError['code'] {
  try {
    return err instanceof EngineError ? err.code : 'failed';
  } catch {
    return 'failed';
  }
}

export async function dispatch(handlers: ApiHandlers, channel: unknown, arg: unknown): Promise<Envelope<unknown>> {
  // Never `String(channel)`: over HTTP (browser mode) or in-process a channel may be any value,
  // including one whose `toString` throws; the answer must still be an envelope.
  const method = typeof channel === 'string' ? METHOD_BY_CHANNEL.get(channel) : undefined;
  if (!method) {
    const named = typeof channel === 'string' ? JSON.stringify(channel.slice(0, 80)) : `of type ${typeof channel}`;
    return { ok: false, error: { code: 'unknown-channel', message: `Unknown channel ${named}` } };
  }
  let parsed;
  try {
    parsed = API_SCHEMAS[method].safeParse(arg);
  } catch {
    // A Proxy or getter that throws while being validated is as invalid as a wrong type.
    return { ok: false, error: { code: 'invalid-argument', message: `Invalid argument for ${method}: it could not be read` } };
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
    return { ok: false, error: { code: 'invalid-argument', message: `Invalid argument for ${method}${where}: ${issue?.message ?? 'rejected'}` } };
  }
  try {
    const handler = handlers[method] as (a: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: { code: codeOf(err), message: describe(err) } };
  }
}
