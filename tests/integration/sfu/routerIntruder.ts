/**
 * TEST HARNESS, NEVER PRODUCT CODE: loaded with `node --import` into an sfu-server process, it
 * plays code that reaches a meeting's router behind the meeting's back (a recorder slipped into
 * the process). `POST /intrude?meetingId=M` creates a WebRtcTransport on M's router through
 * mediasoup directly, with the guard left armed, so the guard must notice and close the meeting.
 * Control: HTTP on 127.0.0.1:$INTRUDER_PORT.
 */
import { createServer } from 'node:http';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';

const port = Number(process.env.INTRUDER_PORT);
if (!port) throw new Error('routerIntruder: INTRUDER_PORT is not set');

const routers = new Map<string, ms.Router>();
mediasoup.observer.on('newworker', (worker) => {
  worker.observer.on('newrouter', (router) => {
    const meetingId = String(router.appData.meetingId);
    routers.set(meetingId, router);
    router.observer.once('close', () => routers.get(meetingId) === router && routers.delete(meetingId));
  });
});

createServer((req, res) => {
  const meetingId = new URL(req.url ?? '/', 'http://localhost').searchParams.get('meetingId') ?? '';
  const router = routers.get(meetingId);
  if (req.method !== 'POST' || !router) return void res.writeHead(404).end();
  router.createWebRtcTransport({ listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }] }).then(
    (transport) => res.writeHead(200).end(transport.id),
    (error: unknown) => res.writeHead(500).end(String(error)),
  );
}).listen(port, '127.0.0.1');
