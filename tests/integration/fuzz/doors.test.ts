import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PersonAccounts } from '../../../signaling/src/auth/PersonAccounts';
import { DoorFuzzer } from '../../fuzz/DoorFuzzer';
import { restTargets } from '../../fuzz/restTargets';
import { PROTOCOL_VERSION } from '@huijian/signaling/protocol';
import { SeatBot } from '../../load/SeatBot';
import { harnessStartMs, SfuHarness, waitForVideo } from '../sfu/sfuHarness';

/** 1,000 here; the full run is `FUZZ_COUNT=10000 npm run test:integration -- tests/integration/fuzz` (docs/benchmarks.md). */
const count = Number(process.env.FUZZ_COUNT ?? 1000);
const seed = Number(process.env.FUZZ_SEED ?? 20261128);

/**
 * Malformed Socket.IO events, handshakes, raw packets and REST bodies against the running
 * platform (two signaling instances, one SFU node with two workers) while a real meeting runs:
 * every reply is a stable error code, no process exits, no worker dies, the meeting loses nothing.
 */
describe(`fuzzing the doors (${count} messages, seed ${seed})`, () => {
  let sfu: SfuHarness;
  let bots: SeatBot[];

  beforeAll(async () => {
    sfu = await SfuHarness.start({ sfuWorkers: 2, signalingInstances: 2, env: { RATE_ATTEMPTS_PER_IP: '1000000', RATE_JOINS_PER_DEVICE: '1000000', RATE_FAILED_AUTH_PER_IP: '1000000' } });
    const { lawyer, detainee } = await sfu.meetingWithBots({ receiveMode: 'headers' });
    bots = [lawyer, detainee];
    for (const bot of bots) await bot.start();
    await Promise.all(bots.map((bot) => waitForVideo(bot, 1_500_000)));
  }, harnessStartMs);
  afterAll(async () => sfu?.stop());

  it('answers every malformed message with an error code and nothing falls over', async () => {
    const workersBefore = (await sfu.nodeStatus())!.workerLoad.map((w) => w.pid);
    const target = await sfu.fixtures.meetingNow();
    const fuzzer = new DoorFuzzer({
      urls: sfu.platform.signalingUrls,
      seatAuth: async () => ({ protocol: PROTOCOL_VERSION, credential: target.seatCredential, token: sfu.fixtures.token(target, 'lawyer') }),
      // Every documented operation with an admin's session (so bodies reach validation) and without.
      rest: [...(await restTargets(sfu.platform.signalingUrl, { authorization: `Bearer ${await adminSession(sfu)}` })), ...(await restTargets(sfu.platform.signalingUrl))],
      seed,
      concurrency: 8,
    });
    const before = bots.map((bot) => bot.snapshot());
    const started = performance.now();
    const report = await fuzzer.run(count, (done) => console.log(`fuzz: ${done}/${count}`));
    console.log(`fuzz: ${count} messages in ${Math.round((performance.now() - started) / 1000)} s`, JSON.stringify(report.sent), JSON.stringify(report.codes));

    expect(report.findings.slice(0, 10)).toEqual([]);
    for (const process of [sfu.platform.redis!, ...sfu.platform.sfus, ...sfu.platform.signalings]) expect(process.isRunning, process.name).toBe(true);
    expect((await sfu.nodeStatus())!.workerLoad.map((w) => w.pid)).toEqual(workersBefore);
    expect(sfu.events.filter((e) => e.type === 'workerDied' || e.type === 'guardViolation')).toEqual([]);
    for (const [i, bot] of bots.entries()) {
      expect(bot.state).toBe('joined');
      expect(bot.rejoins).toBe(0);
      const window = SeatBot.window(before[i]!, bot.snapshot());
      expect(window.video.lossRatio).toBeLessThan(0.005);
    }
    for (const url of sfu.platform.signalingUrls) expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 30 * 60_000);
});

async function adminSession(sfu: SfuHarness): Promise<string> {
  const username = 'admin.fuzz';
  const password = 'fuzz-admin-password-long-enough';
  await new PersonAccounts(sfu.redis).create({ username, displayName: 'Fuzz Admin', role: 'admin', password });
  const response = await fetch(`${sfu.platform.signalingUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!response.ok) throw new Error(`admin login failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}
