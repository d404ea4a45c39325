import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One pre-encoded video layer: VP8 frames of a looping clip. */
export interface VideoLayer {
  width: number;
  height: number;
  /** Bitrate the encoder was asked for, bits per second. */
  targetBitrate: number;
  frames: Buffer[];
  /** Indices of the key frames (the same in every layer). */
  keyFrames: number[];
}

/** A looping clip: pre-encoded VP8 layers (lowest first) and Opus packets, ready to packetize. */
export interface MediaClip {
  fps: number;
  video: VideoLayer[];
  /** Opus packets of 20 ms each. */
  audio: Buffer[];
}

export interface ClipMeta {
  version: number;
  fps: number;
  layers: { width: number; height: number; targetBitrate: number; file: string; keyFrames: number[] }[];
  audio: { file: string; packetMs: number };
}

/** Bumped whenever the generator changes what it writes. */
export const clipVersion = 1;

/**
 * Frames are stored length-prefixed (u32 big-endian + bytes) in one file per stream: simpler than
 * IVF/Ogg and enough for a clip that is only ever read by the load generator.
 */
export function writeFrames(path: string, frames: Buffer[]): void {
  const chunks: Buffer[] = [];
  for (const frame of frames) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(frame.length);
    chunks.push(length, frame);
  }
  writeFileSync(path, Buffer.concat(chunks));
}

export function readFrames(path: string): Buffer[] {
  const data = readFileSync(path);
  const frames: Buffer[] = [];
  for (let offset = 0; offset < data.length; ) {
    const length = data.readUInt32BE(offset);
    frames.push(data.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return frames;
}

export function writeClip(dir: string, clip: MediaClip): void {
  mkdirSync(dir, { recursive: true });
  const meta: ClipMeta = {
    version: clipVersion,
    fps: clip.fps,
    layers: clip.video.map((layer) => ({
      width: layer.width,
      height: layer.height,
      targetBitrate: layer.targetBitrate,
      file: `video-${layer.height}p.vp8frames`,
      keyFrames: layer.keyFrames,
    })),
    audio: { file: 'audio.opusframes', packetMs: 20 },
  };
  clip.video.forEach((layer, i) => writeFrames(join(dir, meta.layers[i]!.file), layer.frames));
  writeFrames(join(dir, meta.audio.file), clip.audio);
  writeFileSync(join(dir, 'clip.json'), `${JSON.stringify(meta, null, 2)}\n`);
}

/** The clip stored in `dir`, or undefined if it is missing or from another generator version. */
export function readClip(dir: string): MediaClip | undefined {
  const metaFile = join(dir, 'clip.json');
  if (!existsSync(metaFile)) return undefined;
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as ClipMeta;
  if (meta.version !== clipVersion) return undefined;
  return {
    fps: meta.fps,
    video: meta.layers.map((layer) => ({
      width: layer.width,
      height: layer.height,
      targetBitrate: layer.targetBitrate,
      keyFrames: layer.keyFrames,
      frames: readFrames(join(dir, layer.file)),
    })),
    audio: readFrames(join(dir, meta.audio.file)),
  };
}
