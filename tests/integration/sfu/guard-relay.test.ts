import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot } from '../../../deploy/local/Platform';
import { MEETING_NAMESPACE, PROTOCOL_VERSION, type ErrorBody } from '../../../signaling/src/protocol';
import { disconnected, next, request, type MeetingClient } from '../access/harness';
import { harnessStartMs, SfuHarness, waitUntil } from './sfuHarness';

/**
 * The guard's alarm, end to end: code inside the sfu-server process (tests/integration/sfu/
 * routerIntruder.ts, loaded with --import) creates a transport on a live meeting's router behind
 * the meeting's back. The SFU closes the meeting; signaling (two instances, one seat on each)
 * writes one `guard_violation` audit entry, ends the meeting for good (both seats are told
 * `closed_by_server`, the tokens cannot bring anyone back), and the privacy receipt says a
 * recorder was detected.
 */
describe('a guard violation reaches the seats and the audit stream', () => {
  let sfu: SfuHarness;
  let intruderPort: number;
  const sockets: MeetingClient[] = [];

  beforeAll(async () => {
    intruderPort = await freePort();
    sfu = await SfuHarness.start({
      signalingInstances: 2,
      env: { INTRUDER_PORT: String(intruderPort) },
      preload: { sfu: [join(repoRoot, 'tests/integration/sfu/routerIntruder.ts')] },
    });
  }, harnessStartMs);
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await sfu?.stop();
  });

  async function connect(url: string, credential: string, token: string): Promise<{ socket?: MeetingClient; error?: ErrorBody }> {
    const socket: MeetingClient = io(`${url}${MEETING_NAMESPACE}`, {
      auth: { protocol: PROTOCOL_VERSION, credential, token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    return new Promise((resolve) => {
      socket.once('connect', () => resolve({ socket }));
      socket.once('connect_error', (error: Error & { data?: ErrorBody }) => resolve({ error: error.data ?? { code: 'INTERNAL', message: error.message } }));
    });
  }

  it('ends the meeting once, audits the violation and marks the receipt', async () => {
    const meeting = await sfu.fixtures.meetingNow();
    const { meetingId } = meeting;
    const [urlA, urlB] = sfu.platform.signalingUrls as [string, string];
    const tokens = { lawyer: sfu.fixtures.token(meeting, 'lawyer'), detainee: sfu.fixtures.token(meeting, 'detainee') };
    const lawyer = (await connect(urlA, meeting.seatCredential, tokens.lawyer)).socket!;
    const detainee = (await connect(urlB, meeting.boothCredential, tokens.detainee)).socket!;
    expect(await request(lawyer, 'join', {})).toMatchObject({ meetingId, role: 'lawyer' });
    expect(await request(detainee, 'join', {})).toMatchObject({ meetingId, role: 'detainee' });
    expect(await request(lawyer, 'createTransport', { direction: 'send' })).toHaveProperty('transportId');

    const told = [next<{ reason: string }>(lawyer, 'meetingEnded'), next<{ reason: string }>(detainee, 'meetingEnded')];
    const gone = [disconnected(lawyer), disconnected(detainee)];
    const intrusion = await fetch(`http://127.0.0.1:${intruderPort}/intrude?meetingId=${meetingId}`, { method: 'POST' });
    expect(intrusion.status).toBe(200);

    // The node saw it: alarm event, meeting closed.
    const violation = await sfu.waitForEvent('guardViolation', (e) => e.meetingId === meetingId);
    expect(violation.violation).toBe('foreign_transport');
    await sfu.waitForEvent('meetingClosed', (e) => e.meetingId === meetingId && e.reason === 'guard_violation');

    // Both seats, on different signaling instances, are told and disconnected.
    expect(await Promise.all(told)).toEqual([{ reason: 'closed_by_server' }, { reason: 'closed_by_server' }]);
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    expect(await sfu.fixtures.store.endOf(meetingId)).toMatchObject({ reason: 'guard_violation' });

    // One audit entry per fact, although both instances received the event.
    const audit = async () =>
      (await sfu.redis.xrange('huijian:audit', '-', '+'))
        .map(([, flat]) => Object.fromEntries(flat.flatMap((v, i) => (i % 2 === 0 ? [[v, flat[i + 1]]] : []))) as Record<string, string>)
        .filter((entry) => entry.meetingId === meetingId);
    const entries = await waitUntil(async () => {
      const all = await audit();
      return all.some((e) => e.type === 'privacy_receipt') ? all : undefined;
    }, 10_000, 'the sealed privacy receipt in the audit stream');
    expect(entries.filter((e) => e.type === 'guard_violation').map((e) => e.reason)).toEqual(['foreign_transport']);
    expect(entries.filter((e) => e.type === 'ended').map((e) => e.reason)).toEqual(['guard_violation']);
    expect(entries.filter((e) => e.type === 'privacy_receipt').map((e) => e.reason)).toEqual(['recorder_detected']);

    // The meeting is over: the same tokens are refused on either instance.
    expect((await connect(urlB, meeting.seatCredential, tokens.lawyer)).error?.code).toBe('MEETING_ENDED');
    expect((await connect(urlA, meeting.boothCredential, tokens.detainee)).error?.code).toBe('MEETING_ENDED');

    // The alarm metric counted it.
    const status = await sfu.nodeStatus();
    const metrics = await (await fetch(`http://127.0.0.1:${status!.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/huijian_sfu_guard_violations_total\{violation="foreign_transport"\} 1\b/);
  }, 60_000);
});
