/**
 * Booking benchmark: attempts per second and latency (p50/p99) of POST /api/bookings against a
 * real redis-server, through the same Express app and session checks as production, in two loads:
 *   contention: rounds of 100 simultaneous attempts on one slot with one free seat (1 wins, 99 SLOT_TAKEN);
 *   spread:     attempts spread over many stations, centers and slots, 32 in flight (mostly successes);
 *   and the spread load once more straight on the booking service, to separate HTTP from domain costs.
 * Run: node --import tsx tests/bench/booking.ts [--attempts 3000] [--rounds 30]
 * Client and server share this process and the machine's 2 cores; compare figures within one run.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { BookingHarness, beijing } from '../support/BookingHarness';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const spreadAttempts = option('attempts', 3000);
const rounds = option('rounds', 30);
const inFlight = option('concurrency', 32);

const stations = 30;
const seatsPerStation = 4;
const centers = 10;
const boothsPerCenter = 10;
const lawyers = 400;
const detainees = 400;

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(base: URL, path: string, token: string, body: object): Promise<{ status: number; code?: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: base.hostname, port: base.port, path: `/api${path}`, method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (raw += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, code: res.statusCode === 201 ? undefined : (JSON.parse(raw) as { error: { code: string } }).error.code }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Figures {
  attempts: number;
  seconds: number;
  perSecond: number;
  /** CPU time of this process (server and client) per attempt: what the load costs, whatever else runs on the machine. */
  cpuMsPerAttempt: number;
  p50: number;
  p99: number;
  outcomes: Record<string, number>;
}

function summarise(latencies: number[], outcomes: Record<string, number>, seconds: number, cpu: NodeJS.CpuUsage): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const cpuMsPerAttempt = +((cpu.user + cpu.system) / 1000 / latencies.length).toFixed(3);
  return { attempts: latencies.length, seconds: +seconds.toFixed(2), perSecond: Math.round(latencies.length / seconds), cpuMsPerAttempt, p50: +percentile(sorted, 50).toFixed(2), p99: +percentile(sorted, 99).toFixed(2), outcomes };
}

/**
 * The g-th attempt of the spread load: 30 consecutive attempts share a slot, each at its own
 * station, lawyer and detainee (3 per center, 10 booths each), so nearly all succeed until the
 * seats run out after 4 passes over the stations.
 */
function spreadAttempt(g: number, slots: number[]): { startsAt: number; stationId: string; lawyer: number; detaineeId: string } {
  return { startsAt: slots[Math.floor(g / stations) % slots.length]!, stationId: `st-${g % stations}`, lawyer: g % lawyers, detaineeId: `det-${g % detainees}` };
}

async function seed(h: BookingHarness): Promise<void> {
  const r = h.booking.ctx.resources;
  await r.put('district', { id: 'd1', name: 'District', active: true });
  for (let s = 0; s < stations; s += 1) {
    await r.put('station', { id: `st-${s}`, name: `Station ${s}`, kind: 'police_station', districtId: 'd1', address: `${s} Road`, active: true });
    for (let i = 0; i < seatsPerStation; i += 1) await r.put('seat', { id: `st-${s}-s${i}`, stationId: `st-${s}`, label: `Seat ${i}`, active: true });
  }
  // The contention station has a single seat.
  await r.put('station', { id: 'st-hot', name: 'Hot station', kind: 'police_station', districtId: 'd1', address: 'Hot Road', active: true });
  await r.put('seat', { id: 'st-hot-s0', stationId: 'st-hot', label: 'Seat', active: true });
  for (let c = 0; c < centers; c += 1) {
    await r.put('center', { id: `dc-${c}`, name: `Center ${c}`, kind: 'detention_center', districtId: 'd1', address: `${c} Gate`, active: true });
    for (let i = 0; i < boothsPerCenter; i += 1) await r.put('booth', { id: `dc-${c}-b${i}`, centerId: `dc-${c}`, label: `Booth ${i}`, active: true });
  }
  for (let l = 0; l < lawyers; l += 1) {
    await r.put('lawyer', { id: `law-${l}`, name: `Lawyer ${l}`, firm: 'Firm', licenceNumber: `L${String(l).padStart(10, '0')}`, phone: `1380000${String(l).padStart(4, '0')}`, locale: 'zh-CN', active: true });
  }
  for (let d = 0; d < detainees; d += 1) {
    await r.put('detainee', { id: `det-${d}`, centerId: `dc-${d % centers}`, name: `D ${d}`, caseReference: `C-${d}`, procedureStage: 'trial', active: true });
  }
}

async function main(): Promise<void> {
  const [load1] = (await import('node:os')).loadavg();
  console.log(`machine: ${(await import('node:os')).cpus().length} cores, load average ${load1!.toFixed(2)} at start`);
  const h = await BookingHarness.start({ now: beijing('2026-12-07', '10:00'), policies: { default: { horizonDays: 30 }, centers: {} } });
  try {
    await seed(h);
    const base = new URL(h.baseUrl);
    const tokens = Array.from({ length: lawyers }, (_, l) => h.session('lawyer', `law-${l}`));
    const slots = (await h.booking.ctx.search.search({ centerId: 'dc-0', stationIds: ['st-0'], limit: 200 }, h.clock.now())).map((s) => s.startsAt);
    console.log(`seeded ${stations + 1} stations, ${centers} centers, ${lawyers} lawyers, ${detainees} detainees; ${slots.length} bookable slots`);

    // Warm-up: JIT, connection pool, script cache.
    for (let i = 0; i < 200; i += 1) await post(base, '/bookings', tokens[i % lawyers]!, { detaineeId: `det-${i % detainees}`, stationId: 'st-0', startsAt: 1 });

    // Contention: each round, 100 lawyers for 100 detainees race for the hot station's only seat in one slot.
    {
      const latencies: number[] = [];
      const outcomes: Record<string, number> = {};
      const started = performance.now();
      const cpu = process.cpuUsage();
      for (let round = 0; round < rounds; round += 1) {
        const startsAt = slots[round % slots.length]!;
        await Promise.all(
          Array.from({ length: 100 }, async (_, i) => {
            const t0 = performance.now();
            const answer = await post(base, '/bookings', tokens[(round * 7 + i) % lawyers]!, { detaineeId: `det-${(round * 13 + i) % detainees}`, stationId: 'st-hot', startsAt });
            latencies.push(performance.now() - t0);
            const key = answer.code ?? 'BOOKED';
            outcomes[key] = (outcomes[key] ?? 0) + 1;
          }),
        );
      }
      const figures = summarise(latencies, outcomes, (performance.now() - started) / 1000, process.cpuUsage(cpu));
      console.log('contention (100-way on one slot):', JSON.stringify(figures));
    }

    // Spread: distinct lawyer, detainee and station per attempt where possible, 32 in flight.
    {
      const latencies: number[] = [];
      const outcomes: Record<string, number> = {};
      let next = 0;
      const started = performance.now();
      const cpu = process.cpuUsage();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          for (let i = next++; i < spreadAttempts; i = next++) {
            const a = spreadAttempt(i, slots);
            const t0 = performance.now();
            const answer = await post(base, '/bookings', tokens[a.lawyer]!, { detaineeId: a.detaineeId, stationId: a.stationId, startsAt: a.startsAt });
            latencies.push(performance.now() - t0);
            const key = answer.code ?? 'BOOKED';
            outcomes[key] = (outcomes[key] ?? 0) + 1;
          }
        }),
      );
      const figures = summarise(latencies, outcomes, (performance.now() - started) / 1000, process.cpuUsage(cpu));
      console.log(`spread (${inFlight} in flight):`, JSON.stringify(figures));
    }

    // The same spread load on the booking service itself (no HTTP, no session check), to show what the domain and Redis cost.
    {
      const latencies: number[] = [];
      const outcomes: Record<string, number> = {};
      let next = 0;
      const started = performance.now();
      const cpu = process.cpuUsage();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          for (let i = next++; i < spreadAttempts; i = next++) {
            const a = spreadAttempt(spreadAttempts + i, slots);
            const t0 = performance.now();
            const key = await h.booking.desk
              .book({ username: `law-${a.lawyer}`, role: 'lawyer', name: 'bench', siteId: `law-${a.lawyer}` }, { detaineeId: a.detaineeId, stationId: a.stationId, startsAt: a.startsAt })
              .then(
                () => 'BOOKED',
                (error: { code?: string; details?: { side?: string } }) => [error.code ?? String(error), error.details?.side].filter(Boolean).join(':'),
              );
            latencies.push(performance.now() - t0);
            outcomes[key] = (outcomes[key] ?? 0) + 1;
          }
        }),
      );
      const figures = summarise(latencies, outcomes, (performance.now() - started) / 1000, process.cpuUsage(cpu));
      console.log(`service only, spread (${inFlight} in flight):`, JSON.stringify(figures));
    }
  } finally {
    agent.destroy();
    await h.stop();
  }
}

await main();
