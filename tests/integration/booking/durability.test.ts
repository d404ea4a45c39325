import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform } from '../../../deploy/local/Platform';

/**
 * Confirmed bookings survive redis-server being killed (SIGKILL, by PID) and restarted, with the
 * platform's own settings (append-only file, fsync every second) and the real signaling process.
 */
describe('durability: bookings survive a Redis crash', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-durability-'));
  const password = 'durability-test-password';
  let platform: Platform;

  async function api(method: string, path: string, token?: string, body?: unknown) {
    const response = await fetch(`${platform.signalingUrl}/api${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  async function login(username: string): Promise<string> {
    return (await api('POST', '/auth/login', undefined, { username, password })).body.token;
  }

  beforeAll(async () => {
    platform = await Platform.start({ varDir: join(work, 'var'), redisAppendOnly: true, demo: true, env: { DEMO_PASSWORD: password } });
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('finds every confirmed booking intact, and its slot still taken, after kill -9 and restart', async () => {
    const lawyer = await login('lawyer.zhang');
    const slots = (await api('GET', '/slots?detaineeId=det-0002&stationId=st-haidian-center&limit=3', lawyer)).body as { startsAt: number; stationId: string }[];
    expect(slots.length).toBe(3);
    const confirmed = [];
    for (const slot of slots) {
      const made = await api('POST', '/bookings', lawyer, { detaineeId: 'det-0002', stationId: slot.stationId, startsAt: slot.startsAt });
      if (made.status === 422 && made.body.error.code === 'DAILY_LIMIT') continue;
      expect(made.status).toBe(201);
      confirmed.push(made.body);
    }
    expect(confirmed.length).toBeGreaterThanOrEqual(2);
    const before = (await api('GET', '/bookings', lawyer)).body;

    const port = Number(new URL(platform.redisUrl).port);
    const check = new Redis(platform.redisUrl);
    expect(await check.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await check.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
    check.disconnect();

    const redisPid = platform.redis!.pid;
    process.kill(redisPid, 'SIGKILL');
    expect((await platform.redis!.exited).signal).toBe('SIGKILL');
    await platform.startRedis(port);
    expect(platform.redis!.pid).not.toBe(redisPid);

    // Signaling reconnects by itself; the same lawyer session still works (keys are files, not Redis).
    let after: { status: number; body: any } = { status: 0, body: undefined };
    for (let i = 0; i < 50 && after.status !== 200; i += 1) {
      after = await api('GET', '/bookings', lawyer).catch(() => ({ status: 0, body: undefined }));
      if (after.status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before);
    for (const booking of confirmed) {
      const one = await api('GET', `/bookings/${booking.id}`, lawyer);
      expect(one.body).toEqual(booking);
      const notices = await api('GET', `/bookings/${booking.id}/notices`, lawyer);
      expect(notices.body.map((n: { kind: string }) => n.kind)).toEqual(['confirmation']);
    }
    // The holds survived too: the same seat cannot be booked again for that slot by someone else.
    const other = await login('lawyer.li');
    const first = confirmed[0]!;
    const sameSeat = await api('POST', '/bookings', other, { detaineeId: 'det-0001', stationId: first.stationId, startsAt: first.startsAt, seatId: first.seatId });
    expect(sameSeat.status).toBe(409);
    expect(sameSeat.body.error).toMatchObject({ code: 'SLOT_TAKEN', details: { side: 'seat' } });
    const sameDetainee = await api('POST', '/bookings', other, { detaineeId: 'det-0002', stationId: first.stationId, startsAt: first.startsAt });
    expect(sameDetainee.body.error.code).toBe('DETAINEE_BUSY');
  });
});
