/**
 * Encodes the load generator's clip once, with Chromium's own libvpx and libopus through
 * WebCodecs: 10 s of a moving 30 fps picture in three VP8 layers (180p, 360p, 720p; the same key
 * frames in each, every 2 s) and a 440 Hz tone as 20 ms Opus packets.
 *
 * Run it under the machine's browser lock:
 *   flock /tmp/huijian-browser.lock node --import tsx tests/load/clip/encodeClip.ts [dir]
 * (loadClip() does that by itself when the clip is missing).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchChromium } from '../../support/browser';
import { writeClip, type MediaClip } from './clipFormat';
import { defaultClipDir } from './loadClip';

export const clipLayers = [
  { width: 320, height: 180, bitrate: 150_000 },
  { width: 640, height: 360, bitrate: 500_000 },
  { width: 1280, height: 720, bitrate: 1_800_000 },
];
const fps = 30;
const seconds = 10;
const keyFrameEvery = 2 * fps;

interface EncodedInPage {
  video: { frames: string[]; keyFrames: number[] }[];
  audio: string[];
}

export async function encodeClip(dir: string): Promise<void> {
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>clip</title>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const chromium = await launchChromium();
  try {
    const page = await chromium.browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    // tsx keeps function names with a __name() helper that does not exist inside the page.
    await page.evaluate('globalThis.__name = (fn) => fn');
    const encoded = (await page.evaluate(encodeInPage, { layers: clipLayers, fps, frames: seconds * fps, keyFrameEvery })) as EncodedInPage;
    const clip: MediaClip = {
      fps,
      video: clipLayers.map((layer, i) => ({
        width: layer.width,
        height: layer.height,
        targetBitrate: layer.bitrate,
        frames: encoded.video[i]!.frames.map((b64) => Buffer.from(b64, 'base64')),
        keyFrames: encoded.video[i]!.keyFrames,
      })),
      audio: encoded.audio.map((b64) => Buffer.from(b64, 'base64')),
    };
    writeClip(dir, clip);
    for (const layer of clip.video) {
      const bytes = layer.frames.reduce((sum, f) => sum + f.length, 0);
      console.log(`${layer.width}x${layer.height}: ${layer.frames.length} frames, ${((bytes * 8) / seconds / 1000).toFixed(0)} kbps, key frames ${layer.keyFrames.join(',')}`);
    }
    console.log(`opus: ${clip.audio.length} packets, ${((clip.audio.reduce((s, p) => s + p.length, 0) * 8) / seconds / 1000).toFixed(0)} kbps`);
  } finally {
    await chromium.close();
    server.close();
  }
}

/** Runs inside the page: draws each frame on a canvas, encodes it per layer, encodes the tone. */
async function encodeInPage(args: { layers: typeof clipLayers; fps: number; frames: number; keyFrameEvery: number }): Promise<EncodedInPage> {
  const toBase64 = (data: Uint8Array) => {
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return btoa(binary);
  };
  const top = args.layers[args.layers.length - 1]!;
  const canvas = new OffscreenCanvas(top.width, top.height);
  const context = canvas.getContext('2d')!;
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);

  const video = await Promise.all(
    args.layers.map(async (layer) => {
      const frames: string[] = [];
      const keyFrames: number[] = [];
      let failure: unknown;
      const encoder = new VideoEncoder({
        output: (chunk) => {
          const data = new Uint8Array(chunk.byteLength);
          chunk.copyTo(data);
          if (chunk.type === 'key') keyFrames.push(frames.length);
          frames.push(toBase64(data));
        },
        error: (error) => (failure = error),
      });
      encoder.configure({
        codec: 'vp8',
        width: layer.width,
        height: layer.height,
        bitrate: layer.bitrate,
        framerate: args.fps,
        latencyMode: 'realtime',
        bitrateMode: 'constant',
      });
      return { encoder, frames, keyFrames, failure: () => failure, layer };
    }),
  );

  for (let i = 0; i < args.frames; i++) {
    // A slowly shifting gradient, moving blocks and speckle: enough detail for a realistic bitrate.
    const t = i / args.fps;
    const gradient = context.createLinearGradient(0, 0, top.width, top.height);
    gradient.addColorStop(0, `hsl(${(t * 20) % 360} 60% 45%)`);
    gradient.addColorStop(1, `hsl(${(t * 20 + 180) % 360} 60% 35%)`);
    context.fillStyle = gradient;
    context.fillRect(0, 0, top.width, top.height);
    for (let b = 0; b < 12; b++) {
      context.fillStyle = `hsl(${b * 30} 80% 60%)`;
      const x = ((b * 97 + i * (4 + b)) % (top.width + 200)) - 100;
      const y = (b * 53 + Math.sin(t + b) * 200 + top.height) % top.height;
      context.fillRect(x, y, 80 + b * 6, 60 + b * 4);
    }
    for (let s = 0; s < 1500; s++) {
      context.fillStyle = random() > 0.5 ? '#fff' : '#000';
      context.fillRect(random() * top.width, random() * top.height, 3, 3);
    }
    const source = new VideoFrame(canvas, { timestamp: Math.round((i * 1e6) / args.fps), duration: Math.round(1e6 / args.fps) });
    for (const { encoder, layer } of video) {
      const scaled = new OffscreenCanvas(layer.width, layer.height);
      scaled.getContext('2d')!.drawImage(canvas, 0, 0, layer.width, layer.height);
      const frame = layer.width === top.width ? source : new VideoFrame(scaled, { timestamp: source.timestamp, duration: source.duration ?? undefined });
      encoder.encode(frame, { keyFrame: i % args.keyFrameEvery === 0 });
      if (frame !== source) frame.close();
    }
    source.close();
    // Keep the encoders' queues short so memory stays flat.
    while (video.some((v) => v.encoder.encodeQueueSize > 4)) await new Promise((r) => setTimeout(r, 5));
  }
  for (const v of video) {
    await v.encoder.flush();
    if (v.failure()) throw new Error(`VP8 encoding failed: ${String(v.failure())}`);
    v.encoder.close();
  }

  const audio: string[] = [];
  let audioFailure: unknown;
  const sampleRate = 48000;
  const audioEncoder = new AudioEncoder({
    output: (chunk) => {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      audio.push(toBase64(data));
    },
    error: (error) => (audioFailure = error),
  });
  audioEncoder.configure({ codec: 'opus', sampleRate, numberOfChannels: 1, bitrate: 32_000, opus: { frameDuration: 20_000 } } as AudioEncoderConfig);
  const packetSamples = sampleRate / 50;
  const totalSamples = (args.frames / args.fps) * sampleRate;
  for (let start = 0; start < totalSamples; start += packetSamples) {
    const samples = new Float32Array(packetSamples);
    for (let n = 0; n < packetSamples; n++) samples[n] = 0.3 * Math.sin((2 * Math.PI * 440 * (start + n)) / sampleRate);
    const data = new AudioData({ format: 'f32', sampleRate, numberOfFrames: packetSamples, numberOfChannels: 1, timestamp: Math.round((start * 1e6) / sampleRate), data: samples });
    audioEncoder.encode(data);
    data.close();
  }
  await audioEncoder.flush();
  if (audioFailure) throw new Error(`Opus encoding failed: ${String(audioFailure)}`);
  audioEncoder.close();
  return { video: video.map((v) => ({ frames: v.frames, keyFrames: v.keyFrames })), audio };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await encodeClip(process.argv[2] ?? defaultClipDir);
}
