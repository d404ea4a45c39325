import { writeFileSync } from 'node:fs';

/** An RGB colour and its BT.601 limited-range YUV, as Chromium's fake camera will show it. */
export interface TestColour {
  name: string;
  rgb: [number, number, number];
  yuv: [number, number, number];
}

export const red: TestColour = { name: 'red', rgb: [255, 0, 0], yuv: [81, 90, 240] };
export const blue: TestColour = { name: 'blue', rgb: [0, 0, 255], yuv: [41, 240, 110] };

/**
 * A looping Y4M clip for --use-file-for-fake-video-capture: a solid colour with a white bar that
 * moves across the top tenth, so every frame differs (the encoder keeps its frame rate) while the
 * centre of the picture stays one known colour.
 */
export function writeY4m(path: string, colour: TestColour, width = 1280, height = 720, frames = 15): void {
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  const ySize = width * height;
  const cSize = (width / 2) * (height / 2);
  const frameHeader = Buffer.from('FRAME\n');
  const chunks: Buffer[] = [header];
  const barRows = Math.floor(height / 10);
  const barWidth = 2 * Math.floor(width / 16);
  for (let f = 0; f < frames; f++) {
    const y = Buffer.alloc(ySize, colour.yuv[0]);
    const u = Buffer.alloc(cSize, colour.yuv[1]);
    const v = Buffer.alloc(cSize, colour.yuv[2]);
    const barStart = 2 * Math.floor(((width - barWidth) * f) / frames / 2);
    for (let row = 0; row < barRows; row++) y.fill(235, row * width + barStart, row * width + barStart + barWidth);
    for (let row = 0; row < Math.floor(barRows / 2); row++) {
      u.fill(128, row * (width / 2) + barStart / 2, row * (width / 2) + (barStart + barWidth) / 2);
      v.fill(128, row * (width / 2) + barStart / 2, row * (width / 2) + (barStart + barWidth) / 2);
    }
    chunks.push(frameHeader, y, u, v);
  }
  writeFileSync(path, Buffer.concat(chunks));
}

/** A mono 48 kHz 16-bit WAV of a pure tone, for --use-file-for-fake-audio-capture. */
export function writeToneWav(path: string, frequencyHz: number, seconds = 4, sampleRate = 48000): void {
  const samples = seconds * sampleRate;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate) * 0.5 * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}
