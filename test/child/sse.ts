/** A small Server-Sent Events reader over fetch, for tests against a listening server. */
export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** Waits until an event satisfies the test (or the timeout), and returns it; events before it stay readable in `events`. */
  next(test: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  events: SseEvent[];
  /** Comment lines seen (heartbeats). */
  comments: string[];
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  if (res.body && res.status === 200) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let event = 'message';
            let id: string | null = null;
            const data: string[] = [];
            let isEvent = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line);
              else if (line.startsWith('event: ')) {
                event = line.slice(7);
                isEvent = true;
              } else if (line.startsWith('data: ')) {
                data.push(line.slice(6));
                isEvent = true;
              } else if (line.startsWith('id: ')) id = line.slice(4);
            }
            if (isEvent) events.push({ event, data: data.join('\n'), id });
            for (const w of waiters) w();
          }
        }
      } catch {
        // aborted
      } finally {
        ended = true;
        for (const w of waiters) w();
      }
    })();
  }
  return {
    status: res.status,
    headers: res.headers,
    events,
    comments,
    async next(test, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(test);
        if (found) return found;
        if (ended) throw new Error(`stream ended; events: ${JSON.stringify(events)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event in ${timeoutMs} ms; events: ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          const done = () => {
            waiters.delete(done);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(done, Math.min(left, 100));
          waiters.add(done);
        });
      }
    },
    close: () => controller.abort(),
  };
}
