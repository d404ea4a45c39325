import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPlatform, disconnected, next, request, type MeetingClient } from './harness';

/**
 * Any signaling instance serves any device: the seat on instance A and the booth on instance B
 * meet in one SFU meeting; presence, replacement and leaving cross between the instances
 * through Redis. (The browser version, with real media, is tests/e2e/two-instances.e2e.test.ts.)
 */
describe('two signaling instances, one meeting', () => {
  let access: AccessPlatform;
  let meeting: Awaited<ReturnType<AccessPlatform['fixtures']['meetingNow']>>;
  let urlA: string;
  let urlB: string;
  let lawyer: MeetingClient;
  let booth: MeetingClient;

  beforeAll(async () => {
    access = await AccessPlatform.start({ sfu: true, signalingInstances: 2 });
    [urlA, urlB] = access.platform.signalingUrls as [string, string];
    expect(urlA).not.toBe(urlB);
    meeting = await access.fixtures.meetingNow();
  }, 60_000);
  afterAll(async () => access?.close());

  it('seats the lawyer through A and the booth through B in the same SFU meeting', async () => {
    lawyer = await access.admitted(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')), urlA);
    expect(await request(lawyer, 'join', {})).toMatchObject({ peerPresent: false });
    const seen = next<{ role: string }>(lawyer, 'peerJoined');
    booth = await access.admitted(access.auth(meeting.boothCredential, access.fixtures.token(meeting, 'detainee')), urlB);
    const boothJoin = await request(booth, 'join', {});
    expect(boothJoin).toMatchObject({ peerPresent: true, role: 'detainee' });
    expect(await seen).toEqual({ role: 'detainee' });
    for (const socket of [lawyer, booth]) expect(await request(socket, 'createTransport', { direction: 'send' })).toHaveProperty('transportId');
    expect(await access.fixtures.store.placement(meeting.meetingId)).toBe(access.platform.sfuNodeId);
  });

  it('replaces the lawyer’s connection on A when the same terminal comes back through B', async () => {
    const told = next<{ reason: string }>(lawyer, 'meetingEnded');
    const gone = disconnected(lawyer);
    const again = await access.admitted(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')), urlB);
    expect(await request(again, 'join', {})).toMatchObject({ peerPresent: true });
    expect(await told).toEqual({ reason: 'replaced' });
    expect(await gone).toBe('io server disconnect');
    lawyer = again;
  });

  it('tells the lawyer when the booth leaves through the other instance', async () => {
    const left = next<{ role: string }>(lawyer, 'peerLeft');
    // The lawyer is now on B too; put the booth back on A to keep the two sides apart.
    booth.disconnect();
    expect(await left).toEqual({ role: 'detainee' });
    booth = await access.admitted(access.auth(meeting.boothCredential, access.fixtures.token(meeting, 'detainee')), urlA);
    const joined = next<{ role: string }>(lawyer, 'peerJoined');
    await request(booth, 'join', {});
    expect(await joined).toEqual({ role: 'detainee' });
  });
});
