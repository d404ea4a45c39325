import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPlatform, disconnected, next, request, type MeetingClient } from './harness';

/**
 * Socket.IO connection-state recovery runs the gate again (`skipMiddlewares: false`): a dropped
 * connection comes back with its id only if its credential and token still pass, and a token
 * revoked or expired while it was away is refused although the server holds its session.
 */
describe('connection-state recovery re-checks the token', () => {
  let access: AccessPlatform;

  beforeAll(async () => {
    access = await AccessPlatform.start({ sfu: true });
  });
  afterAll(async () => access?.close());

  /** A joined lawyer that has received a broadcast (so it holds a recovery offset), and its booth. */
  async function joinedPair(lawyerToken?: (meeting: Awaited<ReturnType<AccessPlatform['fixtures']['meetingNow']>>) => string) {
    const meeting = await access.fixtures.meetingNow();
    const token = lawyerToken ? lawyerToken(meeting) : await access.fixtures.assign(meeting, 'lawyer');
    const lawyer = await access.admitted(access.auth(meeting.seatCredential, token));
    await request(lawyer, 'join', {});
    const peer = next(lawyer, 'peerJoined');
    const booth = await access.admitted(access.auth(meeting.boothCredential, access.fixtures.token(meeting, 'detainee')));
    await request(booth, 'join', {});
    await peer;
    return { meeting, lawyer, booth };
  }

  /** Cut the transport under the socket (as a network drop would) and wait until the server kept its session. */
  async function drop(socket: MeetingClient): Promise<string> {
    const pid = (socket as unknown as { _pid?: string })._pid;
    expect(pid, 'the server offered connection-state recovery').toBeTruthy();
    const gone = disconnected(socket);
    socket.io.engine.close();
    // The client calls it a forced close; the server sees its transport close, a recoverable reason.
    expect(await gone).toMatch(/close/);
    for (let i = 0; i < 40 && !(await access.fixtures.redis.exists(`sio:session:${pid}`)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await access.fixtures.redis.exists(`sio:session:${pid}`), 'the session was kept for recovery').toBe(1);
    return pid!;
  }

  function reconnect(socket: MeetingClient): Promise<{ recovered: boolean } | { code: string }> {
    return new Promise((resolve) => {
      socket.once('connect', () => resolve({ recovered: socket.recovered }));
      socket.once('connect_error', (error: Error & { data?: { code: string } }) => resolve({ code: error.data?.code ?? error.message }));
      socket.connect();
    });
  }

  it('recovers a dropped connection with a valid token, through the gate (audited admission)', async () => {
    const { meeting, lawyer } = await joinedPair();
    const id = lawyer.id;
    const admissions = async () => (await access.auditEntries((e) => e.type === 'admitted' && e.channel === 'meeting' && e.deviceId === meeting.seatDeviceId)).length;
    const before = await admissions();
    await drop(lawyer);
    expect(await reconnect(lawyer)).toEqual({ recovered: true });
    expect(lawyer.id).toBe(id);
    expect(await admissions()).toBe(before + 1);
    expect(await request(lawyer, 'join', {})).toMatchObject({ role: 'lawyer', peerPresent: true });
  });

  it('refuses the recovery when the token was revoked while the connection was away', async () => {
    const { meeting, lawyer } = await joinedPair();
    await drop(lawyer);
    expect(await access.fixtures.assignments.revoke(meeting.seatDeviceId, meeting.meetingId)).toBe(true);
    expect(await reconnect(lawyer)).toEqual({ code: 'TOKEN_REVOKED' });
    expect(await access.fixtures.store.seatHolder(meeting.meetingId, 'lawyer')).toBeUndefined();
  });

  it('refuses the recovery when the token expired while the connection was away', async () => {
    const { lawyer } = await joinedPair((meeting) => access.fixtures.token(meeting, 'lawyer', { expiresAt: Date.now() + 4000 }));
    await drop(lawyer);
    await new Promise((r) => setTimeout(r, 4500));
    expect(await reconnect(lawyer)).toEqual({ code: 'TOKEN_EXPIRED' });
  });

  it('refuses the recovery when the meeting was cancelled meanwhile', async () => {
    const { meeting, lawyer } = await joinedPair();
    await drop(lawyer);
    const { seatCredential: _s, boothCredential: _b, ...record } = meeting;
    await access.fixtures.store.put({ ...record, status: 'cancelled' });
    expect(await reconnect(lawyer)).toEqual({ code: 'MEETING_CANCELLED' });
  });
});
