import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedProcess } from '../../../deploy/local/ManagedProcess';
import { repoRoot } from '../../../deploy/local/Platform';
import { TurnCredentials } from '../../../signaling/src/meetings/TurnCredentials';
import { TurnClientSession, type TurnOutcome } from '../../support/turnClient';
import { startTurnServer } from '../../support/turnServer';

/**
 * The TURN server of docker-compose.yml, for real: Debian's coturn (the package the turn image
 * installs) started by deploy/turn/start-turn.sh with deploy/turn/turnserver.conf, asked for
 * allocations with the credentials signaling hands out.
 */
const secret = 'turn-test-secret-0123456789abcdef';
const sfuAddress = '127.0.0.1';
const meetingId = 'm-turn-1';
const slotEndsAt = Date.now() + 3600_000;

describe('TURN: coturn with the project config accepts exactly the credentials signaling issues', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-turn-'));
  let turn: ManagedProcess;
  let port = 0;
  let relayMin = 0;
  const sessions: TurnClientSession[] = [];
  const session = () => {
    const s = new TurnClientSession('127.0.0.1', port);
    sessions.push(s);
    return s;
  };
  const credentials = (settings: Partial<{ secret: string; ttlSeconds: number; now: number; endsAt: number; meetingId: string }> = {}) =>
    new TurnCredentials(
      { urls: [`turn:127.0.0.1:${port}?transport=udp`], secret: settings.secret ?? secret, ttlSeconds: settings.ttlSeconds ?? 600 },
      () => settings.now ?? Date.now(),
    ).forMeeting(settings.meetingId ?? meetingId, settings.endsAt ?? slotEndsAt);

  beforeAll(async () => {
    const server = await startTurnServer(work, secret, sfuAddress);
    turn = server.process;
    port = server.port;
    relayMin = server.relayMin;
  });

  afterAll(async () => {
    for (const s of sessions) await s.close();
    await turn?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  async function allocate(server: { username: string; credential: string }): Promise<TurnOutcome> {
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        return await session().allocate(server.username, server.credential);
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  it('allocates a relay in the configured port range for a fresh meeting credential', async () => {
    const outcome = await allocate(credentials());
    expect(outcome).toMatchObject({ ok: true, relayed: { ip: '127.0.0.1' } });
    const relayedPort = outcome.ok ? outcome.relayed!.port : 0;
    expect(relayedPort).toBeGreaterThanOrEqual(relayMin);
    expect(relayedPort).toBeLessThanOrEqual(relayMin + 40);
  });

  it('refuses a credential made with another secret', async () => {
    expect(await allocate(credentials({ secret: 'not-the-shared-secret-at-all' }))).toMatchObject({ ok: false, code: 401 });
  });

  it('refuses a credential whose expiry has passed (slot ended and TTL over)', async () => {
    const expired = credentials({ ttlSeconds: 60, endsAt: Date.now() - 3600_000, now: Date.now() - 3600_000 });
    expect(Number(expired.username.split(':')[0]) * 1000).toBeLessThan(Date.now());
    expect(await allocate(expired)).toMatchObject({ ok: false, code: 401 });
  });

  it('refuses a forged username (another meeting, same credential)', async () => {
    const real = credentials();
    const forged = { username: real.username.replace(meetingId, 'm-other'), credential: real.credential };
    expect(await allocate(forged)).toMatchObject({ ok: false, code: 401 });
  });

  it('relays to the SFU address and to nothing else', async () => {
    const s = session();
    expect(await s.allocate(credentials().username, credentials().credential)).toMatchObject({ ok: true });
    expect(await s.createPermission(sfuAddress)).toEqual({ ok: true });
    expect(await s.createPermission('127.0.0.2')).toMatchObject({ ok: false, code: 403 });
  });

  it('start-turn.sh refuses to start without a strong secret or without SFU addresses', async () => {
    for (const [env, message] of [
      [{ TURN_SECRET: 'short', TURN_REALM: 'r', TURN_PEER_IPS: '127.0.0.1' }, 'at least 16 characters'],
      [{ TURN_SECRET: secret, TURN_REALM: 'r', TURN_PEER_IPS: '' }, 'TURN_PEER_IPS is required'],
      [{ TURN_SECRET: secret, TURN_REALM: 'r', TURN_PEER_IPS: '127.0.0.1;rm' }, 'not an IP address'],
    ] as const) {
      const bad = ManagedProcess.start('coturn-bad', join(repoRoot, 'deploy/turn/start-turn.sh'), [], { env: { PATH: process.env.PATH, TMPDIR: work, ...env } });
      const { code } = await bad.exited;
      expect(code).toBe(2);
      expect(bad.tail()).toContain(message);
    }
  });
});
