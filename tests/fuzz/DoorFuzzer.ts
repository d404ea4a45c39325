import { io, Manager, type Socket } from 'socket.io-client';
import { MEETING_NAMESPACE, meetingClientEventNames } from '@huijian/signaling/protocol';
import { MalformedValues } from './malformedValues';

/**
 * Client events of the meeting namespace, each fuzzed; except `healthReport`, which by design
 * answers a malformed report `{accepted: false}` rather than an error (reports are advisory).
 */
const meetingEvents = meetingClientEventNames.filter((event) => event !== 'healthReport');

export interface RestTarget {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET';
  path: string;
  /** Headers sent with every request to this target (e.g. an admin session). */
  headers?: Record<string, string>;
}

export interface DoorFuzzerOptions {
  /** Signaling origins (requests are spread over them). */
  urls: string[];
  /** The handshake `auth` of an admitted seat connection (a fresh one each time it is called). */
  seatAuth: () => Promise<Record<string, unknown>>;
  rest: RestTarget[];
  seed: number;
  /** Messages in flight at once. */
  concurrency?: number;
}

/** One reply that was not a stable error code (or no reply where one was due). */
export interface FuzzFinding {
  door: 'event' | 'handshake' | 'rest';
  what: string;
  reply: string;
}

export interface FuzzReport {
  sent: Record<'event' | 'handshake' | 'rest' | 'frame', number>;
  codes: Record<string, number>;
  findings: FuzzFinding[];
}

const stableCode = /^[A-Z][A-Z0-9_]{2,63}$/;

/**
 * Sends malformed Socket.IO events (on admitted seat connections), handshakes and REST bodies at
 * a running platform and checks that every reply is a stable error code: `{error: {code}}` acks,
 * `connect_error` with `data.code`, HTTP 4xx with `{error: {code}}`. Raw garbage frames get no
 * reply; they only have to leave the server standing (the caller checks the processes).
 */
export class DoorFuzzer {
  private readonly values: MalformedValues;
  private readonly report: FuzzReport = { sent: { event: 0, handshake: 0, rest: 0, frame: 0 }, codes: {}, findings: [] };
  private readonly sockets: (Socket | undefined)[] = [];
  private readonly lastWhat: string[] = [];

  constructor(private readonly options: DoorFuzzerOptions) {
    this.values = new MalformedValues(options.seed);
  }

  async run(count: number, onProgress?: (done: number) => void): Promise<FuzzReport> {
    let next = 0;
    let done = 0;
    const lane = async (index: number) => {
      while (next < count) {
        next++;
        await this.one(index);
        done++;
        if (onProgress && done % 100 === 0) onProgress(done);
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 8 }, (_, i) => lane(i)));
    for (const socket of this.sockets) socket?.disconnect();
    return this.report;
  }

  /** One message; a message that gets neither a reply nor a clean close within 20 s is a finding. */
  private async one(lane: number): Promise<void> {
    const roll = this.values.next();
    const door = roll < 0.5 ? 'event' : roll < 0.65 ? 'handshake' : roll < 0.95 ? 'rest' : 'frame';
    const work = door === 'event' ? this.event(lane) : door === 'handshake' ? this.handshake(lane) : door === 'rest' ? this.rest(lane) : this.frame(lane);
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 20_000)));
    const outcome = await Promise.race([work, hung]);
    clearTimeout(timer);
    if (outcome === 'hung') {
      this.report.findings.push({ door: door === 'frame' ? 'event' : door, what: `lane ${lane}: ${this.lastWhat[lane] ?? door}`, reply: 'nothing within 20 s' });
      this.sockets[lane]?.disconnect();
      this.sockets[lane] = undefined;
    }
  }

  private url(): string {
    return this.values.pick(this.options.urls);
  }

  private code(door: FuzzFinding['door'], what: string, code: unknown, reply: unknown): void {
    if (typeof code === 'string' && stableCode.test(code)) {
      this.report.codes[code] = (this.report.codes[code] ?? 0) + 1;
    } else {
      this.report.findings.push({ door, what, reply: preview(reply) });
    }
  }

  /** An admitted seat connection per lane, replaced when the server closed it (e.g. too large a message). */
  private async seatSocket(lane: number): Promise<Socket> {
    const current = this.sockets[lane];
    if (current?.connected) return current;
    current?.disconnect();
    const socket = io(`${this.url()}${MEETING_NAMESPACE}`, { auth: await this.options.seatAuth(), transports: ['websocket'], forceNew: true, reconnection: false });
    this.sockets[lane] = socket;
    this.lastWhat[lane] = 'connecting the fuzzer’s seat';
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', (error: Error & { data?: unknown }) => reject(new Error(`the fuzzer's seat was not admitted: ${preview(error.data ?? error.message)}`)));
    });
    return socket;
  }

  private async event(lane: number): Promise<void> {
    const socket = await this.seatSocket(lane);
    const event = this.values.pick(meetingEvents);
    const payload = this.values.value(4);
    if (isEmptyObject(payload)) return;
    this.report.sent.event++;
    const what = `${event} ${preview(payload)}`;
    this.lastWhat[lane] = what;
    try {
      const ack = (await socket.timeout(10_000).emitWithAck(event, payload)) as { error?: { code?: unknown } } | undefined;
      this.code('event', what, ack?.error?.code, ack);
    } catch (error) {
      // The server may close a connection that sent more than MAX_MESSAGE_BYTES: no reply is due.
      if (!socket.connected && byteLength(payload) > oversized) return;
      this.report.findings.push({ door: 'event', what, reply: `no ack: ${String(error)}` });
    }
  }

  private async handshake(lane: number): Promise<void> {
    this.report.sent.handshake++;
    const auth = this.values.next() < 0.8 ? this.values.object(3) : { protocol: this.values.value(2), token: this.values.value(2), credential: this.values.value(2) };
    const socket = io(`${this.url()}${MEETING_NAMESPACE}`, { auth, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 10_000 });
    const what = `handshake ${preview(auth)}`;
    this.lastWhat[lane] = what;
    const outcome = await new Promise<{ code?: unknown; reply: unknown; closed?: boolean }>((resolve) => {
      socket.once('connect', () => resolve({ reply: 'admitted' }));
      socket.once('connect_error', (error: Error & { data?: { code?: unknown } }) => resolve({ code: error.data?.code, reply: error.data ?? error.message }));
      // socket.io-client closes the connection *before* emitting connect_error: let that win.
      socket.io.once('close', (reason) => setTimeout(() => resolve({ reply: `connection closed: ${reason}`, closed: true }), 100));
    });
    socket.disconnect();
    // A handshake larger than MAX_MESSAGE_BYTES is cut off with the connection: no reply is due.
    if (outcome.closed && byteLength(auth) > oversized) return;
    this.code('handshake', what, outcome.code, outcome.reply);
  }

  private async rest(lane: number): Promise<void> {
    this.report.sent.rest++;
    const target = this.values.pick(this.options.rest);
    // Lone surrogates cannot be percent-encoded; Buffer's UTF-8 round trip replaces them.
    const path = target.path.replace(/:[a-zA-Z]+/g, () => encodeURIComponent(Buffer.from(this.values.string(), 'utf8').toString('utf8')));
    const shape = this.values.int(4);
    const body =
      shape === 0 ? JSON.stringify(this.values.value(4)) : shape === 1 ? this.values.string() : shape === 2 ? JSON.stringify(this.values.object(4)) : `{"a":${'['.repeat(this.values.int(5000))}`;
    const contentType = this.values.next() < 0.85 ? 'application/json' : this.values.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', '']);
    const what = `${target.method} ${path} ${preview(body)}`;
    this.lastWhat[lane] = what;
    try {
      const response = await fetch(`${this.url()}${path}`, {
        method: target.method,
        headers: { ...(contentType ? { 'content-type': contentType } : {}), ...target.headers },
        body: target.method === 'GET' ? undefined : body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      let parsed: { error?: { code?: unknown } } | undefined;
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        parsed = undefined;
      }
      if (response.status < 400 || response.status >= 500) this.report.findings.push({ door: 'rest', what, reply: `${response.status} ${preview(text)}` });
      else this.code('rest', what, parsed?.error?.code, `${response.status} ${text}`);
    } catch (error) {
      this.report.findings.push({ door: 'rest', what, reply: `no response: ${String(error)}` });
    }
  }

  /** A raw Engine.IO message that is not a valid Socket.IO packet (or a packet no handler expects). */
  private async frame(lane: number): Promise<void> {
    this.report.sent.frame++;
    this.lastWhat[lane] = 'raw packet';
    const manager = new Manager(this.url(), { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 5_000 } as never);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5_000);
      manager.open((error) => {
        if (!error) {
          const garbage = this.values.pick([
            () => '0/meeting,' + JSON.stringify(this.values.value(3)),
            () => '2/meeting,' + JSON.stringify(this.values.value(3)),
            () => '2/meeting,9' + this.values.string(),
            () => '51-/meeting,' + JSON.stringify(this.values.value(2)),
            () => '3/meeting,1' + JSON.stringify(this.values.value(2)),
            () => this.values.string(),
            () => '2' + JSON.stringify(this.values.deepObject(1000)),
          ])();
          manager.engine.write(garbage);
        }
        setTimeout(() => {
          clearTimeout(timer);
          resolve();
        }, 50);
      });
    });
    manager.engine?.close();
  }
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** Messages this large may be cut off with their connection (MAX_MESSAGE_BYTES is 64 KiB; framing adds a little). */
const oversized = 60_000;

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text;
}
