import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { BOARD_CHANNELS, isOnBoard, readBoard, type BoardDeps, type BoardRow } from '../../../core/board.ts';
import { canReadBoardRow } from '../../../core/policy.ts';
import type { CaseChange } from '../../../core/ports.ts';
import type { StaffPrincipal } from '../../../core/principal.ts';
import type { EventSink } from '../../sse.ts';
import { presentBoard, presentBoardRow } from './present.ts';

/** Where a client's stream goes: the HTTP response in production, a fake in tests. */
export type BoardSink = EventSink;

export interface BoardHubOptions {
  heartbeatMs: number;
  retryMs: number;
  clientBufferBytes: number;
  replayEvents: number;
  logger: Logger;
}

/** One change of one case on one board, read once and serialised once for every client. */
interface Entry {
  seq: number;
  caseId: string;
  /** The case's version when it was read (0: not found). */
  version: number;
  /** The case as it is now when it is on the board; null: it left the board. */
  row: BoardRow | null;
  /** The row the board had before, for deciding who had it. */
  previous: BoardRow | null;
  upsert: string | null;
  remove: string;
}

interface Client {
  principal: StaffPrincipal;
  sink: BoardSink;
  /** Ids of the rows this client has been sent (to tell it of a removal, and only it). */
  visible: Set<string>;
  /** Resumed with Last-Event-ID: what it had before is not in `visible`, so `previous` decides. */
  resumed: boolean;
  /** Until its snapshot is written, changes wait here. */
  pending: Entry[] | null;
  open: boolean;
}

const sse = (fields: { id?: string; event?: string; data?: string }): string =>
  `${fields.id !== undefined ? `id: ${fields.id}\n` : ''}${fields.event ? `event: ${fields.event}\n` : ''}${fields.data !== undefined ? `data: ${fields.data}\n` : ''}\n`;

/**
 * One organisation's board on this node: a single live-feed subscription shared by all its clients. Each
 * change is read once (the changes of one poll in one query) and serialised once; every client then gets it
 * or not by the confidentiality rule. A client that does not read is dropped, never buffered without end.
 */
class OrganisationBoard {
  readonly epoch = randomBytes(6).toString('hex');
  private seq = 0;
  readonly clients = new Set<Client>();
  private readonly replay: Entry[] = [];
  /** The rows any client of this board may have (snapshots and upserts): a removal is news only for these. */
  private readonly known = new Map<string, BoardRow>();
  private readonly pendingIds = new Set<string>();
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private stopped = false;
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    readonly organisationId: string,
    private readonly deps: BoardDeps,
    private readonly options: BoardHubOptions,
    private readonly onEmpty: () => void,
  ) {
    this.unsubscribe = deps.feed.subscribe({ organisationId }, (change) => this.onChange(change));
    this.heartbeat = setInterval(() => this.broadcast(': ping\n\n'), options.heartbeatMs);
    this.heartbeat.unref();
  }

  private onChange(change: CaseChange): void {
    if (!BOARD_CHANNELS.includes(change.channel)) return;
    this.pendingIds.add(change.caseId);
    // The feed tells one poll's changes in a row: read them together, once the poll has told them all.
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const ids = [...this.pendingIds];
      this.pendingIds.clear();
      this.flushing = this.flushing.then(() => this.apply(ids)).catch((err: unknown) => this.options.logger.warn({ err }, 'board update failed'));
    });
  }

  private async apply(ids: string[]): Promise<void> {
    const rows = new Map((await this.deps.source.rowsByIds(ids)).map((r) => [r.id, r]));
    const now = this.deps.clock.now();
    for (const caseId of ids) {
      const current = rows.get(caseId) ?? null;
      const row = current && isOnBoard(current, this.organisationId) ? current : null;
      const previous = this.known.get(caseId) ?? null;
      if (!row && !previous) continue; // never on this board: nobody has it
      if (row) this.known.set(caseId, row);
      else this.known.delete(caseId);
      const seq = ++this.seq;
      const id = `${this.epoch}-${seq}`;
      const entry: Entry = {
        seq,
        caseId,
        version: current?.version ?? 0,
        row,
        previous,
        upsert: row ? sse({ id, event: 'case', data: JSON.stringify({ op: 'upsert', row: presentBoardRow(row, now) }) }) : null,
        remove: sse({ id, event: 'case', data: JSON.stringify({ op: 'remove', id: caseId, version: current?.version ?? 0 }) }),
      };
      this.replay.push(entry);
      if (this.replay.length > this.options.replayEvents) this.replay.shift();
      for (const client of this.clients) this.deliver(client, entry);
    }
  }

  private deliver(client: Client, entry: Entry): void {
    if (!client.open) return;
    if (client.pending) {
      client.pending.push(entry);
      return;
    }
    const { principal, visible } = client;
    const had = visible.has(entry.caseId) || (client.resumed && entry.previous !== null && canReadBoardRow(principal, entry.previous));
    if (entry.row && entry.upsert && canReadBoardRow(principal, entry.row)) {
      visible.add(entry.caseId);
      this.write(client, entry.upsert);
    } else if (had) {
      visible.delete(entry.caseId);
      this.write(client, entry.remove);
    }
  }

  private write(client: Client, chunk: string): void {
    if (!client.open) return;
    client.sink.write(chunk);
    if (client.sink.queuedBytes() > this.options.clientBufferBytes) {
      this.options.logger.info({ organisationId: this.organisationId, queued: client.sink.queuedBytes() }, 'board client too slow: dropped');
      this.drop(client);
    }
  }

  broadcast(chunk: string): void {
    for (const client of this.clients) if (!client.pending) this.write(client, chunk);
  }

  /** Whether a Last-Event-ID can be trusted: this board's epoch, and nothing after it has left the replay buffer. */
  private replayable(lastEventId: string | undefined): Entry[] | null {
    const match = lastEventId ? /^([0-9a-f]{12})-(\d{1,15})$/.exec(lastEventId) : null;
    if (!match || match[1] !== this.epoch) return null;
    const last = Number(match[2]);
    if (last > this.seq) return null;
    const oldest = this.replay[0]?.seq ?? this.seq + 1;
    if (last + 1 < oldest) return null;
    return this.replay.filter((e) => e.seq > last);
  }

  async connect(principal: StaffPrincipal, sink: BoardSink, lastEventId: string | undefined): Promise<Client> {
    const client: Client = { principal, sink, visible: new Set(), resumed: false, pending: null, open: true };
    this.clients.add(client);
    this.write(client, `retry: ${this.options.retryMs}\n\n`);
    const missed = this.replayable(lastEventId);
    if (missed) {
      client.resumed = true;
      for (const entry of missed) this.deliver(client, entry);
      return client;
    }
    client.pending = [];
    const snapshotSeq = this.seq;
    try {
      const snapshot = await readBoard(this.deps, principal, this.organisationId);
      for (const row of snapshot.rows) this.known.set(row.id, row);
      const versions = new Map(snapshot.rows.map((r) => [r.id, r.version]));
      for (const row of snapshot.rows) client.visible.add(row.id);
      const waiting = client.pending;
      client.pending = null;
      this.write(client, sse({ id: `${this.epoch}-${snapshotSeq}`, event: 'snapshot', data: JSON.stringify(presentBoard(snapshot)) }));
      // Changes read while the snapshot was being read: only those newer than what the snapshot says.
      for (const entry of waiting) if (entry.version >= (versions.get(entry.caseId) ?? 0)) this.deliver(client, entry);
    } catch (err) {
      this.options.logger.warn({ err, organisationId: this.organisationId }, 'board snapshot failed');
      this.drop(client);
    }
    return client;
  }

  /** Ends a client's stream (it reconnects and gets a fresh snapshot); the board ends with its last client. */
  drop(client: Client): void {
    if (!client.open) return;
    client.open = false;
    this.clients.delete(client);
    try {
      client.sink.close();
    } catch (err) {
      this.options.logger.debug({ err }, 'board client close failed');
    }
    if (this.clients.size === 0) this.stop();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const client of [...this.clients]) this.drop(client);
    this.onEmpty();
  }
}

export interface BoardHubs {
  /** Opens a client's stream on an organisation's board; returns the function that ends it. */
  connect(principal: StaffPrincipal, organisationId: string, sink: BoardSink, lastEventId: string | undefined): Promise<() => void>;
  /** Connected clients on this node (of one organisation, or all). */
  clients(organisationId?: string): number;
  /** Writes one event to every client of a board as it is (no database): the benchmark's baseline. */
  announce(organisationId: string, event: string, data: unknown): number;
  /** Ends every stream (the server is closing). */
  closeAll(): void;
}

/** The boards each platform's routes built, so a benchmark or a test reaches them without the HTTP layer. */
const registry = new WeakMap<BoardDeps, BoardHubs>();
export const boardHubsOf = (deps: BoardDeps): BoardHubs | undefined => registry.get(deps);

/** The boards of this node, one per organisation with at least one client. */
export function createBoardHubs(deps: BoardDeps, options: BoardHubOptions): BoardHubs {
  const boards = new Map<string, OrganisationBoard>();
  const hubs: BoardHubs = {
    async connect(principal, organisationId, sink, lastEventId) {
      let board = boards.get(organisationId);
      if (!board) {
        const created = new OrganisationBoard(organisationId, deps, options, () => {
          if (boards.get(organisationId) === created) boards.delete(organisationId);
        });
        boards.set(organisationId, created);
        board = created;
      }
      const client = await board.connect(principal, sink, lastEventId);
      const owner = board;
      return () => owner.drop(client);
    },
    clients(organisationId) {
      if (organisationId !== undefined) return boards.get(organisationId)?.clients.size ?? 0;
      let n = 0;
      for (const b of boards.values()) n += b.clients.size;
      return n;
    },
    announce(organisationId, event, data) {
      const board = boards.get(organisationId);
      board?.broadcast(sse({ event, data: JSON.stringify(data) }));
      return board?.clients.size ?? 0;
    },
    closeAll() {
      for (const board of [...boards.values()]) board.stop();
    },
  };
  registry.set(deps, hubs);
  return hubs;
}
