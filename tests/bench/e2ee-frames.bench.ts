/**
 * Cost of end-to-end frame encryption, per frame, as the frame worker does it (FrameSealer and
 * FrameOpener with the real layouts), here in Node's WebCrypto (OpenSSL AES-GCM; Chromium's
 * BoringSSL is of the same order). Prints figures; asserts nothing.
 *
 *   node --import tsx tests/bench/e2ee-frames.bench.ts [--seconds 3]
 */
import { performance } from 'node:perf_hooks';
import { layoutOf, type FrameCodec } from '../../clients/common/e2ee/codecs';
import { FrameOpener, FrameSealer } from '../../clients/common/e2ee/FrameCipher';
import { exchangeKeys, h264KeyFrame, opusFrame, vp8DeltaFrame, vp8KeyFrame } from '../../clients/common/e2ee/frameProtection.fixtures';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 3;

const cases: { name: string; codec: FrameCodec; frame: Uint8Array; perSecond: number }[] = [
  { name: 'Opus 20 ms (120 B)', codec: 'opus', frame: opusFrame(120), perSecond: 50 },
  { name: 'VP8 720p delta (10 KB)', codec: 'vp8', frame: vp8DeltaFrame(10_000), perSecond: 30 },
  { name: 'VP8 720p key (80 KB)', codec: 'vp8', frame: vp8KeyFrame(80_000), perSecond: 0 },
  { name: 'H264 key, 3 NAL units (0.6 KB)', codec: 'h264', frame: h264KeyFrame(), perSecond: 0 },
];

const { atLawyer, atDetainee } = await exchangeKeys('m-bench');
const sealer = new FrameSealer(atLawyer.lawyer);
const opener = new FrameOpener();
opener.addKey(atDetainee.lawyer);

console.log(`frame encryption, ${seconds} s per case, Node ${process.version}`);
let budget = 0;
for (const { name, codec, frame, perSecond } of cases) {
  const layout = layoutOf(codec);
  let frames = 0;
  let sealMs = 0;
  let openMs = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const t0 = performance.now();
    const wire = await sealer.seal(layout, frame);
    const t1 = performance.now();
    await opener.open(layout, wire);
    sealMs += t1 - t0;
    openMs += performance.now() - t1;
    frames++;
  }
  const sealUs = (sealMs * 1000) / frames;
  const openUs = (openMs * 1000) / frames;
  budget += ((sealUs + openUs) * perSecond) / 1e6;
  console.log(
    `${name.padEnd(32)} seal ${sealUs.toFixed(1).padStart(7)} µs  open ${openUs.toFixed(1).padStart(7)} µs  ` +
      `(${((frame.length * frames) / ((sealMs + openMs) / 1000) / 1e6).toFixed(0)} MB/s sealed+opened, ${frames} frames)`,
  );
}
console.log(`one seat sending and receiving Opus + 720p30 VP8 deltas: ${(budget * 100).toFixed(2)}% of one core for the crypto`);
