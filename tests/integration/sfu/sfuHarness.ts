import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ControlClient } from '../../../sfu-server/src/control/ControlClient';
import { ControlError, type ControlErrorCode } from '../../../sfu-server/src/control/ControlError';
import { controlChannels } from '../../../sfu-server/src/control/channels';
import { parseNodeEvent, type NodeEvent } from '../../../sfu-server/src/control/events';
import type { HealthReport } from '../../../sfu-server/src/control/healthReport';
import type { SfuNodeStatus } from '../../../sfu-server/src/control/NodeRegistry';
import { freePort, Platform, repoRoot } from '../../../deploy/local/Platform';
import { ManagedProcess } from '../../../deploy/local/ManagedProcess';
import { loadClip } from '../../load/clip/loadClip';
import type { MediaClip } from '../../load/clip/clipFormat';
import { SeatBot, type BotSnapshot, type BotWindow } from '../../load/SeatBot';
import { MeetingFixtures, type FixtureMeeting } from '../../support/meetingFixtures';

/**
 * The real platform for SFU integration tests (redis-server, sfu-server with real mediasoup
 * workers, signaling, each its own process), plus what the tests drive it with: a control client,
 * a recorder of node events and health reports, meeting fixtures and werift seat bots.
 */
export class SfuHarness {
  readonly control: ControlClient;
  readonly fixtures: MeetingFixtures;
  readonly redis: Redis;
  readonly events: NodeEvent[] = [];
  readonly healthReports: HealthReport[] = [];
  private readonly clients: Redis[] = [];
  private readonly bots: SeatBot[] = [];
  private readonly extraNodes: ManagedProcess[] = [];
  private clipCache: MediaClip | undefined;

  private constructor(
    readonly platform: Platform,
    private readonly work: string,
  ) {
    const connect = () => {
      const client = new Redis(platform.redisUrl);
      this.clients.push(client);
      return client;
    };
    this.redis = connect();
    this.control = new ControlClient(connect(), connect());
    this.fixtures = new MeetingFixtures(platform);
    const listener = connect();
    listener.on('message', (channel: string, message: string) => {
      if (channel === controlChannels.events) {
        const event = parseNodeEvent(message);
        if (event) this.events.push(event);
      } else if (channel === controlChannels.health) {
        this.healthReports.push(JSON.parse(message) as HealthReport);
      }
    });
    void listener.subscribe(controlChannels.events, controlChannels.health);
  }

  /** Start the platform. Give the calling beforeAll `harnessStartMs`: the first run on a machine also encodes the bots' clip. */
  static async start(
    options: { sfuWorkers?: number; sfuNodes?: number; redisAppendOnly?: boolean; env?: Record<string, string>; signalingInstances?: number; preload?: { sfu?: string[] } } = {},
  ): Promise<SfuHarness> {
    const clip = loadClip();
    const work = mkdtempSync(join(tmpdir(), 'huijian-sfu-it-'));
    const platform = await Platform.start({
      varDir: join(work, 'var'),
      sfuWorkers: options.sfuWorkers ?? 1,
      signalingInstances: options.signalingInstances ?? 1,
      sfuNodes: options.sfuNodes,
      redisAppendOnly: options.redisAppendOnly,
      ...(options.preload ? { preload: options.preload } : {}),
      env: { SFU_HEALTH_INTERVAL_MS: '1000', SFU_HEARTBEAT_MS: '500', LOG_LEVEL: 'info', ...options.env },
    });
    const harness = new SfuHarness(platform, work);
    harness.clipCache = clip;
    await harness.control.start();
    return harness;
  }

  get nodeId(): string {
    return this.platform.sfuNodeId;
  }

  get clip(): MediaClip {
    return (this.clipCache ??= loadClip());
  }

  async nodeStatus(nodeId = this.nodeId): Promise<SfuNodeStatus | undefined> {
    const raw = await this.redis.get(controlChannels.nodeStatus(nodeId));
    return raw ? (JSON.parse(raw) as SfuNodeStatus) : undefined;
  }

  /** A bookable meeting happening now, and a bot for each seat (not started). */
  async meetingWithBots(
    options: {
      simulcast?: boolean;
      viewport?: { width: number; height: number };
      receiveMode?: 'decrypt' | 'headers';
      /** A real booking (checked in and seated through the booking domain) instead of a bare meeting record. */
      booked?: boolean;
      /** Signaling instance per seat (default the first), and where each goes when its instance dies. */
      urls?: { lawyer?: string; detainee?: string };
      fallbackUrls?: { lawyer?: string[]; detainee?: string[] };
    } = {},
  ): Promise<{ meeting: FixtureMeeting; lawyer: SeatBot; detainee: SeatBot }> {
    const meeting = options.booked ? await this.fixtures.bookedMeetingNow() : await this.fixtures.meetingNow();
    const tokens = options.booked
      ? { lawyer: await this.fixtures.assignedToken(meeting.seatDeviceId), detainee: await this.fixtures.assignedToken(meeting.boothDeviceId) }
      : { lawyer: this.fixtures.token(meeting, 'lawyer'), detainee: this.fixtures.token(meeting, 'detainee') };
    const { urls, fallbackUrls, booked: _booked, ...botOptions } = options;
    const bot = (role: 'lawyer' | 'detainee') => {
      const seatBot = new SeatBot({
        url: urls?.[role] ?? this.platform.signalingUrl,
        fallbackUrls: fallbackUrls?.[role],
        credential: role === 'lawyer' ? meeting.seatCredential : meeting.boothCredential,
        token: tokens[role],
        clip: this.clip,
        ...botOptions,
      });
      this.bots.push(seatBot);
      return seatBot;
    };
    return { meeting, lawyer: bot('lawyer'), detainee: bot('detainee') };
  }

  /** Start a second sfu-server on the same Redis (for placement and drain tests). */
  async startExtraNode(env: Record<string, string> = {}): Promise<{ nodeId: string; process: ManagedProcess }> {
    const nodeId = `sfu-extra-${this.extraNodes.length}-${Date.now().toString(36)}`;
    const node = ManagedProcess.start('sfu-extra', process.execPath, ['--import', 'tsx', join(repoRoot, 'sfu-server/src/main.ts')], {
      env: {
        ...process.env,
        REDIS_URL: this.platform.redisUrl,
        SFU_NODE_ID: nodeId,
        SFU_WORKERS: '1',
        SFU_PORT_BASE: String(await freePort()),
        SFU_HEARTBEAT_MS: '500',
        SFU_HEALTH_INTERVAL_MS: '1000',
        ...env,
      },
      logFile: join(this.work, `${nodeId}.log`),
    });
    this.extraNodes.push(node);
    await node.waitForLine((line) => line.includes('"msg":"sfu-server ready"'), 30_000, 'sfu-server ready');
    return { nodeId, process: node };
  }

  /** Wait until an event matching `match` has been published (or time runs out). */
  async waitForEvent<T extends NodeEvent['type']>(type: T, match: (event: Extract<NodeEvent, { type: T }>) => boolean = () => true, timeoutMs = 15_000): Promise<Extract<NodeEvent, { type: T }>> {
    return waitUntil(
      () => this.events.find((e): e is Extract<NodeEvent, { type: T }> => e.type === type && match(e as Extract<NodeEvent, { type: T }>)),
      timeoutMs,
      `a ${type} event`,
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.bots.map((bot) => bot.stop().catch(() => undefined)));
    await this.control.stop().catch(() => undefined);
    await this.fixtures.close();
    for (const client of this.clients) client.disconnect();
    for (const node of this.extraNodes) await node.stop();
    await this.platform.stop();
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** The stable error code a control call was refused with, or 'accepted'. */
export async function outcome(call: Promise<unknown>): Promise<ControlErrorCode | 'accepted'> {
  return call.then(
    () => 'accepted' as const,
    (error: unknown) => (error instanceof ControlError ? error.code : (`not a ControlError: ${String(error)}` as ControlErrorCode)),
  );
}

/** Time a beforeAll that starts the harness may take (platform start, plus encoding the clip once per machine). */
export const harnessStartMs = 180_000;

/** Poll `probe` until it returns something truthy. */
export async function waitUntil<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Receive figures of a bot over `ms` of steady state. */
export async function measure(bot: SeatBot, ms: number): Promise<BotWindow & { from: BotSnapshot; to: BotSnapshot }> {
  const from = bot.snapshot();
  await new Promise((r) => setTimeout(r, ms));
  const to = bot.snapshot();
  return { ...SeatBot.window(from, to), from, to };
}

/** Wait until a bot receives video at no less than `minBitrate` (the SFU's estimate has ramped up). */
export async function waitForVideo(bot: SeatBot, minBitrate: number, timeoutMs = 20_000): Promise<void> {
  await waitUntil(async () => (await measure(bot, 1000)).video.bitrate >= minBitrate, timeoutMs, `${bot.role ?? 'bot'} to receive video at ${minBitrate} b/s`);
}
