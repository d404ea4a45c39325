import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { types as ms } from 'mediasoup';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlChannels } from '../../../sfu-server/src/control/channels';
import { EventPublisher } from '../../../sfu-server/src/control/EventPublisher';
import { parseNodeEvent, type NodeEvent } from '../../../sfu-server/src/control/events';
import { createSfuMetrics } from '../../../sfu-server/src/health/metrics';
import { MeetingService } from '../../../sfu-server/src/meetings/MeetingService';
import { WorkerPool } from '../../../sfu-server/src/workers/WorkerPool';
import { freePort, repoRoot } from '../../../deploy/local/Platform';
import { ManagedProcess } from '../../../deploy/local/ManagedProcess';
import { audioRtpParameters, receiverCapabilities, videoRtpParameters } from './rtpFixtures';
import { harnessStartMs, outcome, SfuHarness, waitUntil } from './sfuHarness';

describe('the guard, through the public control surface: every recording or monitoring operation is refused', () => {
  let sfu: SfuHarness;
  beforeAll(async () => {
    sfu = await SfuHarness.start();
  }, harnessStartMs);
  afterAll(async () => sfu?.stop());

  it('has no operation that creates anything but a seat’s WebRtcTransport, producer or consumer', async () => {
    await sfu.control.call(sfu.nodeId, 'createMeeting', { meetingId: 'guard-ops' });
    const forbidden = [
      'createPlainTransport',
      'createPipeTransport',
      'createDirectTransport',
      'pipeToRouter',
      'createAudioLevelObserver',
      'createActiveSpeakerObserver',
      'consumeData',
      'produceData',
      'createRouter',
      'dump',
      '__proto__',
      'constructor',
    ];
    for (const op of forbidden) {
      expect(await outcome(sfu.control.call(sfu.nodeId, op as never, { meetingId: 'guard-ops', seat: 'lawyer' } as never)), op).toBe('UNKNOWN_OPERATION');
    }
  });

  it('refuses transport options that would open another kind of transport, SCTP, or a listening address', async () => {
    for (const extra of [{ type: 'plain' }, { enableSctp: true }, { listenInfo: { protocol: 'udp', ip: '0.0.0.0' } }, { comedia: true }, { rtcpMux: false }]) {
      expect(await outcome(sfu.control.call(sfu.nodeId, 'createTransport', { meetingId: 'guard-ops', seat: 'lawyer', direction: 'recv', ...extra } as never)), JSON.stringify(extra)).toBe(
        'BAD_REQUEST',
      );
    }
  });

  it('refuses a third seat, consuming one’s own media, another meeting’s media, or through another seat’s transport', async () => {
    const call = sfu.control.call.bind(sfu.control);
    const node = sfu.nodeId;
    const { routerRtpCapabilities } = await call(node, 'createMeeting', { meetingId: 'guard-seats' });
    const caps = receiverCapabilities(routerRtpCapabilities) as never;
    const lawyerSend = await call(node, 'createTransport', { meetingId: 'guard-seats', seat: 'lawyer', direction: 'send' });
    await call(node, 'createTransport', { meetingId: 'guard-seats', seat: 'lawyer', direction: 'recv' });
    const detaineeRecv = await call(node, 'createTransport', { meetingId: 'guard-seats', seat: 'detainee', direction: 'recv' });
    const camera = await call(node, 'produce', { meetingId: 'guard-seats', seat: 'lawyer', transportId: lawyerSend.transportId, kind: 'video', source: 'camera', rtpParameters: videoRtpParameters(7001) as never });

    for (const seat of ['ops', 'observer', 'supervisor', 'recorder', 'LAWYER']) {
      expect(await outcome(call(node, 'createTransport', { meetingId: 'guard-seats', seat, direction: 'recv' } as never)), seat).toBe('BAD_REQUEST');
      expect(await outcome(call(node, 'consume', { meetingId: 'guard-seats', seat, producerId: camera.producerId, rtpCapabilities: caps } as never)), seat).toBe('BAD_REQUEST');
    }
    expect(await outcome(call(node, 'consume', { meetingId: 'guard-seats', seat: 'lawyer', producerId: camera.producerId, rtpCapabilities: caps }))).toBe('FORBIDDEN');
    expect(await outcome(call(node, 'consume', { meetingId: 'guard-ops', seat: 'detainee', producerId: camera.producerId, rtpCapabilities: caps }))).toBe('PRODUCER_NOT_FOUND');
    // A consume request cannot name a transport: the SFU uses the seat's own receive transport.
    expect(await outcome(call(node, 'consume', { meetingId: 'guard-seats', seat: 'lawyer', producerId: camera.producerId, rtpCapabilities: caps, transportId: detaineeRecv.transportId } as never))).toBe(
      'BAD_REQUEST',
    );
    expect(await outcome(call(node, 'produce', { meetingId: 'guard-seats', seat: 'detainee', transportId: lawyerSend.transportId, kind: 'audio', source: 'microphone', rtpParameters: audioRtpParameters(7002) as never }))).toBe(
      'TRANSPORT_NOT_FOUND',
    );
    // Consuming the same producer twice replaces the first consumer: never two copies of a stream.
    await call(node, 'consume', { meetingId: 'guard-seats', seat: 'detainee', producerId: camera.producerId, rtpCapabilities: caps });
    await call(node, 'consume', { meetingId: 'guard-seats', seat: 'detainee', producerId: camera.producerId, rtpCapabilities: caps });
    const health = await call(node, 'getStats', { meetingId: 'guard-seats' });
    expect(health.seats.detainee.outbound).toHaveLength(1);
    expect(health.seats.lawyer.outbound).toHaveLength(0);

    // None of this tripped the run-time guard: every object on the router is one the meeting made.
    const status = await sfu.nodeStatus();
    const metrics = await (await fetch(`http://127.0.0.1:${status!.metricsPort}/metrics`)).text();
    expect(metrics).not.toMatch(/huijian_sfu_guard_violations_total\{[^}]*\} [1-9]/);
    expect(sfu.events.filter((e) => e.type === 'guardViolation')).toEqual([]);
  });
});

/**
 * The run-time half of the guard, in process with a real worker and a real Redis: code that
 * reaches the router behind the meeting room's back (as a careless change or an injected module
 * could) gets the meeting closed, the alarm counted and an audit event published.
 */
describe('the guard at run time: anything the meeting did not create closes it', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-guard-'));
  let redisProcess: ManagedProcess;
  let redis: Redis;
  let listener: Redis;
  let pool: WorkerPool;
  let service: MeetingService;
  const metrics = createSfuMetrics();
  const events: NodeEvent[] = [];
  const routers = new Map<string, ms.Router>();
  const transports = new Map<string, ms.Transport[]>();

  beforeAll(async () => {
    const port = await freePort();
    redisProcess = ManagedProcess.start('redis', 'redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', work, '--save', '', '--appendonly', 'no']);
    await redisProcess.waitForLine((line) => line.includes('Ready to accept connections'), 10_000, 'redis ready');
    redis = new Redis(`redis://127.0.0.1:${port}`);
    listener = new Redis(`redis://127.0.0.1:${port}`);
    listener.on('message', (_channel: string, message: string) => {
      const event = parseNodeEvent(message);
      if (event) events.push(event);
    });
    await listener.subscribe(controlChannels.events);
    const log = pino({ level: 'silent' });
    pool = await WorkerPool.start({ workerBin: join(repoRoot, 'var/bin/mediasoup-worker'), workers: 1, listenIp: '127.0.0.1', portBase: await freePort() }, log);
    service = new MeetingService(pool, { maxIncomingBitrate: 5_000_000, initialAvailableOutgoingBitrate: 1_500_000, idleMeetingMs: 600_000 }, new EventPublisher('guard-node', redis, log), metrics, log);
    service.start();
    // Test-only: reach behind the door to get each meeting's router and transports.
    pool.workers[0]!.worker.observer.on('newrouter', (router) => {
      const meetingId = router.appData.meetingId as string | undefined;
      if (!meetingId) return;
      routers.set(meetingId, router);
      router.observer.on('newtransport', (transport) => transports.set(meetingId, [...(transports.get(meetingId) ?? []), transport]));
    });
  });

  afterAll(async () => {
    service?.closeAll();
    await pool?.close();
    redis?.disconnect();
    listener?.disconnect();
    await redisProcess?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  async function openMeeting(meetingId: string) {
    const { routerRtpCapabilities } = await service.handlers.createMeeting({ meetingId });
    const send = await service.handlers.createTransport({ meetingId, seat: 'lawyer', direction: 'send' });
    await service.handlers.createTransport({ meetingId, seat: 'detainee', direction: 'recv' });
    const camera = await service.handlers.produce({ meetingId, seat: 'lawyer', transportId: send.transportId, kind: 'video', source: 'camera', rtpParameters: videoRtpParameters(9000 + routers.size) as never });
    return { router: routers.get(meetingId)!, camera, caps: receiverCapabilities(routerRtpCapabilities) };
  }

  const violations = async (kind: string) => (await metrics.guardViolations.get()).values.find((v) => v.labels.violation === kind)?.value ?? 0;

  async function expectClosedByGuard(meetingId: string, violation: string, before: number): Promise<void> {
    await waitUntil(() => events.find((e) => e.type === 'meetingClosed' && e.meetingId === meetingId && e.reason === 'guard_violation'), 5000, `meetingClosed for ${meetingId}`);
    const audit = events.find((e) => e.type === 'guardViolation' && e.meetingId === meetingId);
    expect(audit).toMatchObject({ type: 'guardViolation', nodeId: 'guard-node', meetingId, violation });
    expect(await violations(violation)).toBe(before + 1);
    expect(routers.get(meetingId)!.closed).toBe(true);
    await expect(service.handlers.listProducers({ meetingId })).rejects.toMatchObject({ code: 'MEETING_NOT_FOUND' });
  }

  const rogueTransports: [string, (router: ms.Router) => Promise<unknown>][] = [
    ['a plain transport (RTP out to a recorder)', (r) => r.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' } })],
    ['a pipe transport', (r) => r.createPipeTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' } })],
    ['a direct transport (media into Node)', (r) => r.createDirectTransport()],
    ['a third WebRtcTransport', (r) => r.createWebRtcTransport({ listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }] })],
  ];
  for (const [what, create] of rogueTransports) {
    it(`closes the meeting when ${what} appears on its router`, async () => {
      const meetingId = `rogue-${what.split(' ')[1]}-${Date.now().toString(36)}`;
      const { router } = await openMeeting(meetingId);
      const before = await violations('foreign_transport');
      await create(router).catch(() => undefined);
      await expectClosedByGuard(meetingId, 'foreign_transport', before);
    });
  }

  it('closes the meeting when an audio-level or active-speaker observer is created on its router', async () => {
    for (const create of [(r: ms.Router) => r.createAudioLevelObserver(), (r: ms.Router) => r.createActiveSpeakerObserver()]) {
      const meetingId = `rogue-observer-${routers.size}`;
      const { router } = await openMeeting(meetingId);
      const before = await violations('rtp_observer');
      await create(router).catch(() => undefined);
      await expectClosedByGuard(meetingId, 'rtp_observer', before);
    }
  });

  it('closes both meetings when a producer is piped from one router to another', async () => {
    const a = await openMeeting('rogue-pipe-a');
    const b = await openMeeting('rogue-pipe-b');
    const before = await violations('foreign_transport');
    await a.router.pipeToRouter({ producerId: a.camera.producerId, router: b.router }).catch(() => undefined);
    for (const meetingId of ['rogue-pipe-a', 'rogue-pipe-b']) {
      await waitUntil(() => events.find((e) => e.type === 'meetingClosed' && e.meetingId === meetingId && e.reason === 'guard_violation'), 5000, `${meetingId} closed`);
      expect(events.find((e) => e.type === 'guardViolation' && e.meetingId === meetingId)).toMatchObject({ violation: 'foreign_transport' });
    }
    expect(await violations('foreign_transport')).toBe(before + 2);
    expect(a.router.closed).toBe(true);
    expect(b.router.closed).toBe(true);
  });

  it('closes the meeting when a consumer or producer is attached to a seat transport directly', async () => {
    const consumerMeeting = await openMeeting('rogue-consumer');
    const recv = transports.get('rogue-consumer')!.find((t) => t.appData.direction === 'recv')!;
    let before = await violations('foreign_consumer');
    await recv.consume({ producerId: consumerMeeting.camera.producerId, rtpCapabilities: consumerMeeting.caps }).catch(() => undefined);
    await expectClosedByGuard('rogue-consumer', 'foreign_consumer', before);

    await openMeeting('rogue-producer');
    const send = transports.get('rogue-producer')!.find((t) => t.appData.direction === 'send')!;
    before = await violations('foreign_producer');
    await send.produce({ kind: 'audio', rtpParameters: audioRtpParameters(9999) }).catch(() => undefined);
    await expectClosedByGuard('rogue-producer', 'foreign_producer', before);
  });

  it('offers no data channel to attach to: seat transports have no SCTP', async () => {
    await openMeeting('rogue-data');
    const send = transports.get('rogue-data')!.find((t) => t.appData.direction === 'send')!;
    await expect(send.produceData({ sctpStreamParameters: { streamId: 1, ordered: true } })).rejects.toThrow();
    expect(routers.get('rogue-data')!.closed).toBe(false);
  });

  it('closes a router that no meeting created on the worker, and reports it', async () => {
    const before = await violations('foreign_router');
    const router = await pool.workers[0]!.worker.createRouter({ mediaCodecs: [] });
    await waitUntil(() => events.find((e) => e.type === 'guardViolation' && e.violation === 'foreign_router'), 5000, 'a foreign_router event');
    expect(router.closed).toBe(true);
    expect(await violations('foreign_router')).toBe(before + 1);
  });

  it('leaves every other meeting open and working', async () => {
    const { caps } = await openMeeting('bystander');
    const recv = await service.handlers.createTransport({ meetingId: 'bystander', seat: 'lawyer', direction: 'recv' });
    expect(recv.transportId).toBeTruthy();
    expect((await service.handlers.listProducers({ meetingId: 'bystander' })).producers).toHaveLength(1);
    expect(caps.codecs?.length).toBeGreaterThan(0);
    expect(routers.get('bystander')!.closed).toBe(false);
    expect(pool.workers[0]!.worker.closed).toBe(false);
  });
});
