/** A minimal Server-Sent Events reader over fetch, for tests and the benchmark: events and comments in order. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
  /** A comment line (": ping"), not an event. */
  comment?: string;
  retry?: number;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The next event (or comment) matching the predicate; earlier non-matching ones are consumed. */
  next(predicate?: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Everything parsed so far and not yet consumed. */
  buffered(): SseEvent[];
  /** Every event and comment received, consumed or not. */
  seen: SseEvent[];
  close(): void;
  closed: Promise<void>;
}

export function parseSseBlock(block: string): SseEvent | null {
  const e: SseEvent = { event: 'message', data: '' };
  const data: string[] = [];
  let any = false;
  for (const line of block.split('\n')) {
    if (line === '') continue;
    if (line.startsWith(':')) {
      e.comment = line.slice(1).trim();
      any = true;
      continue;
    }
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    any = true;
    if (field === 'data') data.push(value);
    else if (field === 'event') e.event = value;
    else if (field === 'id') e.id = value;
    else if (field === 'retry') e.retry = Number(value);
  }
  if (!any) return null;
  e.data = data.join('\n');
  return e;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const queue: SseEvent[] = [];
  const seen: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  const wake = () => waiters.splice(0).forEach((w) => w());
  const closed = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = text.indexOf('\n\n')) >= 0) {
          const parsed = parseSseBlock(text.slice(0, cut));
          text = text.slice(cut + 2);
          if (parsed) {
            queue.push(parsed);
            seen.push(parsed);
          }
        }
        wake();
      }
    } catch {
      // aborted or reset: the stream is over
    } finally {
      ended = true;
      wake();
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    buffered: () => [...queue],
    seen,
    async next(predicate = () => true, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = queue.findIndex(predicate);
        if (i >= 0) return queue.splice(0, i + 1).pop()!;
        if (ended) throw new Error('the stream ended');
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no such event in time');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: () => controller.abort(),
    closed,
  };
}

export const isCaseEvent = (caseId: string, op?: 'upsert' | 'remove') => (e: SseEvent): boolean => {
  if (e.event !== 'case') return false;
  const d = JSON.parse(e.data) as { op: string; id?: string; row?: { id: string } };
  return (d.row?.id ?? d.id) === caseId && (op === undefined || d.op === op);
};
