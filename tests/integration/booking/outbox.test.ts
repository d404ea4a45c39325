import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookNoticeSender } from '../../../signaling/src/booking/notices/WebhookNoticeSender';
import { TestRedis } from '../../support/TestRedis';
import { BookingHarness, beijing, seedWorld } from '../../support/BookingHarness';

/** A stand-in SMS gateway on 127.0.0.1 that can be switched down (HTTP 503) and up. */
class Gateway {
  up = false;
  attempts = 0;
  received: { key: string; body: { id: string; to: string; text: string; kind: string } }[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        this.attempts += 1;
        if (!this.up || req.headers.authorization !== 'Bearer gateway-secret') {
          res.writeHead(this.up ? 401 : 503).end();
          return;
        }
        this.received.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(raw) });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sms`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('notice outbox: nothing is lost while the SMS gateway is down', () => {
  const gateway = new Gateway();
  let redis: TestRedis;
  let h: BookingHarness;
  const webhook = () => new WebhookNoticeSender({ url: gateway.url, bearerToken: 'gateway-secret', timeoutMs: 1000, tries: 2, retryDelayMs: 20 });

  beforeAll(async () => {
    await gateway.start();
    redis = await TestRedis.start();
  });
  afterAll(async () => {
    await h?.stop({ keepRedis: true });
    await redis?.stop();
    await gateway.stop();
  });

  it('keeps retrying with backoff while down, survives a restart, and delivers each notice once recovered', async () => {
    h = await BookingHarness.start({ now: beijing('2026-12-07', '10:00'), sender: webhook(), redis });
    await seedWorld(h);
    const ids: string[] = [];
    for (const [n, detaineeId, time] of [
      [1, 'det-1', '09:00'],
      [2, 'det-2', '10:00'],
      [3, 'det-3', '14:00'],
    ] as const) {
      const made = await h.api('POST', '/bookings', h.session('lawyer', `law-${n}`), { detaineeId, stationId: 'st-b', startsAt: beijing('2026-12-09', time) });
      expect(made.status).toBe(201);
      ids.push(made.body.id);
    }
    await h.booking.dispatcher.start();
    await until('every notice to have failed twice', async () => (await h.booking.outbox.pending(10)).every((n) => n.attempts >= 2));
    const pending = await h.api('GET', '/notices/pending', h.session('ops'));
    expect(pending.body.count).toBe(3);
    for (const notice of pending.body.notices) expect(notice).toMatchObject({ status: 'pending', lastError: 'gateway answered HTTP 503' });
    expect(gateway.received).toHaveLength(0);
    expect(gateway.attempts).toBeGreaterThanOrEqual(3 * 2 * 2);

    // The signaling process goes away and comes back while the gateway is still down.
    await h.stop({ keepRedis: true });
    h = await BookingHarness.start({ now: beijing('2026-12-07', '10:00'), sender: webhook(), redis });
    await h.booking.dispatcher.start();
    expect(await h.booking.outbox.pendingCount()).toBe(3);

    gateway.up = true;
    await until('the backlog to drain', async () => (await h.booking.outbox.pendingCount()) === 0);
    const delivered = new Set(gateway.received.map((r) => r.key));
    expect(delivered.size).toBe(3);
    for (const r of gateway.received) {
      expect(r.key).toBe(r.body.id);
      expect(r.body.kind).toBe('confirmation');
      expect(r.body.text).toMatch(/Station B, 2 North Road/);
    }
    for (const id of ids) {
      const [notice] = (await h.api('GET', `/bookings/${id}/notices`, h.session('admin'))).body;
      expect(notice).toMatchObject({ status: 'delivered' });
      expect(notice.attempts).toBeGreaterThanOrEqual(3);
      expect(delivered.has(notice.id)).toBe(true);
    }
    // The stream itself is emptied of delivered entries.
    expect(await h.redis.xlen('huijian:{bk}:outbox')).toBe(0);
  });
});
