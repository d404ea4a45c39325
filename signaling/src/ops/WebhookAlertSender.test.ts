import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../protocol';
import { WebhookAlertSender } from './WebhookAlertSender';

const alert: Alert = { key: 'worker_down:n:0', rule: 'worker_down', severity: 'critical', subject: { nodeId: 'n', worker: 0 }, text: 'worker 0 died', value: 42, raisedAt: 1000 };

describe('WebhookAlertSender', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(() => servers.forEach((s) => s.close()));

  async function receiver(statuses: number[]): Promise<{ url: string; requests: { headers: IncomingMessage['headers']; body: unknown }[] }> {
    const requests: { headers: IncomingMessage['headers']; body: unknown }[] = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        requests.push({ headers: req.headers, body: JSON.parse(text) });
        res.writeHead(statuses.shift() ?? 200).end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, requests };
  }

  it('posts raise and clear with the bearer token and an idempotency key, retrying a failure', async () => {
    const hook = await receiver([503, 200, 200]);
    const sender = new WebhookAlertSender({ url: hook.url, bearerToken: 's3cret', timeoutMs: 2000, tries: 3, retryDelayMs: 1 });
    await sender.send(alert);
    await sender.send({ ...alert, clearedAt: 5000 });
    expect(hook.requests).toHaveLength(3);
    expect(hook.requests[1]).toMatchObject({ headers: { authorization: 'Bearer s3cret', 'idempotency-key': 'worker_down:n:0:raised:1000' }, body: { event: 'raised', alert } });
    expect(hook.requests[2]).toMatchObject({ headers: { 'idempotency-key': 'worker_down:n:0:cleared:1000' }, body: { event: 'cleared', alert: { clearedAt: 5000 } } });
  });

  it('gives up after its tries with the last error', async () => {
    const hook = await receiver([500, 500]);
    const sender = new WebhookAlertSender({ url: hook.url, timeoutMs: 2000, tries: 2, retryDelayMs: 1 });
    await expect(sender.send(alert)).rejects.toThrow('HTTP 500');
    expect(hook.requests).toHaveLength(2);
  });
});
