import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient } from '../../sfu-server/src/control/ControlClient';
import { ManagedProcess } from '../../deploy/local/ManagedProcess';
import { Platform, repoRoot } from '../../deploy/local/Platform';
import { MEETING_NAMESPACE, PROTOCOL_VERSION, type JoinResult } from '../../signaling/src/protocol';
import { MeetingFixtures, type FixtureMeeting } from '../support/meetingFixtures';

/**
 * SIGTERM to a signaling instance in the middle of a meeting, with a second instance behind the
 * same Redis (as behind a load balancer): the lawyer's seat is on A, the detainee's on B.
 */
const turnSecret = 'drain-test-turn-secret-0123456789';
const turnUrl = 'turn:127.0.0.1:3478?transport=udp';

interface Seat {
  socket: Socket;
  events: { name: string; at: number; payload: unknown }[];
  disconnectReason: Promise<string>;
}

function connect(url: string, credential: string, token: string): Promise<Seat> {
  const socket = io(`${url}${MEETING_NAMESPACE}`, {
    auth: { protocol: PROTOCOL_VERSION, credential, token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const events: Seat['events'] = [];
  socket.onAny((name: string, payload: unknown) => events.push({ name, at: Date.now(), payload }));
  const disconnectReason = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, events, disconnectReason }));
    socket.once('connect_error', reject);
  });
}

async function request<T>(seat: Seat, event: string, payload: object): Promise<T> {
  const ack = (await seat.socket.timeout(10_000).emitWithAck(event, payload)) as T & { error?: { code: string; message: string } };
  if (ack && typeof ack === 'object' && 'error' in ack && ack.error) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
  return ack;
}

const opus = (ssrc: number) => ({
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 }, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc }],
  rtcp: { cname: `c${ssrc}` },
});

/** Join, open a send transport and produce a microphone: the seat is in the meeting, as far as signaling and the SFU go. */
async function enterMeeting(seat: Seat, ssrc: number): Promise<{ join: JoinResult; producerId: string }> {
  const join = await request<JoinResult>(seat, 'join', {});
  const transport = await request<{ transportId: string }>(seat, 'createTransport', { direction: 'send' });
  const { producerId } = await request<{ producerId: string }>(seat, 'produce', {
    transportId: transport.transportId,
    kind: 'audio',
    source: 'microphone',
    rtpParameters: opus(ssrc),
  });
  return { join, producerId };
}

async function waitUntil<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const logLines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('signaling: SIGTERM mid-meeting drains and exits 0', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-drain-'));
  const varDir = join(work, 'var');
  let platform: Platform;
  let signalingB: ManagedProcess;
  let urlB = '';
  let fixtures: MeetingFixtures;
  let meeting: FixtureMeeting;
  let redis: Redis;
  let control: ControlClient;
  const controlClients: Redis[] = [];
  const seats: Seat[] = [];

  beforeAll(async () => {
    platform = await Platform.start({ varDir, env: { TURN_URLS: turnUrl, TURN_SECRET: turnSecret, SIGNALING_DRAIN_TIMEOUT_MS: '5000' } });
    signalingB = ManagedProcess.start('signaling-b', process.execPath, ['--import', 'tsx', join(repoRoot, 'signaling/src/main.ts')], {
      env: {
        ...process.env,
        TOKEN_KEYS_DIR: join(varDir, 'keys'),
        REDIS_URL: platform.redisUrl,
        SIGNALING_PORT: '0',
        TURN_URLS: turnUrl,
        TURN_SECRET: turnSecret,
      },
      logFile: join(varDir, 'log', 'signaling-b.log'),
    });
    const ready = await signalingB.waitForLine((l) => l.includes('"signaling ready"'), 30_000, 'signaling ready');
    urlB = (JSON.parse(ready) as { url: string }).url;
    fixtures = new MeetingFixtures(platform);
    meeting = await fixtures.meetingNow();
    redis = new Redis(platform.redisUrl);
    controlClients.push(new Redis(platform.redisUrl), new Redis(platform.redisUrl));
    control = new ControlClient(controlClients[0]!, controlClients[1]!);
    await control.start();
  });

  afterAll(async () => {
    for (const seat of seats) seat.socket.disconnect();
    await control?.stop();
    for (const client of [redis, ...controlClients]) client?.disconnect();
    await fixtures?.close();
    await signalingB?.stop();
    await platform?.stop();
    if (!process.env.KEEP_WORK) rmSync(work, { recursive: true, force: true });
  });

  it('tells its clients to reconnect elsewhere, releases their seats, keeps the other instance’s seat, and the meeting resumes on B', async () => {
    const urlA = platform.signalingUrl;
    const lawyerToken = await fixtures.assign(meeting, 'lawyer');
    const detaineeToken = await fixtures.assign(meeting, 'detainee');

    // Mid-meeting: the lawyer on A, the detainee on B, each sending a microphone.
    const lawyer = await connect(urlA, meeting.seatCredential, lawyerToken);
    const detainee = await connect(urlB, meeting.boothCredential, detaineeToken);
    seats.push(lawyer, detainee);
    const lawyerIn = await enterMeeting(lawyer, 1111);
    const detaineeIn = await enterMeeting(detainee, 2222);
    const sfuNode = await redis.get(`huijian:meeting:${meeting.meetingId}:sfu`);
    expect(sfuNode).toBe(platform.sfuNodeId);
    const producersBefore = await control.call(platform.sfuNodeId, 'listProducers', { meetingId: meeting.meetingId });
    expect(producersBefore.producers.map((p) => p.producerId).sort()).toEqual([lawyerIn.producerId, detaineeIn.producerId].sort());

    // TURN credentials came with the join, by the REST API convention, for this meeting.
    const [iceServer] = lawyerIn.join.iceServers;
    expect(iceServer?.urls).toEqual([turnUrl]);
    const [expiry, meetingId] = iceServer!.username.split(':');
    expect(meetingId).toBe(meeting.meetingId);
    expect(Number(expiry)).toBe(Math.floor(meeting.endsAt / 1000) + 600);
    expect(iceServer!.credential).toBe(createHmac('sha1', turnSecret).update(iceServer!.username).digest('base64'));

    const sigterm = Date.now();
    platform.signaling!.kill('SIGTERM');

    // 1. The lawyer is told, then its connection closes as a transport close (Socket.IO reconnects by itself on that).
    await waitUntil('serverDraining on the lawyer', () => lawyer.events.find((e) => e.name === 'serverDraining'));
    expect(await lawyer.disconnectReason).toBe('transport close');
    // 2. By then A takes no new connections.
    const refused = await fetch(`${urlA}/healthz`).then(
      () => undefined,
      (error: Error & { cause?: { code?: string } }) => error.cause?.code,
    );
    expect(refused).toBe('ECONNREFUSED');
    // 3. A exits 0, after releasing the lawyer's seat on the SFU and in Redis.
    const exit = await platform.signaling!.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    const stoppedInMs = Date.now() - sigterm;
    expect(stoppedInMs).toBeLessThan(8000);
    expect(await redis.get(`huijian:meeting:${meeting.meetingId}:seat:lawyer`)).toBeNull();
    const producersAfter = await control.call(platform.sfuNodeId, 'listProducers', { meetingId: meeting.meetingId });
    expect(producersAfter.producers.map((p) => p.producerId)).toEqual([detaineeIn.producerId]);
    // 4. The outbox was flushed before exit: B's client heard peerLeft, relayed through Redis from A.
    await waitUntil('peerLeft on the detainee', () => detainee.events.find((e) => e.name === 'peerLeft'));
    expect(detainee.socket.connected).toBe(true);
    // 5. Logs were flushed: A's last lines say what happened.
    const logA = logLines(join(varDir, 'log', 'signaling.log'));
    const draining = logA.find((l) => l.msg === 'signaling draining: clients told to reconnect elsewhere');
    expect(draining).toMatchObject({ signal: 'SIGTERM', clients: 1 });
    expect(logA.at(-1)).toMatchObject({ msg: 'signaling stopped', clients: 1, drained: true });

    // 6. The lawyer reconnects elsewhere (B) and the meeting goes on: the detainee's media never stopped.
    const again = await connect(urlB, meeting.seatCredential, lawyerToken);
    seats.push(again);
    const rejoined = await enterMeeting(again, 3333);
    expect(rejoined.join.peerPresent).toBe(true);
    expect(rejoined.join.peerProducers.map((p) => p.producerId)).toEqual([detaineeIn.producerId]);
    await waitUntil('peerJoined on the detainee', () => detainee.events.filter((e) => e.name === 'peerJoined').at(-1));
    const producersResumed = await control.call(platform.sfuNodeId, 'listProducers', { meetingId: meeting.meetingId });
    expect(producersResumed.producers.map((p) => p.producerId).sort()).toEqual([detaineeIn.producerId, rejoined.producerId].sort());
    expect(JSON.parse((await redis.get(`huijian:meeting:${meeting.meetingId}:seat:lawyer`)) ?? '{}').socketId).toBe(again.socket.id);
    expect(platform.sfu!.isRunning).toBe(true);
  });
});
