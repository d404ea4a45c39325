import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type DeviceAssignment } from '../../../signaling/src/protocol';
import { AccessPlatform, disconnected, next, type DeviceClient } from './harness';

type AssignmentEvent = { deviceId: string; kind: string; assignment: DeviceAssignment | null; serverTime: number };

/**
 * The device channel across two signaling instances: a terminal connected to one hears its
 * assignment at once and every change written anywhere, and is cut off when an admin on the
 * other instance revokes its credential.
 */
describe('the device channel', () => {
  let access: AccessPlatform;
  let meeting: Awaited<ReturnType<AccessPlatform['fixtures']['meetingNow']>>;
  let seat: DeviceClient;
  let urlA: string;
  let urlB: string;
  let firstAssignment: Promise<AssignmentEvent>;

  beforeAll(async () => {
    access = await AccessPlatform.start({ signalingInstances: 2 });
    [urlA, urlB] = access.platform.signalingUrls as [string, string];
    meeting = await access.fixtures.meetingNow();
    const result = await access.device({ protocol: PROTOCOL_VERSION, credential: meeting.seatCredential }, urlB);
    seat = result.socket!;
  });
  afterAll(async () => access?.close());

  it('tells a terminal its current assignment when it connects (none yet)', async () => {
    firstAssignment = next<AssignmentEvent>(seat, 'assignment');
    // The first push may have arrived before the listener; reconnecting is the honest way to see it.
    seat.disconnect();
    seat.connect();
    const first = await firstAssignment;
    expect(first).toMatchObject({ deviceId: meeting.seatDeviceId, kind: 'seat', assignment: null });
    expect(Math.abs(first.serverTime - Date.now())).toBeLessThan(5000);
  });

  it('pushes a new assignment written by the booking domain, live', async () => {
    const pushed = next<AssignmentEvent>(seat, 'assignment');
    const token = await access.fixtures.assign(meeting, 'lawyer');
    const { assignment } = await pushed;
    expect(assignment).toMatchObject({ meetingId: meeting.meetingId, role: 'lawyer', token, lawyerName: meeting.lawyerName, startsAt: meeting.startsAt });
  });

  it('pushes the withdrawal when the assignment is revoked', async () => {
    const pushed = next<AssignmentEvent>(seat, 'assignment');
    await access.fixtures.assignments.revoke(meeting.seatDeviceId, meeting.meetingId);
    expect((await pushed).assignment).toBeNull();
  });

  it('does not tell one terminal about another', async () => {
    const booth = (await access.device({ protocol: PROTOCOL_VERSION, credential: meeting.boothCredential }, urlA)).socket!;
    await next(booth, 'assignment');
    let leaked = false;
    seat.once('assignment', () => (leaked = true));
    const boothPush = next<AssignmentEvent>(booth, 'assignment');
    await access.fixtures.assign(meeting, 'detainee');
    expect((await boothPush).assignment?.role).toBe('detainee');
    await new Promise((r) => setTimeout(r, 300));
    expect(leaked).toBe(false);
  });

  it('lists the terminal as online to an admin on the other instance', async () => {
    const admin = await access.personSession('admin');
    const response = await fetch(`${urlA}/api/devices/${meeting.seatDeviceId}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(await response.json()).toMatchObject({ device: { deviceId: meeting.seatDeviceId, kind: 'seat', online: true } });
  });

  it('cuts the terminal off when an admin on the other instance revokes its credential', async () => {
    const admin = await access.personSession('admin');
    const gone = disconnected(seat);
    const response = await fetch(`${urlA}/api/devices/${meeting.seatDeviceId}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    const again = await access.device({ protocol: PROTOCOL_VERSION, credential: meeting.seatCredential }, urlB);
    expect(again.error?.code).toBe('DEVICE_REVOKED');
  });

  it.each([
    ['no credential', { protocol: PROTOCOL_VERSION }, 'DEVICE_CREDENTIAL_MISSING'],
    ['a forged credential', { protocol: PROTOCOL_VERSION, credential: `hjd1.seat-x.AbCdEfGhIjK.${'y'.repeat(43)}` }, 'DEVICE_CREDENTIAL_INVALID'],
    ['a credential of the wrong type', { protocol: PROTOCOL_VERSION, credential: 42 }, 'BAD_REQUEST'],
  ])('refuses %s', async (_name, auth, code) => {
    expect((await access.device(auth)).error?.code).toBe(code);
  });
});
