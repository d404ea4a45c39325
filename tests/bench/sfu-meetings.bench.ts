/**
 * SFU capacity benchmark: N synthetic 720p30 meetings on ONE mediasoup worker, driven by werift
 * seat bots that join through the real signaling with real booking tokens, send a pre-encoded
 * VP8 + Opus clip and count what they receive. Reports the worker's CPU per meeting (from
 * worker.getResourceUsage(), via the node's health reports), memory per meeting (worker and node
 * RSS), receive loss and join times.
 *
 *   bash tests/loopback-netns.sh node --import tsx tests/bench/sfu-meetings.bench.ts \
 *     [--meetings 1,2,4,6] [--seconds 20] [--warmup 8] [--single-layer] [--decrypt] [--bwe] [--threads 2] [--perf]
 *
 * Figures are ratios within one run: the machine is shared, so compare N against N, not against
 * another day. See docs/benchmarks.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { controlChannels } from '../../sfu-server/src/control/channels';
import type { HealthReport } from '../../sfu-server/src/control/healthReport';
import { Platform } from '../../deploy/local/Platform';
import { BotFleet, type BotReport } from '../load/BotFleet';
import { SeatBot } from '../load/SeatBot';
import { MeetingFixtures } from '../support/meetingFixtures';

const { values: args } = parseArgs({
  options: {
    meetings: { type: 'string', default: '1,2,4,6' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '8' },
    'single-layer': { type: 'boolean', default: false },
    decrypt: { type: 'boolean', default: false },
    /** Receivers send transport-wide feedback, so the SFU's downlink estimate (and layer choice) is live. */
    bwe: { type: 'boolean', default: false },
    threads: { type: 'string', default: '2' },
    /** Profile the worker with `perf` during the last step and print where its time goes. */
    perf: { type: 'boolean', default: false },
  },
});
const steps = args.meetings.split(',').map(Number).sort((a, b) => a - b);
const windowMs = Number(args.seconds) * 1000;
const warmupMs = Number(args.warmup) * 1000;
const healthIntervalMs = 2000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : 0);
const rssOf = (pid: number) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
/** Datagrams the kernel dropped because a UDP socket's receive buffer was full (this network namespace). */
function udpReceiveBufferDrops(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((line) => line.startsWith('Udp:'));
  const [names, values] = lines.map((line) => line.split(/\s+/));
  const index = names?.indexOf('RcvbufErrors') ?? -1;
  return index > 0 ? Number(values?.[index] ?? 0) : 0;
}

interface StepResult {
  meetings: number;
  /** Every receiver got 720p video (> 1.5 Mb/s, top layer) with < 0.5 % loss: the generator kept up. */
  valid: boolean;
  sfuIngressLossMax: number;
  workerCpu: number;
  workerRss: number;
  nodeRss: number;
  videoLossMax: number;
  videoLossMean: number;
  audioLossMax: number;
  videoKbps: number;
  layers: string;
  botCpu: number;
  udpDrops: number;
}

const work = mkdtempSync(join(tmpdir(), 'huijian-bench-'));
const platform = await Platform.start({
  varDir: join(work, 'var'),
  sfuWorkers: 1,
  // Every bot connects from 127.0.0.1: the per-IP connection limit is for real terminals, not this generator.
  env: { SFU_HEALTH_INTERVAL_MS: String(healthIntervalMs), SFU_INITIAL_OUTGOING_BITRATE: '3000000', RATE_ATTEMPTS_PER_IP: '1000000' },
});
const fixtures = new MeetingFixtures(platform);
const fleet = BotFleet.start(Number(args.threads));
const reports: HealthReport[] = [];
const listener = new Redis(platform.redisUrl);
listener.on('message', (_channel: string, message: string) => reports.push(JSON.parse(message) as HealthReport));
await listener.subscribe(controlChannels.health);

const results: StepResult[] = [];
const joins: BotReport[] = [];
try {
  console.log(
    `# ${steps.join(', ')} meetings on 1 worker; ${args['single-layer'] ? 'single 720p layer' : 'simulcast 180p/360p/720p'} senders; ` +
      `${args.decrypt ? 'decrypting' : 'header-only'} receivers ${args.bwe ? 'with' : 'without'} bandwidth feedback; ${args.threads} bot threads; window ${args.seconds} s after ${args.warmup} s warm-up`,
  );
  results.push(await measureStep(0));
  let meetings = 0;
  for (const target of steps) {
    for (; meetings < target; meetings++) {
      const meeting = await fixtures.meetingNow();
      for (const role of ['lawyer', 'detainee'] as const) {
        joins.push(
          await fleet.join({
            url: platform.signalingUrl,
            credential: role === 'lawyer' ? meeting.seatCredential : meeting.boothCredential,
            token: fixtures.token(meeting, role),
            simulcast: !args['single-layer'],
            receiveMode: args.decrypt ? 'decrypt' : 'headers',
            bandwidthFeedback: args.bwe,
          }),
        );
      }
    }
    await sleep(warmupMs);
    results.push(await measureStep(target, args.perf && target === steps.at(-1)));
  }
  printResults();
} finally {
  await fleet.stop().catch(() => undefined);
  listener.disconnect();
  await fixtures.close();
  await platform.stop();
  rmSync(work, { recursive: true, force: true });
}

async function measureStep(meetings: number, profile = false): Promise<StepResult> {
  const from = await fleet.snapshot();
  const dropsFrom = udpReceiveBufferDrops();
  const cpuFrom = process.cpuUsage();
  const started = Date.now();
  const workerPid = reports.at(-1)?.workers[0]?.pid;
  const perfData = join(work, 'perf.data');
  const perf = profile && workerPid ? spawn('perf', ['record', '-g', '-o', perfData, '-p', String(workerPid), '--', 'sleep', String(windowMs / 1000)], { stdio: 'ignore' }) : undefined;
  await sleep(windowMs);
  if (perf) {
    await new Promise((r) => perf.once('exit', r));
    const report = spawnSync('perf', ['report', '-i', perfData, '--no-children', '--sort', 'dso,symbol', '--stdio'], { encoding: 'utf8' });
    const top = report.stdout
      .split('\n')
      .filter((line) => /^\s+\d+\.\d+%/.test(line))
      .slice(0, 25)
      .map((line) => line.replace(/[\s-]+$/, '').replace(/\s{2,}/g, '  '));
    console.log(`perf: where the worker's time goes at N=${meetings} (self time, top 25)\n${top.join('\n')}`);
  }
  const to = await fleet.snapshot();
  const udpDrops = udpReceiveBufferDrops() - dropsFrom;
  const botCpu = (() => {
    const used = process.cpuUsage(cpuFrom);
    return (used.user + used.system) / 1000 / (Date.now() - started);
  })();
  const inWindow = reports.filter((r) => r.at > started + healthIntervalMs && r.at <= Date.now());
  const worker = inWindow.map((r) => r.workers[0]!).filter(Boolean);
  const windows = to.map((end) => {
    const start = from.find((b) => b.id === end.id);
    return start ? SeatBot.window(start.snapshot, end.snapshot) : undefined;
  });
  const valid = windows.filter((w): w is NonNullable<typeof w> => w !== undefined);
  const layers = new Map<string, number>();
  let sfuIngressLossMax = 0;
  const last = inWindow.at(-1);
  for (const meeting of last?.meetings ?? []) {
    for (const seat of Object.values(meeting.seats)) {
      for (const stream of seat.outbound) {
        if (stream.kind === 'video') layers.set(String(stream.spatialLayer ?? 'single'), (layers.get(String(stream.spatialLayer ?? 'single')) ?? 0) + 1);
      }
      for (const stream of seat.inbound) sfuIngressLossMax = Math.max(sfuIngressLossMax, stream.fractionLost);
    }
  }
  const topLayerEverywhere = [...layers.keys()].every((layer) => layer === '2' || (layer === 'single' && args['single-layer']));
  const result: StepResult = {
    meetings,
    valid:
      meetings === 0 ||
      (layers.size > 0 &&
        topLayerEverywhere &&
        valid.length === meetings * 2 &&
        valid.every((w) => w.video.lossRatio < 0.005 && w.video.bitrate > 1_500_000) &&
        to.every((b) => b.state === 'joined')),
    sfuIngressLossMax,
    workerCpu: mean(worker.map((w) => w.cpuRatio)),
    workerRss: median(worker.map((w) => w.rssBytes)),
    nodeRss: rssOf(platform.sfu!.pid),
    videoLossMax: Math.max(0, ...valid.map((w) => w.video.lossRatio)),
    videoLossMean: mean(valid.map((w) => w.video.lossRatio)),
    audioLossMax: Math.max(0, ...valid.map((w) => w.audio.lossRatio)),
    videoKbps: mean(valid.map((w) => w.video.bitrate / 1000)),
    udpDrops,
    layers: [...layers].map(([layer, count]) => `${layer}:${count}`).join(' ') || '-',
    botCpu,
  };
  const failed = to.filter((b) => b.state !== 'joined');
  console.log(
    `N=${meetings}: worker ${(result.workerCpu * 100).toFixed(1)} % of a core (${worker.length} samples), worker RSS ${mb(result.workerRss)} MB, node RSS ${mb(result.nodeRss)} MB, ` +
      `video ${result.videoKbps.toFixed(0)} kb/s per receiver, loss max ${(result.videoLossMax * 100).toFixed(2)} % mean ${(result.videoLossMean * 100).toFixed(3)} %, ` +
      `SFU ingress loss max ${(sfuIngressLossMax * 100).toFixed(1)} %, kernel UDP receive-buffer drops ${udpDrops}, layers ${result.layers}${result.valid ? '' : ' [GENERATOR SATURATED: step excluded]'}` +
      (failed.length ? `, NOT JOINED: ${failed.map((b) => `${b.role} ${b.state} ${b.error ?? ''}`).join('; ')}` : ''),
  );
  return result;
}

function printResults(): void {
  const idle = results[0]!;
  const usable = results.filter((r) => r.valid);
  const loaded = usable.slice(1);
  if (loaded.length === 0) {
    console.log('\nno step ran clean (every one saturated the load generator); nothing to report');
    return;
  }
  // Least-squares slopes over the clean steps (idle included): CPU and memory per meeting.
  const slopeOf = (ys: number[]) => {
    const xs = usable.map((r) => r.meetings);
    const mx = mean(xs);
    const my = mean(ys);
    return xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  };
  const slope = slopeOf(usable.map((r) => r.workerCpu));
  const last = results.at(-1)!;
  const memorySlope = slopeOf(usable.map((r) => r.workerRss));
  // The node's RSS moves with V8's garbage collector; its slope is indicative only.
  const nodeMemorySlope = slopeOf(usable.map((r) => r.nodeRss));
  console.log('\n| meetings | worker CPU (% of a core) | per meeting | worker RSS MB | node RSS MB | video kb/s per receiver | receive loss max / mean | forwarded layers | clean |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.meetings} | ${(r.workerCpu * 100).toFixed(1)} | ${r.meetings ? (((r.workerCpu - idle.workerCpu) / r.meetings) * 100).toFixed(2) : '-'} | ${mb(r.workerRss)} | ${mb(r.nodeRss)} | ` +
        `${r.meetings ? r.videoKbps.toFixed(0) : '-'} | ${r.meetings ? `${(r.videoLossMax * 100).toFixed(2)} % / ${(r.videoLossMean * 100).toFixed(3)} %` : '-'} | ${r.layers} | ${r.valid ? 'yes' : 'no'} |`,
    );
  }
  const joinMs = joins.map((j) => j.joinMs ?? NaN).filter(Number.isFinite);
  console.log(`\nCPU per meeting (least-squares slope, idle included): ${(slope * 100).toFixed(2)} % of a core -> ${slope > 0 ? Math.floor(1 / slope) : '∞'} meetings per core at this rate`);
  console.log(`memory per meeting (least-squares slope): worker ${mb(memorySlope)} MB, node process ${mb(nodeMemorySlope)} MB (GC-dependent)`);
  console.log(`join (socket connect to join ack): median ${median(joinMs).toFixed(0)} ms, max ${Math.max(...joinMs).toFixed(0)} ms over ${joinMs.length} seats`);
  console.log(`bench process CPU (bots are in worker threads, counted here): ${(last.botCpu * 100).toFixed(0)} % of a core at N=${last.meetings}`);
}
