import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../signaling/src/protocol';
import { AccessPlatform } from './harness';

/**
 * An admin registers terminals over REST. The credential is shown once, only its hash is
 * stored, rotation and revocation take effect at once, and nobody else may do any of it.
 */
describe('device provisioning by admins', () => {
  let access: AccessPlatform;
  let admin: string;

  beforeAll(async () => {
    access = await AccessPlatform.start();
    admin = await access.personSession('admin');
  });
  afterAll(async () => access?.close());

  const call = (method: string, path: string, body?: unknown, token = admin) =>
    fetch(`${access.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('provisions a booth kiosk and shows its credential once; only a hash is stored', async () => {
    const response = await call('POST', '/devices', { deviceId: 'booth-c1-03', kind: 'booth', label: '一看 3号会见室', siteId: 'center-1' });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { device, credential } = (await response.json()) as { device: Record<string, unknown>; credential: string };
    expect(device).toMatchObject({ deviceId: 'booth-c1-03', kind: 'booth', siteId: 'center-1', provisionedBy: 'admin.test' });
    expect(credential).toMatch(/^hjd1\.booth-c1-03\./);
    const secret = credential.split('.')[3]!;
    const stored = (await access.fixtures.redis.get('huijian:device:booth-c1-03'))!;
    expect(stored).not.toContain(secret);
    expect(stored).toContain('secretHash');
    const listed = JSON.stringify(await (await call('GET', '/devices')).json());
    expect(listed).toContain('booth-c1-03');
    expect(listed).not.toContain(secret);
    expect(listed).not.toContain('secretHash');
    expect((await access.device({ protocol: PROTOCOL_VERSION, credential })).socket?.connected).toBe(true);
  });

  it('refuses to provision the same device twice (409) and bad input (400)', async () => {
    expect((await call('POST', '/devices', { deviceId: 'booth-c1-03', kind: 'booth' })).status).toBe(409);
    for (const body of [{ deviceId: 'has space', kind: 'seat' }, { deviceId: 'x', kind: 'laptop' }, { deviceId: 'x', kind: 'seat', admin: true }]) {
      const response = await call('POST', '/devices', body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    }
    expect((await call('POST', '/devices/nobody/revoke')).status).toBe(404);
  });

  it('rotates a credential: the old one is refused as revoked, the new one works', async () => {
    const { credential: old } = (await (await call('POST', '/devices', { deviceId: 'seat-s1-01', kind: 'seat' })).json()) as { credential: string };
    const { credential: fresh } = (await (await call('POST', '/devices/seat-s1-01/credential')).json()) as { credential: string };
    expect(fresh).not.toBe(old);
    expect((await access.device({ protocol: PROTOCOL_VERSION, credential: old })).error?.code).toBe('DEVICE_REVOKED');
    expect((await access.device({ protocol: PROTOCOL_VERSION, credential: fresh })).socket?.connected).toBe(true);
  });

  it('revokes a device, and a rotation brings it back with a new credential', async () => {
    const { credential } = (await (await call('POST', '/devices', { deviceId: 'seat-s1-02', kind: 'seat' })).json()) as { credential: string };
    expect(await (await call('POST', '/devices/seat-s1-02/revoke')).json()).toMatchObject({ device: { revokedBy: 'admin.test' } });
    expect((await access.device({ protocol: PROTOCOL_VERSION, credential })).error?.code).toBe('DEVICE_REVOKED');
    const { credential: renewed } = (await (await call('POST', '/devices/seat-s1-02/credential')).json()) as { credential: string };
    expect((await access.device({ protocol: PROTOCOL_VERSION, credential: renewed })).socket?.connected).toBe(true);
    const audited = await access.auditEntries((e) => e.deviceId === 'seat-s1-02' && e.channel === 'http');
    expect(audited.map((e) => e.type)).toEqual(['device_provisioned', 'device_revoked', 'device_rotated']);
  });

  it('is for admins only', async () => {
    expect((await call('POST', '/devices', { deviceId: 'seat-z', kind: 'seat' }, '')).status).toBe(401);
    const ops = await access.personSession('ops');
    const forbidden = await call('POST', '/devices', { deviceId: 'seat-z', kind: 'seat' }, ops);
    expect(forbidden.status).toBe(403);
    expect((await call('GET', '/devices', undefined, ops)).status).toBe(403);
    const booking = access.fixtures.token((await access.fixtures.meetingNow()), 'lawyer');
    expect((await call('GET', '/devices', undefined, booking)).status).toBe(401);
  });
});
