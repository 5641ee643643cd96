/**
 * One entry point for every call from a renderer: the channel must exist, the argument must
 * pass its schema, and whatever happens the caller gets an envelope, never a thrown error.
 */
import { API_CHANNELS, type ApiHandlers, type ApiMethod, type Envelope } from '../../../shared/api.ts';
import { API_SCHEMAS } from '../../../shared/api-schema.ts';
import { EngineError } from '../engine-error.ts';

const METHOD_BY_CHANNEL = new Map<string, ApiMethod>(
  (Object.entries(API_CHANNELS) as [ApiMethod, string][]).map(([m, c]) => [c, m]),
);

export async function dispatch(handlers: ApiHandlers, channel: unknown, arg: unknown): Promise<Envelope<unknown>> {
  const method = typeof channel === 'string' ? METHOD_BY_CHANNEL.get(channel) : undefined;
  if (!method) return { ok: false, error: { code: 'unknown-channel', message: `Unknown channel ${String(channel).slice(0, 80)}` } };
  const parsed = API_SCHEMAS[method].safeParse(arg);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, error: { code: 'invalid-argument', message: `Invalid argument for ${method}${where}: ${issue?.message ?? 'rejected'}` } };
  }
  try {
    const handler = handlers[method] as (a: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    const code = err instanceof EngineError ? err.code : 'failed';
    return { ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } };
  }
}
