import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlErrorCode } from '../../../sfu-server/src/control/ControlError';
import { SeatBot } from '../../load/SeatBot';
import { audioRtpParameters, receiverCapabilities, videoRtpParameters } from './rtpFixtures';
import { harnessStartMs, measure, outcome, SfuHarness, waitForVideo, waitUntil } from './sfuHarness';

/** The meeting lifecycle on the real sfu-server (real worker, real Redis), through its control contract. */
describe('SFU meeting lifecycle: one router, exactly two seats', () => {
  let sfu: SfuHarness;
  beforeAll(async () => {
    sfu = await SfuHarness.start();
  }, harnessStartMs);
  afterAll(async () => sfu?.stop());

  const call: SfuHarness['control']['call'] = (...args) => sfu.control.call(sfu.nodeId, ...(args.slice(1) as [never, never]));
  async function refused(promise: Promise<unknown>, code: ControlErrorCode): Promise<void> {
    expect(await outcome(promise)).toBe(code);
  }

  async function meetingWithSeats(meetingId: string) {
    const { routerRtpCapabilities } = await call(sfu.nodeId, 'createMeeting', { meetingId });
    const t = async (seat: 'lawyer' | 'detainee', direction: 'send' | 'recv') => call(sfu.nodeId, 'createTransport', { meetingId, seat, direction });
    const transports = { lawyerSend: await t('lawyer', 'send'), lawyerRecv: await t('lawyer', 'recv'), detaineeSend: await t('detainee', 'send'), detaineeRecv: await t('detainee', 'recv') };
    const produce = (seat: 'lawyer' | 'detainee', transportId: string, kind: 'audio' | 'video', source: 'microphone' | 'camera' | 'document', ssrc: number) =>
      call(sfu.nodeId, 'produce', { meetingId, seat, transportId, kind, source, rtpParameters: (kind === 'audio' ? audioRtpParameters : videoRtpParameters)(ssrc) as never });
    return { routerRtpCapabilities, transports, produce, caps: receiverCapabilities(routerRtpCapabilities) as never };
  }

  it('creates a meeting once (idempotent) with Opus, VP8, H264 and VP9', async () => {
    const first = await call(sfu.nodeId, 'createMeeting', { meetingId: 'lifecycle-a' });
    const again = await call(sfu.nodeId, 'createMeeting', { meetingId: 'lifecycle-a' });
    expect(again).toEqual(first);
    expect(first.routerRtpCapabilities.codecs?.map((c) => c.mimeType)).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264', 'video/VP9']));
  });

  it('gives each seat WebRTC transports on the worker’s single port and lets each consume only the other seat', async () => {
    const m = await meetingWithSeats('lifecycle-b');
    const { lawyerSend, lawyerRecv, detaineeSend } = m.transports;
    expect(lawyerSend.iceCandidates.map((c) => `${c.protocol}/${c.address}`).sort()).toEqual(['tcp/127.0.0.1', 'udp/127.0.0.1']);
    expect(new Set([lawyerSend, lawyerRecv, detaineeSend].map((t) => t.iceCandidates[0]!.port)).size).toBe(1);

    const lawyerCamera = await m.produce('lawyer', lawyerSend.transportId, 'video', 'camera', 1001);
    const lawyerDocument = await m.produce('lawyer', lawyerSend.transportId, 'video', 'document', 1002);
    const detaineeMic = await m.produce('detainee', detaineeSend.transportId, 'audio', 'microphone', 2001);
    const { producers } = await call(sfu.nodeId, 'listProducers', { meetingId: 'lifecycle-b' });
    expect(producers.map((p) => `${p.seat}/${p.source}`).sort()).toEqual(['detainee/microphone', 'lawyer/camera', 'lawyer/document']);

    const seen = await call(sfu.nodeId, 'consume', { meetingId: 'lifecycle-b', seat: 'detainee', producerId: lawyerDocument.producerId, rtpCapabilities: m.caps });
    expect(seen).toMatchObject({ producerId: lawyerDocument.producerId, kind: 'video', source: 'document' });
    const heard = await call(sfu.nodeId, 'consume', { meetingId: 'lifecycle-b', seat: 'lawyer', producerId: detaineeMic.producerId, rtpCapabilities: m.caps });
    expect(heard.kind).toBe('audio');

    // Consumers start paused, resume on request, pause again; a key frame can be asked for.
    const stats = async () => (await call(sfu.nodeId, 'getStats', { meetingId: 'lifecycle-b' })).seats.detainee.outbound.find((s) => s.source === 'document');
    await waitUntil(async () => (await stats())?.paused === true, 5000, 'a paused consumer');
    await call(sfu.nodeId, 'resumeConsumer', { meetingId: 'lifecycle-b', seat: 'detainee', consumerId: seen.consumerId });
    await waitUntil(async () => (await stats())?.paused === false, 5000, 'a resumed consumer');
    expect(await call(sfu.nodeId, 'requestKeyFrame', { meetingId: 'lifecycle-b', seat: 'detainee', consumerId: seen.consumerId })).toEqual({ requested: true });
    expect(await call(sfu.nodeId, 'pauseConsumer', { meetingId: 'lifecycle-b', seat: 'detainee', consumerId: seen.consumerId })).toEqual({ paused: true });
    // A single-layer video has no layers to prefer.
    expect(await call(sfu.nodeId, 'setConsumerPreferences', { meetingId: 'lifecycle-b', seat: 'detainee', consumerId: seen.consumerId, viewport: { width: 320, height: 180 } })).toEqual({
      preferredLayers: null,
    });
    // Another seat's consumer id is not this seat's.
    await refused(call(sfu.nodeId, 'resumeConsumer', { meetingId: 'lifecycle-b', seat: 'lawyer', consumerId: seen.consumerId }), 'CONSUMER_NOT_FOUND');
    expect(lawyerCamera.producerId).toBeTruthy();
  });

  it('refuses a third seat', async () => {
    await call(sfu.nodeId, 'createMeeting', { meetingId: 'lifecycle-c' });
    for (const seat of ['observer', 'ops', 'recorder', 'lawyer2', '']) {
      await refused(call(sfu.nodeId, 'createTransport', { meetingId: 'lifecycle-c', seat, direction: 'recv' } as never), 'BAD_REQUEST');
    }
  });

  it('refuses a seat consuming its own producer, and consuming outside its meeting', async () => {
    const m = await meetingWithSeats('lifecycle-d');
    const own = await m.produce('lawyer', m.transports.lawyerSend.transportId, 'video', 'camera', 3001);
    await refused(call(sfu.nodeId, 'consume', { meetingId: 'lifecycle-d', seat: 'lawyer', producerId: own.producerId, rtpCapabilities: m.caps }), 'FORBIDDEN');
    const other = await meetingWithSeats('lifecycle-e');
    const elsewhere = await other.produce('detainee', other.transports.detaineeSend.transportId, 'video', 'camera', 3002);
    await refused(call(sfu.nodeId, 'consume', { meetingId: 'lifecycle-d', seat: 'lawyer', producerId: elsewhere.producerId, rtpCapabilities: m.caps }), 'PRODUCER_NOT_FOUND');
  });

  it('limits what each seat may send: one of each source, the document the lawyer’s only, on a send transport', async () => {
    const m = await meetingWithSeats('lifecycle-f');
    const { lawyerSend, lawyerRecv, detaineeSend } = m.transports;
    await m.produce('lawyer', lawyerSend.transportId, 'video', 'camera', 4001);
    await refused(m.produce('lawyer', lawyerSend.transportId, 'video', 'camera', 4002), 'LIMIT_EXCEEDED');
    await refused(m.produce('detainee', detaineeSend.transportId, 'video', 'document', 4003), 'FORBIDDEN');
    await refused(m.produce('lawyer', lawyerRecv.transportId, 'audio', 'microphone', 4004), 'FORBIDDEN');
    await refused(m.produce('lawyer', lawyerSend.transportId, 'audio', 'camera', 4005), 'FORBIDDEN');
    await refused(m.produce('detainee', lawyerSend.transportId, 'audio', 'microphone', 4006), 'TRANSPORT_NOT_FOUND');
  });

  it('a leaving seat takes its media and the other seat’s consumers of it along; a closed meeting is gone', async () => {
    const m = await meetingWithSeats('lifecycle-g');
    const camera = await m.produce('lawyer', m.transports.lawyerSend.transportId, 'video', 'camera', 5001);
    await m.produce('detainee', m.transports.detaineeSend.transportId, 'audio', 'microphone', 5002);
    await call(sfu.nodeId, 'consume', { meetingId: 'lifecycle-g', seat: 'detainee', producerId: camera.producerId, rtpCapabilities: m.caps });
    expect(await call(sfu.nodeId, 'leaveSeat', { meetingId: 'lifecycle-g', seat: 'lawyer' })).toEqual({ left: true });
    const { producers } = await call(sfu.nodeId, 'listProducers', { meetingId: 'lifecycle-g' });
    expect(producers.map((p) => p.seat)).toEqual(['detainee']);
    const health = await call(sfu.nodeId, 'getStats', { meetingId: 'lifecycle-g' });
    expect(health.seats.lawyer.present).toBe(false);
    expect(health.seats.detainee.outbound).toEqual([]);
    expect(await call(sfu.nodeId, 'closeMeeting', { meetingId: 'lifecycle-g' })).toEqual({ closed: true });
    await refused(call(sfu.nodeId, 'listProducers', { meetingId: 'lifecycle-g' }), 'MEETING_NOT_FOUND');
  });

  // Single-layer senders here: a simulcast consumer's layer follows the SFU's bandwidth estimate,
  // which a loaded test machine (the bots' event loops) can push down for seconds.
  it('carries 720p30 both ways between two seat bots with < 0.5 % loss, and reports health as numbers only', async () => {
    const { meeting, lawyer, detainee } = await sfu.meetingWithBots({ simulcast: false });
    await lawyer.start();
    await detainee.start();
    await Promise.all([waitForVideo(lawyer, 1_500_000), waitForVideo(detainee, 1_500_000)]);
    const [toLawyer, toDetainee] = await Promise.all([measure(lawyer, 5000), measure(detainee, 5000)]);
    for (const received of [toLawyer, toDetainee]) {
      expect(received.video.bitrate).toBeGreaterThan(1_800_000); // the 720p layer (~2.5 Mb/s), not 360p (~0.6)
      expect(received.video.lossRatio).toBeLessThan(0.005);
      expect(received.video.packets / received.seconds).toBeGreaterThan(150);
      expect(received.audio.packets / received.seconds).toBeGreaterThan(45); // 50 Opus packets per second
      expect(received.audio.lossRatio).toBeLessThan(0.005);
    }

    const health = await call(sfu.nodeId, 'getStats', { meetingId: meeting.meetingId });
    for (const seat of [health.seats.lawyer, health.seats.detainee]) {
      expect(seat.present).toBe(true);
      expect(seat.send?.iceState).toMatch(/connected|completed/);
      expect(seat.recv?.dtlsState).toBe('connected');
      const inVideo = seat.inbound.find((s) => s.kind === 'video')!;
      expect(inVideo.spatialLayers).toBe(1);
      expect(inVideo.bitrate).toBeGreaterThan(1_800_000);
      expect(inVideo.fractionLost).toBeLessThan(0.05);
      const outVideo = seat.outbound.find((s) => s.kind === 'video')!;
      expect(outVideo.bitrate).toBeGreaterThan(1_800_000);
      expect(outVideo.score).toBeGreaterThanOrEqual(7);
      expect(outVideo.paused).toBe(false);
    }

    const report = await waitUntil(() => sfu.healthReports.find((r) => r.meetings.some((m) => m.meetingId === meeting.meetingId && m.seats.detainee.outbound.length === 2)), 10_000, 'a health report');
    expect(report.workers[0]).toMatchObject({ index: 0, pid: expect.any(Number) });
    expect(report.workers[0]!.rssBytes).toBeGreaterThan(1_000_000);
    const json = JSON.stringify(report);
    for (const secret of ['fingerprint', 'ufrag', 'password', 'sdp', 'candidate', 'dtlsParameters', 'iceParameters']) expect(json).not.toContain(secret);
    const values: unknown[] = [];
    JSON.parse(json, (_key, value: unknown) => (typeof value !== 'object' && values.push(value), value));
    expect(values.every((v) => typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string')).toBe(true);
    expect(values.filter((v) => typeof v === 'string').every((v) => /^[a-z0-9_.-]+$/i.test(v as string))).toBe(true);
  });

  it('serves Prometheus metrics on 127.0.0.1 with bounded labels (no meeting ids)', async () => {
    const status = await sfu.nodeStatus();
    expect(status?.metricsPort).toBeGreaterThan(0);
    const text = await (await fetch(`http://127.0.0.1:${status!.metricsPort}/metrics`)).text();
    for (const name of ['huijian_sfu_meetings{worker="0"}', 'huijian_sfu_worker_cpu_ratio', 'huijian_sfu_worker_rss_bytes', 'huijian_sfu_guard_violations_total', 'huijian_sfu_control_requests_total{op="consume",outcome="FORBIDDEN"}', 'huijian_sfu_stream_fraction_lost_bucket']) {
      expect(text).toContain(name);
    }
    expect(text).not.toMatch(/lifecycle-|m-[0-9a-f]{8}/);
    expect((await fetch(`http://127.0.0.1:${status!.metricsPort}/other`)).status).toBe(404);
  });

  it('forwards the smallest simulcast layer that fills a small viewport; a large viewport prefers the top one', async () => {
    const { meeting, lawyer } = await sfu.meetingWithBots({ simulcast: true });
    const small = new SeatBot({
      url: sfu.platform.signalingUrl,
      credential: meeting.boothCredential,
      token: sfu.fixtures.token(meeting, 'detainee'),
      clip: sfu.clip,
      simulcast: true,
      viewport: { width: 320, height: 180 },
    });
    await lawyer.start();
    await small.start();
    try {
      await waitForVideo(small, 80_000);
      await new Promise((r) => setTimeout(r, 2000));
      const tiny = await measure(small, 4000);
      expect(tiny.video.bitrate).toBeLessThan(300_000); // the 180p layer (~150 kb/s), not 360p (~630) or 720p (~2500)
      expect(tiny.video.bitrate).toBeGreaterThan(80_000);
      expect(tiny.video.lossRatio).toBeLessThan(0.005);
      const health = await call(sfu.nodeId, 'getStats', { meetingId: meeting.meetingId });
      expect(health.seats.detainee.outbound.find((s) => s.kind === 'video')?.spatialLayer).toBe(0);
      // The lawyer's side, shown large: the top layer is preferred (the estimate may still go lower).
      const lawyerVideo = await waitUntil(async () => (await call(sfu.nodeId, 'getStats', { meetingId: meeting.meetingId })).seats.lawyer.outbound.find((s) => s.kind === 'video'), 5000, 'the lawyer’s video consumer');
      expect(lawyerVideo).toBeTruthy();
      const consumerId = lawyer.consumers.find((c) => c.kind === 'video')?.consumerId;
      expect(await call(sfu.nodeId, 'setConsumerPreferences', { meetingId: meeting.meetingId, seat: 'lawyer', consumerId: consumerId!, viewport: { width: 1280, height: 720 } })).toEqual({
        preferredLayers: { spatialLayer: 2, temporalLayer: 0 },
      });
      expect(await call(sfu.nodeId, 'setConsumerPreferences', { meetingId: meeting.meetingId, seat: 'lawyer', consumerId: consumerId!, viewport: { width: 640, height: 360 }, downlinkBps: 300_000 })).toEqual({
        preferredLayers: { spatialLayer: 0, temporalLayer: 0 },
      });
    } finally {
      await small.stop();
    }
  });
});
