import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../signaling/src/protocol';
import { AccessPlatform } from './harness';

/** A client on another protocol version is told so, on both namespaces, before anything else is read. */
describe('protocol version', () => {
  let access: AccessPlatform;
  let meeting: Awaited<ReturnType<AccessPlatform['fixtures']['meetingNow']>>;

  beforeAll(async () => {
    access = await AccessPlatform.start();
    meeting = await access.fixtures.meetingNow();
  });
  afterAll(async () => access?.close());

  it('refuses a stale client on the meeting namespace with a message that says to reload', async () => {
    const result = await access.meeting({ ...access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')), protocol: PROTOCOL_VERSION - 1 });
    expect(result.error?.code).toBe('PROTOCOL_VERSION_MISMATCH');
    expect(result.error?.message).toMatch(/Reload/);
  });

  it('refuses a version-1 client that still sends a bare booking token', async () => {
    expect(await access.refusal({ protocol: 1, token: access.fixtures.token(meeting, 'lawyer') })).toBe('PROTOCOL_VERSION_MISMATCH');
  });

  it('refuses a client from the future too', async () => {
    expect(await access.refusal({ ...access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')), protocol: PROTOCOL_VERSION + 1 })).toBe(
      'PROTOCOL_VERSION_MISMATCH',
    );
  });

  it('refuses a stale client on the device channel', async () => {
    const result = await access.device({ protocol: PROTOCOL_VERSION - 1, credential: meeting.seatCredential });
    expect(result.error?.code).toBe('PROTOCOL_VERSION_MISMATCH');
  });

  it('admits the current version', async () => {
    await access.admitted(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')));
    expect((await access.device({ protocol: PROTOCOL_VERSION, credential: meeting.seatCredential })).socket?.connected).toBe(true);
  });
});
