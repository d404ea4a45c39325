import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPlatform, disconnected, next, request, type MeetingClient } from './harness';

/**
 * One meeting, two seats: a third terminal has no way in, a seat held by one terminal cannot be
 * taken by another, and the same terminal connecting again replaces its older connection (audited).
 */
describe('seats: two per meeting, one terminal per seat', () => {
  let access: AccessPlatform;
  let meeting: Awaited<ReturnType<AccessPlatform['fixtures']['meetingNow']>>;
  let lawyer: MeetingClient;
  let booth: MeetingClient;

  beforeAll(async () => {
    access = await AccessPlatform.start({ sfu: true });
    meeting = await access.fixtures.meetingNow();
    lawyer = await access.admitted(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')));
    booth = await access.admitted(access.auth(meeting.boothCredential, access.fixtures.token(meeting, 'detainee')));
    expect(await request(lawyer, 'join', {})).toMatchObject({ meetingId: meeting.meetingId, role: 'lawyer' });
    expect(await request(booth, 'join', {})).toMatchObject({ role: 'detainee', peerPresent: true });
  }, 60_000);
  afterAll(async () => access?.close());

  const holders = async () => Promise.all(['lawyer', 'detainee'].map((role) => access.fixtures.store.seatHolder(meeting.meetingId, role)));

  it('refuses a third terminal even with a correctly signed token for this meeting', async () => {
    const before = await holders();
    const third = await access.fixtures.provision(`seat-third-${meeting.meetingId}`, 'seat');
    const leaked = access.fixtures.token(meeting, 'lawyer', { deviceId: `seat-third-${meeting.meetingId}` });
    expect(await access.refusal(access.auth(third, leaked))).toBe('DEVICE_NOT_ASSIGNED');
    expect(await holders()).toEqual(before);
  });

  it('refuses another terminal while the seat is held, even if the booking names it', async () => {
    const before = await holders();
    const otherSeat = `seat-other-${meeting.meetingId}`;
    const credential = await access.fixtures.provision(otherSeat, 'seat');
    const record = (await access.fixtures.store.get(meeting.meetingId))!;
    await access.fixtures.store.put({ ...record, seatDeviceId: otherSeat });
    try {
      const token = access.fixtures.token({ ...record, seatDeviceId: otherSeat }, 'lawyer');
      expect(await access.refusal(access.auth(credential, token))).toBe('SEAT_TAKEN');
      expect(await holders()).toEqual(before);
    } finally {
      await access.fixtures.store.put(record);
    }
  });

  it('lets the same terminal connect again: the new connection replaces the old one, and it is audited', async () => {
    const first = lawyer;
    const told = next<{ reason: string }>(first, 'meetingEnded');
    const gone = disconnected(first);
    const peerSeesRejoin = next<{ role: string }>(booth, 'peerJoined');
    const second = await access.admitted(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')));
    expect(await request(second, 'join', {})).toMatchObject({ role: 'lawyer', peerPresent: true });
    expect(await told).toEqual({ reason: 'replaced' });
    expect(await gone).toBe('io server disconnect');
    expect(await peerSeesRejoin).toEqual({ role: 'lawyer' });
    expect((await access.fixtures.store.seatHolder(meeting.meetingId, 'lawyer'))?.socketId).toBe(second.id);
    const replaced = await access.auditEntries((e) => e.type === 'replaced' && e.meetingId === meeting.meetingId);
    expect(replaced).toHaveLength(1);
    expect(replaced[0]).toMatchObject({ role: 'lawyer', deviceId: meeting.seatDeviceId });
    lawyer = second;
  });

  it('a request before join is refused NOT_JOINED and changes nothing', async () => {
    const spare = await access.admitted(access.auth(meeting.boothCredential, access.fixtures.token(meeting, 'detainee')));
    expect(await request(spare, 'createTransport', { direction: 'send' })).toMatchObject({ error: { code: 'NOT_JOINED' } });
    expect(await request(spare, 'endMeeting', {})).toMatchObject({ error: { code: 'NOT_JOINED' } });
    expect((await access.fixtures.store.seatHolder(meeting.meetingId, 'detainee'))?.socketId).toBe(booth.id);
    spare.disconnect();
  });
});
