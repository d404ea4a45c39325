import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_NAMESPACE, PROTOCOL_VERSION } from '../../../signaling/src/protocol';
import { AccessPlatform } from './harness';

const portal = 'http://portal.test:8443';

/** Security headers from helmet, CORS and socket origins from the configured allow-list. */
describe('HTTP and socket hardening', () => {
  let access: AccessPlatform;
  let credential: string;

  beforeAll(async () => {
    access = await AccessPlatform.start({ env: { CORS_ORIGINS: portal } });
    credential = (await access.fixtures.meetingNow()).seatCredential;
  });
  afterAll(async () => access?.close());

  const login = (origin?: string) =>
    fetch(`${access.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
      body: JSON.stringify({ username: 'nobody.here', password: 'x' }),
    });

  it('sends security headers: strict CSP, no sniffing, no framing, limited permissions', async () => {
    const response = await fetch(`${access.url}/healthz`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('permissions-policy')).toContain('geolocation=()');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('answers an allow-listed origin with CORS headers, preflight included', async () => {
    const preflight = await fetch(`${access.url}/api/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: portal, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(portal);
    const response = await login(portal);
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(portal);
  });

  it('refuses any other origin with FORBIDDEN before a route runs', async () => {
    const response = await login('https://evil.example');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('treats the service’s own origin as same-origin', async () => {
    const response = await login(access.url);
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a WebSocket handshake from a foreign origin, allows the listed one', async () => {
    const attempt = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = io(`${access.url}${DEVICE_NAMESPACE}`, {
          auth: { protocol: PROTOCOL_VERSION, credential },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          extraHeaders: { origin },
        });
        socket.once('connect', () => {
          socket.disconnect();
          resolve('connected');
        });
        socket.once('connect_error', (error) => resolve(`refused: ${error.message}`));
      });
    expect(await attempt('https://evil.example')).toMatch(/^refused/);
    expect(await attempt(portal)).toBe('connected');
  });

  it('answers unknown API routes with NOT_FOUND', async () => {
    const response = await fetch(`${access.url}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
