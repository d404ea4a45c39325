/**
 * Soak: M meetings of werift seat bots (720p VP8 + Opus both ways) on two SFU nodes and two
 * signaling instances for a fixed time. Every minute it samples the RSS of every process (Redis,
 * each sfu-server, each mediasoup worker, each signaling) and what the seats receive. At the end it
 * asserts: no worker died, no seat failed or had to rejoin, receive loss < 0.5 %, and no process
 * grows: over the samples after warm-up, the least-squares RSS slope stays under
 * `--max-slope-mb-per-hour` (default 30 MB/h) and the last sample under first × 1.25 + 16 MB.
 * Exit code 1 on any failure.
 *
 *   bash tests/loopback-netns.sh node --import tsx tests/soak/soak.ts [--meetings 3] [--minutes 30] [--warmup-minutes 3] [--threads 2]
 *
 * See docs/benchmarks.md (Soak) for the figures of a recorded run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { controlChannels } from '../../sfu-server/src/control/channels';
import { parseNodeEvent, type NodeEvent } from '../../sfu-server/src/control/events';
import type { SfuNodeStatus } from '../../sfu-server/src/control/NodeRegistry';
import { Platform } from '../../deploy/local/Platform';
import { BotFleet, type BotReport } from '../load/BotFleet';
import { SeatBot } from '../load/SeatBot';
import { MeetingFixtures } from '../support/meetingFixtures';

const { values: args } = parseArgs({
  options: {
    meetings: { type: 'string', default: '3' },
    minutes: { type: 'string', default: '30' },
    'warmup-minutes': { type: 'string', default: '3' },
    threads: { type: 'string', default: '2' },
    'sample-seconds': { type: 'string', default: '60' },
    'max-slope-mb-per-hour': { type: 'string', default: '30' },
  },
});
const meetings = Number(args.meetings);
const durationMs = Number(args.minutes) * 60_000;
const sampleMs = Number(args['sample-seconds']) * 1000;
const warmupSamples = Math.round((Number(args['warmup-minutes']) * 60_000) / sampleMs);
const maxSlope = Number(args['max-slope-mb-per-hour']);

const rssOf = (pid: number) => {
  try {
    return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return Number.NaN;
  }
};
/** Least-squares slope of ys over xs. */
const slope = (xs: number[], ys: number[]) => {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
};

const work = mkdtempSync(join(tmpdir(), 'huijian-soak-'));
const platform = await Platform.start({
  varDir: join(work, 'var'),
  sfuNodes: 2,
  sfuWorkers: 1,
  signalingInstances: 2,
  env: { SFU_INITIAL_OUTGOING_BITRATE: '3000000', RATE_ATTEMPTS_PER_IP: '1000000' },
});
const fixtures = new MeetingFixtures(platform);
const fleet = BotFleet.start(Number(args.threads));
const redis = new Redis(platform.redisUrl);
const events: NodeEvent[] = [];
const listener = new Redis(platform.redisUrl);
listener.on('message', (_channel: string, message: string) => {
  const event = parseNodeEvent(message);
  if (event) events.push(event);
});
await listener.subscribe(controlChannels.events);

const failures: string[] = [];
const series = new Map<string, number[]>();
const minutesAt: number[] = [];
let exitCode = 0;
try {
  console.log(`# soak: ${meetings} meetings (${meetings * 2} bots on ${args.threads} threads), 2 SFU nodes × 1 worker, 2 signaling, ${args.minutes} min, sample every ${args['sample-seconds']} s`);
  for (let i = 0; i < meetings; i++) {
    const meeting = await fixtures.meetingNow();
    for (const role of ['lawyer', 'detainee'] as const) {
      await fleet.join({
        // Seats spread over both instances, as behind a load balancer.
        url: platform.signalingUrls[(2 * i + (role === 'lawyer' ? 0 : 1)) % platform.signalingUrls.length]!,
        credential: role === 'lawyer' ? meeting.seatCredential : meeting.boothCredential,
        token: fixtures.token(meeting, role),
        receiveMode: 'headers',
        bandwidthFeedback: false,
      });
    }
  }
  const started = performance.now();
  const first = await fleet.snapshot();
  let previous = first;
  console.log('minute  ' + 'process RSS MB'.padEnd(20) + '  video loss (max over seats)  seats joined');
  while (performance.now() - started < durationMs) {
    await new Promise((r) => setTimeout(r, sampleMs));
    const minute = (performance.now() - started) / 60_000;
    const statuses = (await Promise.all(platform.sfuNodeIds.map(async (id) => redis.get(controlChannels.nodeStatus(id))))).map((raw) => (raw ? (JSON.parse(raw) as SfuNodeStatus) : undefined));
    const processes: [string, number][] = [
      ['redis', platform.redis!.pid],
      ...platform.sfus.map((p, i): [string, number] => [`sfu-${i + 1}`, p.pid]),
      ...statuses.flatMap((s, i) => (s?.workerLoad ?? []).map((w): [string, number] => [`sfu-${i + 1}-worker-${w.index}`, w.pid])),
      ...platform.signalings.map((p, i): [string, number] => [`signaling-${i + 1}`, p.pid]),
    ];
    minutesAt.push(minute);
    const sample: string[] = [];
    for (const [name, pid] of processes) {
      const rss = rssOf(pid);
      (series.get(name) ?? series.set(name, []).get(name)!).push(rss);
      sample.push(`${name} ${rss.toFixed(1)}`);
    }
    const now = await fleet.snapshot();
    const loss = now.map((bot) => lossBetween(previous, bot));
    previous = now;
    console.log(`${minute.toFixed(1).padStart(5)}  ${sample.join(', ')}  loss ${(Math.max(...loss) * 100).toFixed(2)} %  joined ${now.filter((b) => b.state === 'joined').length}/${now.length}`);
  }

  const last = await fleet.snapshot();
  const overall = last.map((bot) => lossBetween(first, bot));
  console.log(`\n# result after ${args.minutes} min`);
  console.log(`video loss over the whole run: max ${(Math.max(...overall) * 100).toFixed(3)} % over ${last.length} seats`);
  const deaths = events.filter((e) => e.type === 'workerDied');
  if (deaths.length > 0) failures.push(`${deaths.length} worker deaths`);
  for (const bot of last) {
    if (bot.state !== 'joined') failures.push(`a ${bot.role} seat is ${bot.state} (${bot.error ?? ''})`);
    if (bot.rejoins > 0) failures.push(`a ${bot.role} seat rejoined ${bot.rejoins}×`);
  }
  if (Math.max(...overall) >= 0.005) failures.push(`video loss ${(Math.max(...overall) * 100).toFixed(2)} % ≥ 0.5 %`);
  console.log('process              first MB  last MB   slope MB/h (after warm-up)');
  for (const [name, values] of series) {
    const xs = minutesAt.slice(warmupSamples).map((m) => m / 60);
    const ys = values.slice(warmupSamples);
    if (ys.length < 2 || ys.some(Number.isNaN)) {
      failures.push(`${name}: not sampled through the run (exited or replaced?)`);
      continue;
    }
    const perHour = slope(xs, ys);
    const firstMb = ys[0]!;
    const lastMb = ys.at(-1)!;
    console.log(`${name.padEnd(20)} ${firstMb.toFixed(1).padStart(8)}  ${lastMb.toFixed(1).padStart(7)}  ${perHour.toFixed(1).padStart(8)}`);
    if (perHour > maxSlope) failures.push(`${name}: RSS grows ${perHour.toFixed(1)} MB/h (bound ${maxSlope})`);
    if (lastMb > firstMb * 1.25 + 16) failures.push(`${name}: RSS ${firstMb.toFixed(1)} → ${lastMb.toFixed(1)} MB`);
  }
  console.log(`worker deaths: ${deaths.length}`);
  console.log(failures.length === 0 ? '\nSOAK PASSED' : `\nSOAK FAILED:\n- ${failures.join('\n- ')}`);
  exitCode = failures.length === 0 ? 0 : 1;
} finally {
  await fleet.stop().catch(() => undefined);
  listener.disconnect();
  redis.disconnect();
  await fixtures.close();
  await platform.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);

function lossBetween(from: BotReport[], bot: BotReport): number {
  const before = from.find((b) => b.id === bot.id);
  if (!before) return 0;
  return SeatBot.window(before.snapshot, bot.snapshot).video.lossRatio;
}
