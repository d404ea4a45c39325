import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../deploy/local/Platform';
import { MEETING_NAMESPACE, meetingClientEventNames, OPS_NAMESPACE, PROTOCOL_VERSION } from '../../../signaling/src/protocol';
import { SeatBot } from '../../load/SeatBot';
import { harnessStartMs, SfuHarness, waitForVideo, waitUntil } from '../sfu/sfuHarness';
import { connect, OpsWatcher, personSession } from './opsWatcher';

/** Every request a seat can make on /meeting (the protocol's MeetingClientEvents), and more. */
const seatOperations = [...meetingClientEventNames, 'getStats', 'listProducers'];

/**
 * An ops session has no way to media: the meeting namespace refuses it, the ops namespace answers
 * every seat operation FORBIDDEN and sends nothing but the feed, and the SFU's media objects do not
 * change while it tries. The dashboard's code has no media API at all.
 */
describe('ops has no media route', () => {
  let sfu: SfuHarness;
  let meetingId: string;
  let producerId: string;

  const bots: SeatBot[] = [];

  beforeAll(async () => {
    sfu = await SfuHarness.start({ sfuWorkers: 1 });
    // A real booking (through the booking domain), so the feed names its station, center and district.
    const meeting = await sfu.fixtures.bookedMeetingNow();
    meetingId = meeting.meetingId;
    for (const [deviceId, credential] of [
      [meeting.seatDeviceId, meeting.seatCredential],
      [meeting.boothDeviceId, meeting.boothCredential],
    ] as const) {
      const bot = new SeatBot({ url: sfu.platform.signalingUrl, credential, token: await sfu.fixtures.assignedToken(deviceId), clip: sfu.clip, receiveMode: 'headers' });
      bots.push(bot);
      await bot.start();
    }
    await waitForVideo(bots[1]!, 500_000);
    const { producers } = await sfu.control.call(sfu.nodeId, 'listProducers', { meetingId });
    producerId = producers[0]!.producerId;
  }, harnessStartMs);
  afterAll(async () => {
    for (const bot of bots) await bot.stop().catch(() => undefined);
    await sfu?.stop();
  });

  it('an ops session cannot connect to the meeting namespace, however it presents itself', async () => {
    const session = personSession(sfu.fixtures.keys, 'ops');
    const url = sfu.platform.signalingUrl;
    // Alone, in any field: no device credential.
    await expect(connect(url, MEETING_NAMESPACE, { protocol: PROTOCOL_VERSION, token: session })).rejects.toMatchObject({ code: 'DEVICE_CREDENTIAL_MISSING' });
    await expect(connect(url, MEETING_NAMESPACE, { protocol: PROTOCOL_VERSION, session })).rejects.toMatchObject({ code: 'DEVICE_CREDENTIAL_MISSING' });
    await expect(connect(url, MEETING_NAMESPACE, { protocol: PROTOCOL_VERSION, credential: session, token: session })).rejects.toMatchObject({ code: 'DEVICE_CREDENTIAL_INVALID' });
    // Even beside the real seat terminal's credential, an ops session is no booking token.
    const meeting = await sfu.fixtures.meetingNow();
    await expect(connect(url, MEETING_NAMESPACE, { protocol: PROTOCOL_VERSION, credential: meeting.seatCredential, token: session })).rejects.toMatchObject({ code: 'TOKEN_WRONG_AUDIENCE' });
  });

  it('only the ops role enters the ops namespace', async () => {
    const url = sfu.platform.signalingUrl;
    for (const role of ['admin', 'lawyer', 'station_officer', 'detention_officer'] as const) {
      await expect(connect(url, OPS_NAMESPACE, { protocol: PROTOCOL_VERSION, session: personSession(sfu.fixtures.keys, role) }), role).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    const meeting = await sfu.fixtures.meetingNow();
    await expect(connect(url, OPS_NAMESPACE, { protocol: PROTOCOL_VERSION, session: sfu.fixtures.token(meeting, 'lawyer') })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(connect(url, OPS_NAMESPACE, { protocol: PROTOCOL_VERSION })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(connect(url, OPS_NAMESPACE, { protocol: 99, session: personSession(sfu.fixtures.keys, 'ops') })).rejects.toMatchObject({ code: 'PROTOCOL_VERSION_MISMATCH' });
  });

  it('answers every seat operation FORBIDDEN, sends only the feed, and creates no transport or consumer', async () => {
    const watcher = await OpsWatcher.open(sfu.platform.signalingUrl, personSession(sfu.fixtures.keys, 'ops'));
    try {
      const row = await waitUntil(() => watcher.latest?.meetings.find((m) => m.meetingId === meetingId), 15_000, 'the meeting in the feed');
      // Names from the booking domain, for the filters.
      expect(row).toMatchObject({ station: { name: 'Station Test' }, center: { name: 'Center Test' }, district: { id: 'fixture', name: 'Fixture District' } });
      expect(watcher.snapshot!.places.districts).toContainEqual({ id: 'fixture', name: 'Fixture District' });
      expect(watcher.snapshot!.places.stations).toContainEqual({ id: row.station.id, name: 'Station Test', districtId: 'fixture' });
      const before = await sfu.nodeStatus();
      const payloads = [{}, { direction: 'recv' }, { producerId, rtpCapabilities: { codecs: [] } }, { meetingId, seat: 'lawyer' }];
      for (const event of seatOperations) {
        for (const payload of payloads) {
          const answer = (await watcher.socket.timeout(3000).emitWithAck(event, payload)) as { error?: { code: string } };
          expect(answer, event).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
        }
      }
      const pictures = watcher.pictures.length;
      await waitUntil(() => watcher.pictures.length > pictures, 10_000, 'another push');
      const after = await sfu.nodeStatus();
      expect(after!.consumers).toBe(before!.consumers);
      expect(after!.mediaObjects).toBe(before!.mediaObjects);
      expect([...watcher.eventNames].sort()).toEqual(['picture', 'snapshot']);
      const everything = JSON.stringify([watcher.snapshot, watcher.pictures]);
      for (const word of ['iceParameters', 'dtlsParameters', 'rtpParameters', 'transportId', 'producerId', 'consumerId', 'candidate', 'fingerprint', 'token']) {
        expect(everything, word).not.toContain(word);
      }
    } finally {
      watcher.close();
    }
  });

  it('the dashboard code has no media API: no transport, consumer, peer connection or media element', () => {
    const dir = join(repoRoot, 'clients/ops');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|html|css)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const forbidden of ['mediasoup', 'RTCPeerConnection', 'getUserMedia', 'MediaStream', '<video', '<audio', "createElement('video", "createElement('audio", 'MEETING_NAMESPACE', '/meeting']) {
        expect(text, `${file} names ${forbidden}`).not.toContain(forbidden);
      }
    }
  });
});
