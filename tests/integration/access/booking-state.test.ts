import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingRecord } from '../../../signaling/src/store/MeetingStore';
import { AccessPlatform } from './harness';

/**
 * The booking behind a valid token: it must exist for this booking, be neither cancelled nor
 * ended nor withdrawn from this device, be inside its window, and be ready for the role (lawyer
 * checked in, detainee seated). The booking domain writes these facts; the gate reads them.
 */
describe('booking state at the door', () => {
  let access: AccessPlatform;

  beforeAll(async () => {
    access = await AccessPlatform.start();
  });
  afterAll(async () => access?.close());

  async function attempt(overrides: Partial<MeetingRecord>, role: 'lawyer' | 'detainee' = 'lawyer') {
    const meeting = await access.fixtures.meetingNow(undefined, overrides);
    const credential = role === 'lawyer' ? meeting.seatCredential : meeting.boothCredential;
    return { meeting, credential, code: () => access.refusal(access.auth(credential, access.fixtures.token(meeting, role))) };
  }

  it("refuses a token for a meeting that does not exist", async () => {
    const { meeting, credential } = await attempt({});
    const ghost = access.fixtures.token({ ...meeting, meetingId: 'no-such-meeting' }, 'lawyer');
    expect(await access.refusal(access.auth(credential, ghost))).toBe('MEETING_NOT_FOUND');
  });

  it('refuses a token of an earlier booking of the same meeting id (rebooked)', async () => {
    const { meeting, credential } = await attempt({});
    const stale = access.fixtures.token({ ...meeting, bookingId: 'b-earlier' }, 'lawyer');
    expect(await access.refusal(access.auth(credential, stale))).toBe('MEETING_NOT_FOUND');
  });

  it('refuses a cancelled booking', async () => {
    expect(await (await attempt({ status: 'cancelled' })).code()).toBe('MEETING_CANCELLED');
  });

  it('refuses a meeting the booking domain marked ended', async () => {
    expect(await (await attempt({ status: 'ended' })).code()).toBe('MEETING_ENDED');
  });

  it('refuses the lawyer before check-in', async () => {
    expect(await (await attempt({ lawyerCheckedIn: false })).code()).toBe('LAWYER_NOT_CHECKED_IN');
  });

  it('refuses the booth before the detainee is seated', async () => {
    expect(await (await attempt({ detaineeSeated: false }, 'detainee')).code()).toBe('DETAINEE_NOT_SEATED');
  });

  it('refuses a meeting whose window has not opened, whatever the token says', async () => {
    const startsAt = Date.now() + 3 * 3600_000;
    const { meeting, credential } = await attempt({ startsAt, endsAt: startsAt + 3600_000 });
    const early = access.fixtures.token(meeting, 'lawyer', { notBefore: Date.now() - 60_000 });
    expect(await access.refusal(access.auth(credential, early))).toBe('MEETING_NOT_OPEN');
  });

  it('refuses a revoked token: the booking withdrew the assignment (cancelled or reassigned)', async () => {
    const { meeting, credential } = await attempt({});
    const token = await access.fixtures.assign(meeting, 'lawyer');
    expect(await access.fixtures.assignments.revoke(meeting.seatDeviceId, meeting.meetingId)).toBe(true);
    expect(await access.refusal(access.auth(credential, token))).toBe('TOKEN_REVOKED');
  });

  it('refuses the old seat terminal after the meeting moved to another seat', async () => {
    const { meeting, credential } = await attempt({});
    const token = access.fixtures.token(meeting, 'lawyer');
    await access.fixtures.provision('seat-replacement', 'seat');
    await access.fixtures.store.put({ ...meeting, seatDeviceId: 'seat-replacement' });
    expect(await access.refusal(access.auth(credential, token))).toBe('DEVICE_NOT_ASSIGNED');
  });

  it('admits a checked-in lawyer and a seated detainee inside the window', async () => {
    const { meeting } = await attempt({});
    await access.admitted(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')));
    await access.admitted(access.auth(meeting.boothCredential, access.fixtures.token(meeting, 'detainee')));
  });
});
