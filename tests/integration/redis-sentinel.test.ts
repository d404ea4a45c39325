import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedProcess } from '../../deploy/local/ManagedProcess';
import { freePort, Platform, repoRoot } from '../../deploy/local/Platform';
import { MEETING_NAMESPACE, PROTOCOL_VERSION, type JoinResult } from '../../signaling/src/protocol';
import { MeetingFixtures } from '../support/meetingFixtures';

/**
 * Several hosts against Redis Sentinel, on one machine: a master, a replica and a Sentinel. Both
 * processes find the master through the Sentinel only (their REDIS_URL names no reachable host),
 * and follow a failover: after it, a seat still joins and the SFU's heartbeat lands on the new master.
 */
const master = 'huijian';

function startRedis(work: string, name: string, args: string[]): ManagedProcess {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  return ManagedProcess.start(name, 'redis-server', ['--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...args], {
    logFile: join(work, `${name}.log`),
  });
}

async function joinAs(url: string, credential: string, token: string): Promise<{ socket: Socket; result: JoinResult }> {
  const auth = { protocol: PROTOCOL_VERSION, credential, token };
  const socket = io(`${url}${MEETING_NAMESPACE}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const result = (await socket.timeout(10_000).emitWithAck('join', {})) as JoinResult & { error?: { code: string } };
  if (result.error) throw new Error(`join: ${result.error.code}`);
  return { socket, result };
}

describe('several hosts against Redis Sentinel', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-sentinel-'));
  const processes: ManagedProcess[] = [];
  const clients: Redis[] = [];
  const sockets: Socket[] = [];
  let platform: Platform;
  let ports: { master: number; replica: number; sentinel: number };
  let fixtures: MeetingFixtures;
  let sentinelEnv: Record<string, string>;

  /** A meeting running now, its seat terminal provisioned and assigned; the lawyer's join through signaling. */
  const joinNewMeeting = async (meetingId: string) => {
    const meeting = await fixtures.meetingNow(meetingId);
    const token = await fixtures.assign(meeting, 'lawyer');
    return { meeting, ...(await joinAs(platform.signalingUrl, meeting.seatCredential, token)) };
  };

  beforeAll(async () => {
    ports = { master: await freePort(), replica: await freePort(), sentinel: await freePort() };
    const primary = startRedis(work, 'redis-master', ['--port', String(ports.master)]);
    const replica = startRedis(work, 'redis-replica', ['--port', String(ports.replica), '--replicaof', '127.0.0.1', String(ports.master)]);
    processes.push(primary, replica);
    await replica.waitForLine((l) => l.includes('MASTER <-> REPLICA sync: Finished'), 15_000, 'replica in sync');
    const conf = join(work, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${ports.sentinel}`,
        'bind 127.0.0.1',
        `dir ${work}`,
        `sentinel monitor ${master} 127.0.0.1 ${ports.master} 1`,
        `sentinel down-after-milliseconds ${master} 2000`,
        `sentinel failover-timeout ${master} 10000`,
        '',
      ].join('\n'),
    );
    const sentinel = ManagedProcess.start('sentinel', 'redis-server', [conf, '--sentinel'], { logFile: join(work, 'sentinel.log') });
    processes.push(sentinel);
    await sentinel.waitForLine((l) => l.includes('+slave slave'), 20_000, 'the sentinel knows the replica');

    sentinelEnv = { REDIS_SENTINELS: `127.0.0.1:${ports.sentinel}`, REDIS_SENTINEL_MASTER: master };
    // REDIS_URL names a port where nothing listens: only the Sentinel path can work.
    platform = await Platform.start({ varDir: join(work, 'var'), redisUrl: 'redis://127.0.0.1:1', env: sentinelEnv });
    const viaSentinel = new Redis({ sentinels: [{ host: '127.0.0.1', port: ports.sentinel }], name: master, failoverDetector: true });
    fixtures = new MeetingFixtures(platform, viaSentinel);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    for (const client of clients) client.disconnect();
    await fixtures?.close();
    await platform?.stop();
    for (const p of processes.reverse()) await p.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('joins through the master the Sentinel names, and again after a failover to the replica', async () => {
    const { meeting: first, ...before } = await joinNewMeeting('m-sentinel-1');
    sockets.push(before.socket);
    expect(before.result.meetingId).toBe(first.meetingId);
    const onMaster = new Redis({ port: ports.master });
    const onReplica = new Redis({ port: ports.replica });
    clients.push(onMaster, onReplica);
    const holderOn = async (client: Redis, meetingId: string) => JSON.parse((await client.get(`huijian:meeting:${meetingId}:seat:lawyer`)) ?? '{}').socketId;
    expect(await holderOn(onMaster, first.meetingId)).toBe(before.socket.id);
    expect(await onMaster.exists(`huijian:sfu:node:${platform.sfuNodeId}`)).toBe(1);

    const sentinel = new Redis({ port: ports.sentinel });
    clients.push(sentinel);
    await sentinel.call('SENTINEL', 'FAILOVER', master);
    const deadline = Date.now() + 30_000;
    while (((await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', master)) as string[])[1] !== String(ports.replica)) {
      if (Date.now() > deadline) throw new Error('no failover within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const switchedAt = Date.now();

    // The SFU's heartbeat now lands on the new master (the old one is read-only).
    const heartbeatAt = async () => JSON.parse((await onReplica.get(`huijian:sfu:node:${platform.sfuNodeId}`)) ?? '{"heartbeatAt":0}').heartbeatAt as number;
    while ((await heartbeatAt()) < switchedAt) {
      if (Date.now() > switchedAt + 15_000) throw new Error('the sfu-server did not follow the failover within 15 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const { meeting: second, ...after } = await joinNewMeeting('m-sentinel-2');
    sockets.push(after.socket);
    expect(after.result.meetingId).toBe(second.meetingId);
    expect(await holderOn(onReplica, second.meetingId)).toBe(after.socket.id);
    expect(await onReplica.get(`huijian:meeting:${second.meetingId}:sfu`)).toBe(platform.sfuNodeId);
    expect(platform.signaling!.isRunning && platform.sfu!.isRunning).toBe(true);
  });

  it('the sfu-server image healthcheck finds the node through the Sentinel too', async () => {
    const output = await new Promise<{ code: number; text: string }>((resolve) =>
      execFile(
        process.execPath,
        [join(repoRoot, 'deploy/docker/sfu-healthcheck.mjs')],
        { env: { ...process.env, ...sentinelEnv, REDIS_URL: 'redis://127.0.0.1:1', SFU_NODE_ID: platform.sfuNodeId } },
        (error, stdout) => resolve({ code: error ? 1 : 0, text: stdout }),
      ),
    );
    expect(output.text).toContain(`healthy: ${platform.sfuNodeId}`);
    expect(output.code).toBe(0);
  });
});
