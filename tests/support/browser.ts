import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface FakeMedia {
  videoFile?: string;
  audioFile?: string;
}

/**
 * Debian's Chromium, headless, with fake camera and microphone (optionally file-backed), allowed
 * to use loopback ICE candidates and blocked from every DNS look-up.
 */
export async function launchChromium(media: FakeMedia = {}): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'huijian-chromium-'));
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-domain-reliability',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    '--use-fake-device-for-media-stream=fps=30',
    '--use-fake-ui-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
    '--allow-loopback-in-peer-connection',
    ...(media.videoFile ? [`--use-file-for-fake-video-capture=${media.videoFile}`] : []),
    ...(media.audioFile ? [`--use-file-for-fake-audio-capture=${media.audioFile}`] : []),
  ];
  const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, pipe: true, userDataDir, args });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Keep every RTCPeerConnection a page creates reachable as window.__peerConnections (test-only instrumentation). */
export async function trackPeerConnections(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const Native = window.RTCPeerConnection;
    const list: RTCPeerConnection[] = [];
    (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections = list;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        list.push(this);
      }
    } as typeof RTCPeerConnection;
  });
}

export interface InboundStats {
  video?: { frameWidth: number; frameHeight: number; framesDecoded: number; framesPerSecond: number; bytesReceived: number };
  audio?: { packetsReceived: number; bytesReceived: number };
  /** This page's own camera sender, for diagnosing a slow stream: why the encoder held back. */
  outboundVideo?: { frameWidth: number; framesPerSecond: number; qualityLimitationReason: string };
  /** Frames this page's own camera has delivered so far (its busiest video source). */
  cameraFrames?: number;
}

/**
 * Totals of the page's live inbound RTP streams, read from getStats. A stream whose transceiver
 * no longer receives (its consumer was closed, e.g. when the other side reconnected) is skipped;
 * of several live video streams, the one shown in #remote-video counts.
 */
export async function inboundStats(page: Page): Promise<InboundStats> {
  return page.evaluate(async () => {
    const result: InboundStats = {};
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections ?? [];
    const shown = ((document.querySelector('#remote-video') as HTMLVideoElement | null)?.srcObject as MediaStream | null)?.getVideoTracks()[0]?.id;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const receiving = new Set(pc.getTransceivers().filter((t) => t.currentDirection === 'recvonly' || t.currentDirection === 'sendrecv').map((t) => t.mid));
      const report = await pc.getStats();
      report.forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp' && !receiving.has(s.mid as string)) return;
        if (s.type === 'inbound-rtp' && s.kind === 'video' && typeof s.framesDecoded === 'number' && (!result.video || s.trackIdentifier === shown)) {
          result.video = {
            frameWidth: (s.frameWidth as number) ?? 0,
            frameHeight: (s.frameHeight as number) ?? 0,
            framesDecoded: s.framesDecoded,
            framesPerSecond: (s.framesPerSecond as number) ?? 0,
            bytesReceived: (s.bytesReceived as number) ?? 0,
          };
        }
        if (s.type === 'outbound-rtp' && s.kind === 'video') {
          result.outboundVideo = {
            frameWidth: (s.frameWidth as number) ?? 0,
            framesPerSecond: (s.framesPerSecond as number) ?? 0,
            qualityLimitationReason: String(s.qualityLimitationReason),
          };
        }
        if (s.type === 'media-source' && s.kind === 'video' && typeof s.frames === 'number') {
          result.cameraFrames = Math.max(result.cameraFrames ?? 0, s.frames);
        }
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          result.audio = { packetsReceived: (s.packetsReceived as number) ?? 0, bytesReceived: (s.bytesReceived as number) ?? 0 };
        }
      });
    }
    return result;
  });
}

/** Average RGB of the central square of a <video>, drawn onto a canvas. */
export async function centreColour(page: Page, selector: string): Promise<[number, number, number]> {
  return page.$eval(selector, (element) => {
    const video = element as HTMLVideoElement;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(video, 0, 0);
    const size = Math.floor(canvas.height / 4);
    const { data } = context.getImageData((canvas.width - size) / 2, (canvas.height - size) / 2, size, size);
    const sum = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
    const n = data.length / 4;
    return [sum[0]! / n, sum[1]! / n, sum[2]! / n] as [number, number, number];
  });
}

/** The strongest frequency (Hz) in the audio track of the <audio> element, via a WebAudio analyser. */
export async function dominantFrequency(page: Page, selector: string): Promise<{ frequency: number; levelDb: number }> {
  return page.$eval(selector, async (element) => {
    const stream = (element as HTMLAudioElement).srcObject as MediaStream;
    const context = new AudioContext();
    await context.resume();
    const source = context.createMediaStreamSource(new MediaStream(stream.getAudioTracks()));
    const analyser = context.createAnalyser();
    analyser.fftSize = 16384;
    analyser.smoothingTimeConstant = 0.5;
    source.connect(analyser);
    await new Promise((r) => setTimeout(r, 1500));
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    let best = 0;
    for (let i = 1; i < bins.length; i++) if (bins[i]! > bins[best]!) best = i;
    await context.close();
    return { frequency: (best * context.sampleRate) / analyser.fftSize, levelDb: bins[best]! };
  });
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
