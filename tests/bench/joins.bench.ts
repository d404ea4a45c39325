/**
 * Token-gated joins per second per signaling core. One signaling process (plus Redis and one SFU
 * node) and load threads in this process that open `/meeting` connections through the real gate
 * (device credential + ES256 booking token + meeting, window, revocation and seat checks + audit
 * entry), optionally send `join` (placement on the SFU node), and disconnect, as fast as they can.
 * Reports admitted connections per wall second, the signaling process's CPU over the same window
 * (from /proc), and their ratio: joins per signaling CPU-second = per core.
 *
 *   bash tests/loopback-netns.sh node --import tsx tests/bench/joins.bench.ts [--seconds 20] [--concurrency 32] [--threads 2] [--meetings 50] [--join] [--profile]
 *
 * `--profile` profiles signaling with V8's CPU profiler (cpuProfilePreload.ts) and prints where its time went.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { PROTOCOL_VERSION } from '@huijian/signaling/protocol';
import { readdirSync } from 'node:fs';
import { Platform } from '../../deploy/local/Platform';
import { summarise } from './cpuProfileSummary';
import { MeetingFixtures } from '../support/meetingFixtures';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32' },
    threads: { type: 'string', default: '2' },
    meetings: { type: 'string', default: '50' },
    join: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const durationMs = Number(args.seconds) * 1000;
const clockTicks = 100; // USER_HZ on Linux
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime + stime
};
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

const work = mkdtempSync(join(tmpdir(), 'huijian-joins-'));
const platform = await Platform.start({
  varDir: join(work, 'var'),
  env: {
    RATE_ATTEMPTS_PER_IP: '1000000',
    RATE_JOINS_PER_DEVICE: '1000000',
    ...(args.profile ? { CPU_PROFILE_DIR: join(work, 'prof') } : {}),
  },
  ...(args.profile ? { preload: { signaling: [new URL('./cpuProfilePreload.ts', import.meta.url).pathname] } } : {}),
});
let signalingPid = 0;
const fixtures = new MeetingFixtures(platform);
try {
  const auths: Record<string, unknown>[] = [];
  for (let i = 0; i < Number(args.meetings); i++) {
    const meeting = await fixtures.meetingNow();
    auths.push({ protocol: PROTOCOL_VERSION, credential: meeting.seatCredential, token: fixtures.token(meeting, 'lawyer') });
    auths.push({ protocol: PROTOCOL_VERSION, credential: meeting.boothCredential, token: fixtures.token(meeting, 'detainee') });
  }
  signalingPid = platform.signaling!.pid;
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./joinLoadThread.ts', import.meta.url).href)}); })`;
  const threads = Number(args.threads);
  console.log(`# ${args.join ? 'handshake + join' : 'handshake through the gate'}, ${threads} load threads × ${args.concurrency} in flight, ${args.seconds} s, ${auths.length} terminals`);
  const cpuBefore = cpuSeconds(signalingPid);
  const wallBefore = performance.now();
  const results = await Promise.all(
    Array.from(
      { length: threads },
      (_, t) =>
        new Promise<{ latencies: number[]; refusals: Record<string, number> }>((resolve, reject) => {
          const worker = new Worker(bootstrap, {
            eval: true,
            workerData: { url: platform.signalingUrl, auths: auths.filter((_, i) => i % threads === t), concurrency: Number(args.concurrency), durationMs, withJoin: args.join },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const wall = (performance.now() - wallBefore) / 1000;
  const cpu = cpuSeconds(signalingPid) - cpuBefore;
  const latencies = results.flatMap((r) => r.latencies);
  const refusals: Record<string, number> = {};
  for (const r of results) for (const [code, n] of Object.entries(r.refusals)) refusals[code] = (refusals[code] ?? 0) + n;
  const perSecond = latencies.length / wall;
  console.log(`admitted: ${latencies.length} in ${wall.toFixed(1)} s = ${perSecond.toFixed(0)}/s; refused: ${JSON.stringify(refusals)}`);
  console.log(`latency: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p95 ${quantile(latencies, 0.95).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms`);
  console.log(`signaling CPU: ${cpu.toFixed(1)} s over ${wall.toFixed(1)} s = ${((cpu / wall) * 100).toFixed(0)} % of a core`);
  console.log(`=> ${(latencies.length / cpu).toFixed(0)} joins per signaling CPU-second (per core); goal ≥ 1000`);
} finally {
  await fixtures.close();
  await platform.stop();
  if (args.profile) {
    const file = readdirSync(join(work, 'prof')).find((name) => name === `${signalingPid}.cpuprofile`);
    console.log(file ? `\n# signaling CPU profile\n${summarise(join(work, 'prof', file))}` : '\n(no signaling profile written)');
  }
  rmSync(work, { recursive: true, force: true });
}
