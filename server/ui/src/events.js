// The tenant's live event stream (GET /v1/events, Server-Sent Events). EventSource cannot send the X-API-Key header
// and the key must never go in a URL, so the stream is read with fetch and a stream reader and its frames parsed by
// eventsource-parser. On a dropped stream it reconnects with Last-Event-ID (the server replays what was missed from
// its change log, none twice), waiting 1 s, doubling up to 30 s while it keeps failing. A 401 or 403 stops it.
import { createParser } from 'eventsource-parser';

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30000;

/**
 * Starts reading the stream; returns stop(). onEvent({type, id, data}) gets each event (data parsed from JSON);
 * onState(text, live) reports connecting, live, reconnecting and stopped.
 */
export function openEventStream(key, onEvent, onState) {
  const controller = new AbortController();
  let lastEventId = null;
  let delay = RETRY_MIN_MS;

  const readOnce = async () => {
    const headers = { 'X-API-Key': key(), Accept: 'text/event-stream' };
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const response = await fetch('/v1/events', { headers, signal: controller.signal, cache: 'no-store' });
    if (response.status === 401 || response.status === 403) {
      const body = await response.json().catch(() => ({}));
      throw Object.assign(new Error(body.message ?? `HTTP ${response.status}`), { fatal: true });
    }
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    onState('live', true);
    delay = RETRY_MIN_MS;
    const parser = createParser({
      onEvent: (message) => {
        if (message.id) lastEventId = message.id;
        let data = message.data;
        try {
          data = JSON.parse(message.data);
        } catch {
          // not JSON: shown as text
        }
        onEvent({ type: message.event ?? 'message', id: message.id ?? '', data });
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  };

  (async () => {
    while (!controller.signal.aborted) {
      onState('connecting', false);
      try {
        await readOnce();
      } catch (e) {
        if (controller.signal.aborted) break;
        if (e.fatal) {
          onState(`stopped: ${e.message}`, false);
          return;
        }
      }
      if (controller.signal.aborted) break;
      onState(`reconnecting in ${Math.round(delay / 1000)} s`, false);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
    onState('stopped', false);
  })();

  return () => controller.abort();
}
