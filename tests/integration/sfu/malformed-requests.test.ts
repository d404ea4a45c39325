import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlChannels } from '../../../sfu-server/src/control/channels';
import type { ControlReply } from '../../../sfu-server/src/control/contract';
import type { SeatBot } from '../../load/SeatBot';
import { audioRtpParameters, fingerprint, videoRtpParameters } from './rtpFixtures';
import { harnessStartMs, measure, outcome, SfuHarness, waitForVideo } from './sfuHarness';

/**
 * Bad input on the control channel: each request gets a stable error code, and neither the worker
 * nor another meeting (two seat bots exchanging 720p the whole time) notices anything.
 */
describe('malformed control requests', () => {
  let sfu: SfuHarness;
  let lawyer: SeatBot;
  let detainee: SeatBot;
  let workerPid: number;
  let raw: Redis;
  let replies: Redis;
  const replyChannel = controlChannels.replies('raw-test');
  const received = new Map<string, ControlReply>();

  beforeAll(async () => {
    sfu = await SfuHarness.start();
    ({ lawyer, detainee } = await sfu.meetingWithBots());
    await lawyer.start();
    await detainee.start();
    await Promise.all([waitForVideo(lawyer, 1_500_000), waitForVideo(detainee, 1_500_000)]);
    workerPid = (await sfu.nodeStatus())!.workerLoad[0]!.pid;
    raw = new Redis(sfu.platform.redisUrl);
    replies = new Redis(sfu.platform.redisUrl);
    replies.on('message', (_channel: string, message: string) => {
      const reply = JSON.parse(message) as ControlReply;
      received.set(reply.id, reply);
    });
    await replies.subscribe(replyChannel);
  }, harnessStartMs);
  afterAll(async () => {
    raw?.disconnect();
    replies?.disconnect();
    await sfu?.stop();
  });

  const call = (op: string, args: unknown) => sfu.control.call(sfu.nodeId, op as never, args as never);

  /** Publish a raw message on the node's request channel; resolve with the reply to `id`, or undefined. */
  async function rawRequest(message: string, id: string, waitMs = 2000): Promise<ControlReply | undefined> {
    await raw.publish(controlChannels.requests(sfu.nodeId), message);
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline && !received.has(id)) await new Promise((r) => setTimeout(r, 25));
    return received.get(id);
  }

  it('answers wrong types with BAD_REQUEST', async () => {
    await call('createMeeting', { meetingId: 'malformed-a' });
    const cases: [string, unknown][] = [
      ['createMeeting', { meetingId: 42 }],
      ['createMeeting', { meetingId: 'has spaces and / slashes' }],
      ['createMeeting', null],
      ['createMeeting', ['malformed-a']],
      ['createTransport', { meetingId: 'malformed-a', seat: 'lawyer', direction: 'sideways' }],
      ['createTransport', { meetingId: 'malformed-a', seat: null, direction: 'send' }],
      ['produce', { meetingId: 'malformed-a', seat: 'lawyer', transportId: 't', kind: 'video', source: 'camera', rtpParameters: 'vp8 please' }],
      ['produce', { meetingId: 'malformed-a', seat: 'lawyer', transportId: 't', kind: 'video', source: 'camera', rtpParameters: { codecs: [] } }],
      ['produce', { meetingId: 'malformed-a', seat: 'lawyer', transportId: 't', kind: 'video', source: 'camera', rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 300, clockRate: 90000 }] } }],
      ['consume', { meetingId: 'malformed-a', seat: 'lawyer', producerId: 'p', rtpCapabilities: { codecs: 'all' } }],
      ['connectTransport', { meetingId: 'malformed-a', seat: 'lawyer', transportId: 't', dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'md5', value: 'AA' }] } }],
      ['setConsumerPreferences', { meetingId: 'malformed-a', seat: 'lawyer', consumerId: 'c', viewport: { width: -1, height: 1e9 } }],
      ['resumeConsumer', { meetingId: 'malformed-a', seat: 'lawyer', consumerId: 'c', extra: { constructor: { prototype: { polluted: true } } } }],
    ];
    for (const [op, args] of cases) expect(await outcome(call(op, args)), `${op} ${JSON.stringify(args)}`).toBe('BAD_REQUEST');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses empty DTLS fingerprints (the input that crashed mediasoup workers, issue #537) without touching the worker', async () => {
    const transport = await call('createTransport', { meetingId: 'malformed-a', seat: 'lawyer', direction: 'send' });
    const { transportId } = transport as { transportId: string };
    for (const dtlsParameters of [{ fingerprints: [] }, { role: 'client', fingerprints: [] }, { role: 'server' }, {}]) {
      expect(await outcome(call('connectTransport', { meetingId: 'malformed-a', seat: 'lawyer', transportId, dtlsParameters })), JSON.stringify(dtlsParameters)).toBe('BAD_REQUEST');
    }
    // A well-formed connect still works on the same transport afterwards; a second one is refused.
    expect(await outcome(call('connectTransport', { meetingId: 'malformed-a', seat: 'lawyer', transportId, dtlsParameters: { role: 'client', fingerprints: [fingerprint] } }))).toBe('accepted');
    expect(await outcome(call('connectTransport', { meetingId: 'malformed-a', seat: 'lawyer', transportId, dtlsParameters: { role: 'client', fingerprints: [fingerprint] } }))).toBe('BAD_REQUEST');
  });

  it('answers requests about an unknown meeting, transport, producer or consumer with NOT_FOUND codes', async () => {
    expect(await outcome(call('createTransport', { meetingId: 'no-such-meeting', seat: 'lawyer', direction: 'send' }))).toBe('MEETING_NOT_FOUND');
    expect(await outcome(call('getStats', { meetingId: 'no-such-meeting' }))).toBe('MEETING_NOT_FOUND');
    expect(await outcome(call('connectTransport', { meetingId: 'malformed-a', seat: 'detainee', transportId: randomUUID(), dtlsParameters: { fingerprints: [fingerprint] } }))).toBe('TRANSPORT_NOT_FOUND');
    expect(await outcome(call('consume', { meetingId: 'malformed-a', seat: 'detainee', producerId: randomUUID(), rtpCapabilities: {} }))).toBe('PRODUCER_NOT_FOUND');
    expect(await outcome(call('requestKeyFrame', { meetingId: 'malformed-a', seat: 'detainee', consumerId: randomUUID() }))).toBe('CONSUMER_NOT_FOUND');
  });

  it('answers parameters mediasoup refuses (a MID or SSRC already in use) with BAD_REQUEST, not INTERNAL', async () => {
    const { transportId } = (await call('createTransport', { meetingId: 'malformed-a', seat: 'detainee', direction: 'send' })) as { transportId: string };
    const produce = (kind: string, source: string, rtpParameters: unknown) => call('produce', { meetingId: 'malformed-a', seat: 'detainee', transportId, kind, source, rtpParameters });
    expect(await outcome(produce('video', 'camera', videoRtpParameters(8001)))).toBe('accepted');
    expect(await outcome(produce('audio', 'microphone', { ...audioRtpParameters(8002), mid: videoRtpParameters(8001).mid }))).toBe('BAD_REQUEST');
    expect(await outcome(produce('audio', 'microphone', { ...audioRtpParameters(8001), mid: 'fresh' }))).toBe('BAD_REQUEST');
    expect(await outcome(produce('audio', 'microphone', audioRtpParameters(8003)))).toBe('accepted');
  });

  it('refuses a huge payload with PAYLOAD_TOO_LARGE, on the caller’s side and on the node', async () => {
    const huge = { meetingId: 'malformed-a', seat: 'lawyer', transportId: 't', kind: 'video', source: 'camera', rtpParameters: { codecs: [], padding: 'x'.repeat(200_000) } };
    expect(await outcome(call('produce', huge))).toBe('PAYLOAD_TOO_LARGE');
    // A caller that skips the client-side check: the node still answers from the request's head.
    const id = randomUUID();
    const envelope = JSON.stringify({ id, op: 'produce', replyTo: replyChannel, deadline: Date.now() + 5000, args: huge });
    const reply = await rawRequest(envelope, id);
    expect(reply).toEqual({ id, error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('exceeds') } });
    // 8 MB of garbage with no usable head: dropped without a reply, node unharmed.
    await raw.publish(controlChannels.requests(sfu.nodeId), 'y'.repeat(8 * 1024 * 1024));
  });

  it('drops a malformed or expired envelope, and never replies to a channel that is not a reply channel', async () => {
    const expired = randomUUID();
    expect(await rawRequest(JSON.stringify({ id: expired, op: 'getStats', replyTo: replyChannel, deadline: Date.now() - 1000, args: { meetingId: 'malformed-a' } }), expired, 1000)).toBeUndefined();
    const foreign = randomUUID();
    const victim = new Redis(sfu.platform.redisUrl);
    let leaked = false;
    victim.on('message', () => (leaked = true));
    await victim.subscribe('huijian:meeting:victim');
    expect(await rawRequest(JSON.stringify({ id: foreign, op: 'getStats', replyTo: 'huijian:meeting:victim', deadline: Date.now() + 5000, args: { meetingId: 'malformed-a' } }), foreign, 1000)).toBeUndefined();
    expect(leaked).toBe(false);
    victim.disconnect();
    for (const garbage of ['{', 'null', '[]', '{"id":1}', JSON.stringify({ id: 'x', op: 'getStats', replyTo: replyChannel, deadline: 'soon', args: {} })]) {
      await raw.publish(controlChannels.requests(sfu.nodeId), garbage);
    }
    const ok = randomUUID();
    expect(await rawRequest(JSON.stringify({ id: ok, op: 'getStats', replyTo: replyChannel, deadline: Date.now() + 5000, args: { meetingId: 'malformed-a' } }), ok)).toMatchObject({ id: ok, result: { meetingId: 'malformed-a' } });
  });

  it('left the worker and the other meeting untouched: same worker process, media still flowing without loss', async () => {
    const status = await sfu.nodeStatus();
    expect(status?.workerLoad[0]?.pid).toBe(workerPid);
    expect(sfu.platform.sfu?.isRunning).toBe(true);
    expect(sfu.events.filter((e) => e.type === 'workerDied' || e.type === 'meetingRecreated')).toEqual([]);
    const [toLawyer, toDetainee] = await Promise.all([measure(lawyer, 3000), measure(detainee, 3000)]);
    for (const window of [toLawyer, toDetainee]) {
      expect(window.video.bitrate).toBeGreaterThan(1_800_000);
      expect(window.video.lossRatio).toBeLessThan(0.005);
      expect(window.audio.packets).toBeGreaterThan(120);
    }
    expect([lawyer.rejoins, detainee.rejoins, lawyer.state, detainee.state]).toEqual([0, 0, 'joined', 'joined']);
  });
});
