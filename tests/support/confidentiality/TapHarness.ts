import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { build } from 'vite';

/** The tap page's script: tapPage.ts and mediasoup-client in one IIFE, built on demand. */
async function tapPageScript(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    root: import.meta.dirname,
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      minify: false,
      sourcemap: false,
      lib: { entry: join(import.meta.dirname, 'tapPage.ts'), formats: ['iife'], name: 'TapPage', fileName: () => 'tap.js' },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  const chunk = outputs.flatMap((o) => ('output' in o ? o.output : [])).find((c) => c.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('tap page script not built');
  return chunk.code;
}

export interface TapStats {
  video: { bytesReceived: number; packetsReceived: number; framesDecoded: number; framesReceived: number; keyFramesDecoded: number } | undefined;
  audio: { packetsReceived: number; bytesReceived: number; totalSamplesReceived: number } | undefined;
}

/**
 * Drives the tap planted in the sfu-server (sfuTap.ts) and the third page that plays what it
 * forwards. Test code only.
 */
export class TapHarness {
  private pageServer: { server: Server; url: string } | undefined;

  constructor(private readonly tapUrl: string) {}

  /** The tap page, served from 127.0.0.1 (a secure context, as WebRTC pages need). */
  private async pageUrl(): Promise<string> {
    if (this.pageServer) return this.pageServer.url;
    const script = await tapPageScript();
    const html = '<!doctype html><meta charset="utf-8"><video id="tap-video" autoplay muted playsinline></video><audio id="tap-audio" autoplay></audio><script src="/tap.js"></script>';
    const server = createServer((req, res) => {
      if (req.url === '/tap.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.pageServer = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
    return this.pageServer.url;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => (this.pageServer ? this.pageServer.server.close(resolve) : resolve(undefined)));
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.tapUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
    const json = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new Error(`tap ${path}: ${json.error}`);
    return json;
  }

  /** Tap the meeting's router and play the lawyer's media in `page` (a blank page of its own browser). */
  async tapInto(page: Page, meetingId: string): Promise<void> {
    const url = await this.pageUrl();
    const opened = await this.post<{ transport: { id: string } }>('/tap', { meetingId });
    const transportId = opened.transport.id;
    await page.exposeFunction('tapConnect', (dtlsParameters: unknown) => this.post('/connect', { transportId, dtlsParameters }));
    await page.goto(url);
    await page.waitForFunction(() => typeof window.tapOpen === 'function');
    const rtpCapabilities = await page.evaluate((p) => window.tapOpen(p as never), opened as never);
    const { consumers } = await this.post<{ consumers: unknown[] }>('/consume', { transportId, rtpCapabilities });
    if (consumers.length !== 2) throw new Error(`tap: expected the lawyer's camera and microphone, got ${consumers.length} consumers`);
    await page.evaluate((c) => window.tapConsume(c as never), consumers as never);
  }

  /** What the tap page received and decoded (its own RTCPeerConnection's getStats). */
  async stats(page: Page): Promise<TapStats> {
    return page.evaluate(async () => {
      const report = await window.tapTransportStats();
      const out: { video?: Record<string, number>; audio?: Record<string, number> } = {};
      report.forEach((s: Record<string, unknown>) => {
        if (s.type !== 'inbound-rtp') return;
        const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0);
        if (s.kind === 'video') {
          out.video = { bytesReceived: n('bytesReceived'), packetsReceived: n('packetsReceived'), framesDecoded: n('framesDecoded'), framesReceived: n('framesReceived'), keyFramesDecoded: n('keyFramesDecoded') };
        } else {
          out.audio = { packetsReceived: n('packetsReceived'), bytesReceived: n('bytesReceived'), totalSamplesReceived: n('totalSamplesReceived') };
        }
      });
      return out as TapStats;
    });
  }
}
