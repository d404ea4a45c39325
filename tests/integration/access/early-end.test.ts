import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlError } from '../../../sfu-server/src/control/ControlError';
import { AccessPlatform, disconnected, next, request } from './harness';

/**
 * Either side may end the meeting before the slot ends. The other side is told, both connections
 * close, the SFU meeting closes, and the tokens cannot bring anyone back in (a replay is refused).
 */
describe('early end by either side', () => {
  let access: AccessPlatform;

  beforeAll(async () => {
    access = await AccessPlatform.start({ sfu: true, signalingInstances: 2 });
  });
  afterAll(async () => access?.close());

  it.each([
    ['detainee', 'lawyer'],
    ['lawyer', 'detainee'],
  ] as const)('the %s ends it; the %s is told and both are disconnected', async (ender, other) => {
    const meeting = await access.fixtures.meetingNow();
    const [urlA, urlB] = access.platform.signalingUrls as [string, string];
    const tokens = { lawyer: access.fixtures.token(meeting, 'lawyer'), detainee: access.fixtures.token(meeting, 'detainee') };
    const sockets = {
      lawyer: await access.admitted(access.auth(meeting.seatCredential, tokens.lawyer), urlA),
      detainee: await access.admitted(access.auth(meeting.boothCredential, tokens.detainee), urlB),
    };
    await request(sockets.lawyer, 'join', {});
    await request(sockets.detainee, 'join', {});

    const told = next<{ reason: string }>(sockets[other], 'meetingEnded');
    const otherGone = disconnected(sockets[other]);
    const enderGone = disconnected(sockets[ender]);
    expect(await request(sockets[ender], 'endMeeting', {})).toEqual({ ended: true });
    expect(await told).toEqual({ reason: 'ended_by_peer' });
    expect(await otherGone).toBe('io server disconnect');
    expect(await enderGone).toBe('io server disconnect');

    const control = await access.sfuControl();
    const error = await control.call(access.platform.sfuNodeId, 'listProducers', { meetingId: meeting.meetingId }).catch((e: unknown) => e);
    expect((error as ControlError).code).toBe('MEETING_NOT_FOUND');
    expect(await access.fixtures.store.endOf(meeting.meetingId)).toMatchObject({ reason: `ended_by_${ender}` });
    const ended = await access.auditEntries((e) => e.type === 'ended' && e.meetingId === meeting.meetingId);
    expect(ended.map((e) => e.reason)).toEqual([`ended_by_${ender}`]);

    // The same, still unexpired tokens are replayed on either instance: the meeting is over.
    expect(await access.refusal(access.auth(meeting.seatCredential, tokens.lawyer), urlB)).toBe('MEETING_ENDED');
    expect(await access.refusal(access.auth(meeting.boothCredential, tokens.detainee), urlA)).toBe('MEETING_ENDED');
  });
});
