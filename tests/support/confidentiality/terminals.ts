import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Browser, Page } from 'puppeteer-core';
import type { Platform } from '../../../deploy/local/Platform';
import { launchChromium, trackPeerConnections, waitFor, type FakeMedia } from '../browser';
import type { Side } from '../mediaChecks';
import { writeToneWav, writeY4m } from '../fakeMedia';
import type { MeetingFixtures, Role } from '../meetingFixtures';

export type { Side } from '../mediaChecks';

export interface Terminal {
  page: Page;
  browser: Browser;
  close: () => Promise<void>;
}

/** A station seat (lawyer) or booth kiosk (detainee) in its own Chromium, with its own camera colour and tone. */
export async function openTerminal(options: {
  platform: Platform;
  fixtures: MeetingFixtures;
  meeting: Awaited<ReturnType<MeetingFixtures['meetingNow']>>;
  role: Role;
  side: Side;
  work: string;
  size?: { width: number; height: number };
  /** Runs in the page before any of its scripts (e.g. to remove an API). */
  beforeLoad?: () => void;
}): Promise<Terminal> {
  const { platform, fixtures, meeting, role, side, work } = options;
  const media: FakeMedia = { videoFile: join(work, `${meeting.meetingId}-${role}.y4m`), audioFile: join(work, `${meeting.meetingId}-${role}.wav`) };
  writeY4m(media.videoFile!, side.colour, options.size?.width, options.size?.height);
  writeToneWav(media.audioFile!, side.toneHz);
  const chromium = await launchChromium(media);
  const page = await chromium.browser.newPage();
  await trackPeerConnections(page);
  if (options.beforeLoad) await page.evaluateOnNewDocument(options.beforeLoad);
  await fixtures.assign(meeting, role);
  const credential = role === 'lawyer' ? meeting.seatCredential : meeting.boothCredential;
  await page.goto(`${platform.signalingUrl}/${role === 'lawyer' ? 'station' : 'booth'}/#credential=${credential}`);
  return { page, browser: chromium.browser, close: chromium.close };
}

export interface ShownCode {
  exchangeId: string;
  digits: string;
  emoji: string[];
  confirmed: boolean;
}

/** The short code as the page shows it. */
export async function shownCode(page: Page): Promise<ShownCode | undefined> {
  return page.evaluate(() => {
    const panel = document.querySelector<HTMLElement>('#short-code');
    if (!panel || panel.hidden || !panel.dataset.exchange) return undefined;
    return {
      exchangeId: panel.dataset.exchange,
      digits: panel.querySelector('.short-code-digits')?.textContent ?? '',
      emoji: [...panel.querySelectorAll('.short-code-symbol .emoji')].map((e) => e.textContent ?? ''),
      confirmed: panel.hasAttribute('data-confirmed'),
    };
  });
}

export async function waitForCode(page: Page, what: string, exchangeId?: string): Promise<ShownCode> {
  return waitFor(async () => {
    const code = await shownCode(page);
    return code && (!exchangeId || code.exchangeId === exchangeId) ? code : undefined;
  }, 45_000, what);
}

/**
 * Whether every RTP sender and receiver of the page's live peer connections has an encoded
 * transform. (mediasoup-client's bandwidth "probator" receiver, mid `probator`, carries padding
 * probes only, never media, and is not counted.)
 */
export async function transformsOnEverySenderAndReceiver(page: Page): Promise<{ senders: number; receivers: number; unprotected: number }> {
  return page.evaluate(() => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.filter((pc) => pc.connectionState !== 'closed');
    const senders = pcs.flatMap((pc) => pc.getSenders()).filter((s) => s.track);
    const receivers = pcs.flatMap((pc) => pc.getTransceivers()).filter((t) => t.direction === 'recvonly' && t.mid !== 'probator').map((t) => t.receiver);
    const unprotected = [...senders, ...receivers].filter((e) => !e.transform).length;
    return { senders: senders.length, receivers: receivers.length, unprotected };
  });
}

export interface AuditRecord {
  type: string;
  [field: string]: string;
}

/** The meeting's entries of the raw audit stream, oldest first. */
export async function auditOf(redis: Redis, meetingId: string): Promise<AuditRecord[]> {
  const raw = await redis.xrange('huijian:audit', '-', '+');
  return raw
    .map(([, flat]) => Object.fromEntries(Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!])) as AuditRecord)
    .filter((entry) => entry.meetingId === meetingId);
}
