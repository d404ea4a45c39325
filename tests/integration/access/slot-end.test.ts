import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlError } from '../../../sfu-server/src/control/ControlError';
import { AccessPlatform, disconnected, next, request, type MeetingClient } from './harness';

/**
 * The server ends the meeting at the slot end by itself: a short real slot (no fake clock), the
 * seat on one signaling instance and the booth on another, a lawyer client that ignores every
 * warning and a booth client that keeps sending requests. Both are warned, then cut off at the
 * end; the SFU meeting is closed; coming back afterwards is refused.
 */
describe('slot end enforced by the server', () => {
  let access: AccessPlatform;
  let meeting: Awaited<ReturnType<AccessPlatform['fixtures']['meetingNow']>>;
  let lawyer: MeetingClient;
  let booth: MeetingClient;
  let lawyerToken: string;
  const warnings: Record<'lawyer' | 'detainee', { secondsLeft: number; endsAt: number; at: number }[]> = { lawyer: [], detainee: [] };
  let outcome: Promise<[{ reason: string }, string, { reason: string }, string, number]>;

  beforeAll(async () => {
    access = await AccessPlatform.start({ sfu: true, signalingInstances: 2, env: { SLOT_WARNING_SECONDS: '5,2' } });
    const now = Date.now();
    meeting = await access.fixtures.meetingNow(undefined, { startsAt: now - 60_000, endsAt: now + 9000 });
    lawyerToken = access.fixtures.token(meeting, 'lawyer');
    const [urlA, urlB] = access.platform.signalingUrls as [string, string];
    lawyer = await access.admitted(access.auth(meeting.seatCredential, lawyerToken), urlA);
    booth = await access.admitted(access.auth(meeting.boothCredential, access.fixtures.token(meeting, 'detainee')), urlB);
    for (const [socket, role] of [[lawyer, 'lawyer'], [booth, 'detainee']] as const) {
      socket.on('slotWarning', (w) => warnings[role].push({ ...w, at: Date.now() }));
    }
    expect(await request(lawyer, 'join', {})).toMatchObject({ slot: { endsAt: meeting.endsAt } });
    expect(await request(booth, 'join', {})).toMatchObject({ peerPresent: true });
    outcome = Promise.all([
      next<{ reason: string }>(lawyer, 'meetingEnded', 20_000),
      disconnected(lawyer, 20_000),
      next<{ reason: string }>(booth, 'meetingEnded', 20_000),
      disconnected(booth, 20_000),
    ]).then((r) => [...r, Date.now()] as [{ reason: string }, string, { reason: string }, string, number]);
    // The booth keeps talking until it is cut off; the lawyer says nothing at all.
    const chatter = setInterval(() => {
      if (booth.connected) booth.emit('createTransport', { direction: 'recv' }, () => undefined);
      else clearInterval(chatter);
    }, 300);
  }, 60_000);
  afterAll(async () => access?.close());

  it('ends both connections at the slot end, on both instances, with reason slot_ended', async () => {
    const [lawyerEnd, lawyerGone, boothEnd, boothGone, at] = await outcome;
    expect(lawyerEnd).toEqual({ reason: 'slot_ended' });
    expect(boothEnd).toEqual({ reason: 'slot_ended' });
    expect(lawyerGone).toBe('io server disconnect');
    expect(boothGone).toBe('io server disconnect');
    expect(at).toBeGreaterThanOrEqual(meeting.endsAt);
    expect(at - meeting.endsAt).toBeLessThan(2000);
  });

  it('warned both seats before the end, the last warning at 2 s', () => {
    for (const role of ['lawyer', 'detainee'] as const) {
      const received = warnings[role];
      expect(received.length, `${role} warnings`).toBeGreaterThanOrEqual(1);
      expect(received.every((w) => w.endsAt === meeting.endsAt && w.at < meeting.endsAt)).toBe(true);
      expect(received.at(-1)!.secondsLeft).toBe(2);
      if (received.length > 1) expect(received[0]!.secondsLeft).toBeLessThanOrEqual(5);
    }
  });

  it('closed the SFU meeting and recorded one end, audited once', async () => {
    const control = await access.sfuControl();
    const error = await control.call(access.platform.sfuNodeId, 'listProducers', { meetingId: meeting.meetingId }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ControlError);
    expect((error as ControlError).code).toBe('MEETING_NOT_FOUND');
    expect(await access.fixtures.store.endOf(meeting.meetingId)).toMatchObject({ reason: 'slot_ended' });
    const ended = await access.auditEntries((e) => e.type === 'ended' && e.meetingId === meeting.meetingId);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ reason: 'slot_ended' });
    const warned = await access.auditEntries((e) => e.type === 'slot_warning' && e.meetingId === meeting.meetingId);
    expect(new Set(warned.map((e) => e.role))).toEqual(new Set(['lawyer', 'detainee']));
  });

  it('refuses reconnecting after the slot end: the token has expired', async () => {
    expect(await access.refusal(access.auth(meeting.seatCredential, lawyerToken))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token that outlives the slot (a replay): the meeting has ended', async () => {
    const outliving = access.fixtures.token(meeting, 'detainee', { expiresAt: meeting.endsAt + 3600_000 });
    expect(await access.refusal(access.auth(meeting.boothCredential, outliving), access.platform.signalingUrls[1])).toBe('MEETING_ENDED');
  });
});
