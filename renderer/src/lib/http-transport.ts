/**
 * Browser mode's transport for the same API client the Electron preload builds: one POST per
 * call (the session cookie rides along, same origin only), engine events by Server-Sent Events.
 */
import type { Transport } from '../../../shared/api-client.ts';
import type { EngineEvent, Envelope } from '../../../shared/api.ts';

export function httpTransport(base = './'): Transport {
  return {
    async invoke(channel, arg) {
      let res: Response;
      try {
        res = await fetch(`${base}api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify({ arg }),
        });
      } catch {
        return { ok: false, error: { code: 'failed', message: 'Portrait Songs is not running any more. Start it again, then reload this page.' } };
      }
      if (res.status === 403) return { ok: false, error: { code: 'forbidden', message: (await res.text()) || 'Refused' } };
      if (!res.ok) return { ok: false, error: { code: 'failed', message: `The app answered ${res.status}: ${await res.text()}` } };
      return (await res.json()) as Envelope<unknown>;
    },
    subscribe(listener) {
      const source = new EventSource(`${base}events`);
      source.onmessage = (m: MessageEvent<string>) => listener(JSON.parse(m.data) as EngineEvent);
      return () => source.close();
    },
  };
}
