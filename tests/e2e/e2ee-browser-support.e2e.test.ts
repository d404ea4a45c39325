import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient } from '../../sfu-server/src/control/ControlClient';
import { Platform } from '../../deploy/local/Platform';
import { inboundStats, waitFor } from '../support/browser';
import { auditOf, openTerminal, waitForCode, type Terminal } from '../support/confidentiality/terminals';
import { expectColour } from '../support/mediaChecks';
import { blue, red } from '../support/fakeMedia';
import { MeetingFixtures } from '../support/meetingFixtures';

const lawyerSide = { colour: red, toneHz: 440 };
const detaineeSide = { colour: blue, toneHz: 1000 };
const size = { width: 640, height: 360 };

/** Runs in the booth page before its scripts: a browser with only the older encoded-streams API. */
function withoutScriptTransform(): void {
  delete (window as unknown as Record<string, unknown>).RTCRtpScriptTransform;
}

/** A browser with no encoded-transform API at all. */
function withoutAnyTransform(): void {
  delete (window as unknown as Record<string, unknown>).RTCRtpScriptTransform;
  delete (RTCRtpSender.prototype as unknown as Record<string, unknown>).createEncodedStreams;
  delete (RTCRtpReceiver.prototype as unknown as Record<string, unknown>).createEncodedStreams;
}

/**
 * Endpoint hygiene across browsers: a kiosk whose browser has only `createEncodedStreams`
 * interoperates with a station on RTCRtpScriptTransform (same frame format, same code); a kiosk
 * with neither refuses to start media at all while the meeting's policy requires encryption.
 */
describe('end-to-end encryption across browser capabilities', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-e2ee-support-'));
  let platform: Platform;
  let fixtures: MeetingFixtures;
  let redis: Redis;

  beforeAll(async () => {
    platform = await Platform.start({ varDir: join(work, 'var') });
    fixtures = new MeetingFixtures(platform);
    redis = new Redis(platform.redisUrl);
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await fixtures?.close();
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('a booth on the legacy createEncodedStreams API and a station on RTCRtpScriptTransform: same code, media both ways', async () => {
    const meeting = await fixtures.meetingNow();
    const terminals: Terminal[] = [];
    try {
      const station = await openTerminal({ platform, fixtures, meeting, role: 'lawyer', side: lawyerSide, work, size });
      terminals.push(station);
      const booth = await openTerminal({ platform, fixtures, meeting, role: 'detainee', side: detaineeSide, work, size, beforeLoad: withoutScriptTransform });
      terminals.push(booth);
      expect(await booth.page.evaluate(() => 'RTCRtpScriptTransform' in window)).toBe(false);
      const atStation = await waitForCode(station.page, 'the code on the station');
      expect(await waitForCode(booth.page, 'the code on the booth', atStation.exchangeId)).toEqual(atStation);
      for (const [receiver, sender] of [[booth.page, lawyerSide], [station.page, detaineeSide]] as const) {
        await waitFor(async () => ((await inboundStats(receiver)).video?.framesDecoded ?? 0) > 60, 45_000, 'decoded video');
        await expectColour(receiver, '#remote-video', sender.colour);
      }
    } finally {
      for (const terminal of terminals) await terminal.close();
    }
  }, 150_000);

  it('a booth without any transform API starts no media, says why, and is audited', async () => {
    const meeting = await fixtures.meetingNow();
    const booth = await openTerminal({ platform, fixtures, meeting, role: 'detainee', side: detaineeSide, work, size, beforeLoad: withoutAnyTransform });
    try {
      await booth.page.waitForSelector('body[data-error="E2EE_UNAVAILABLE"]', { timeout: 45_000 });
      expect(await booth.page.$eval('#e2ee-badge', (b) => (b as HTMLElement).dataset.state)).toBe('unavailable');
      const entries = await waitFor(async () => {
        const found = (await auditOf(redis, meeting.meetingId)).filter((e) => e.type === 'e2ee_unavailable');
        return found.length > 0 ? found : undefined;
      }, 10_000, 'the audit entry');
      expect(entries[0]).toMatchObject({ role: 'detainee', deviceId: meeting.boothDeviceId, e2ee: 'false' });
      // Nothing was produced toward the SFU, and the seat was given up.
      const clients = [new Redis(platform.redisUrl), new Redis(platform.redisUrl)] as const;
      const control = new ControlClient(...clients);
      await control.start();
      try {
        const { producers } = await control.call(platform.sfuNodeId, 'listProducers', { meetingId: meeting.meetingId });
        expect(producers).toEqual([]);
      } finally {
        await control.stop();
        for (const client of clients) client.disconnect();
      }
      expect(await redis.get(`huijian:meeting:${meeting.meetingId}:seat:detainee`)).toBeNull();
    } finally {
      await booth.close();
    }
  }, 90_000);
});
