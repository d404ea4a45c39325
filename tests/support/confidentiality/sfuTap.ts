/**
 * TEST HARNESS, NEVER PRODUCT CODE: loaded with `node --import` into an sfu-server process, it
 * plays an operator who controls the SFU and taps a meeting. It uses mediasoup directly, the same
 * mediasoup module instance the sfu-server uses: it hears every router the meeting code creates
 * and every producer on it, and on request it creates its own WebRtcTransport on a meeting's
 * router and consumes the lawyer's producers there, for a third browser page to decode.
 *
 * The SFU's run-time guard (issue 3) closes a meeting when a transport or consumer it did not
 * create appears on the router. An operator who wants to listen runs a build without the guard;
 * the harness does the same for the one router it taps, by removing the router observer's
 * listeners before it attaches (`disarmGuard`). End-to-end encryption must hold against exactly
 * this attacker, who sees everything the SFU sees.
 *
 * Control: HTTP on 127.0.0.1:$TAP_PORT, JSON bodies.
 *   POST /tap      {meetingId}                        → router capabilities and a tap transport
 *   POST /connect  {transportId, dtlsParameters}
 *   POST /consume  {transportId, rtpCapabilities}     → consumers of the lawyer's producers
 */
import { createServer } from 'node:http';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';

const port = Number(process.env.TAP_PORT);
if (!port) throw new Error('sfuTap: TAP_PORT is not set');

interface TappedRouter {
  router: ms.Router;
  producers: Map<string, { producer: ms.Producer; seat: string; source: string }>;
}

const routers = new Map<string, TappedRouter>();
const tapTransports = new Map<string, { transport: ms.WebRtcTransport; meetingId: string }>();

mediasoup.observer.on('newworker', (worker) => {
  worker.observer.on('newrouter', (router) => {
    const meetingId = String(router.appData.meetingId);
    const tapped: TappedRouter = { router, producers: new Map() };
    routers.set(meetingId, tapped);
    router.observer.once('close', () => routers.get(meetingId) === tapped && routers.delete(meetingId));
    router.observer.on('newtransport', (transport) => {
      transport.observer.on('newproducer', (producer) => {
        tapped.producers.set(producer.id, { producer, seat: String(producer.appData.seat), source: String(producer.appData.source) });
        producer.observer.once('close', () => tapped.producers.delete(producer.id));
      });
    });
  });
});

/** What an operator's guard-free build amounts to: nothing watches this router for foreign objects any more. */
function disarmGuard(router: ms.Router): void {
  router.observer.removeAllListeners('newtransport');
  router.observer.removeAllListeners('newrtpobserver');
}

async function handle(path: string, body: Record<string, unknown>): Promise<unknown> {
  if (path === '/tap') {
    const tapped = routers.get(String(body.meetingId));
    if (!tapped) throw new Error(`no router for meeting ${String(body.meetingId)}`);
    disarmGuard(tapped.router);
    const transport = await tapped.router.createWebRtcTransport({ listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }], enableUdp: true });
    tapTransports.set(transport.id, { transport, meetingId: String(body.meetingId) });
    return {
      routerRtpCapabilities: tapped.router.rtpCapabilities,
      transport: { id: transport.id, iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters },
    };
  }
  const entry = tapTransports.get(String(body.transportId));
  if (!entry) throw new Error('no such tap transport');
  if (path === '/connect') {
    await entry.transport.connect({ dtlsParameters: body.dtlsParameters as ms.DtlsParameters });
    return { connected: true };
  }
  if (path === '/consume') {
    const tapped = routers.get(entry.meetingId)!;
    const consumers = [];
    for (const { producer, seat, source } of tapped.producers.values()) {
      if (seat !== 'lawyer') continue;
      const consumer = await entry.transport.consume({ producerId: producer.id, rtpCapabilities: body.rtpCapabilities as ms.RtpCapabilities });
      if (consumer.kind === 'video') setTimeout(() => void consumer.requestKeyFrame().catch(() => undefined), 1000);
      consumers.push({ id: consumer.id, producerId: producer.id, kind: consumer.kind, rtpParameters: consumer.rtpParameters, source });
    }
    return { consumers };
  }
  throw new Error(`unknown path ${path}`);
}

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    handle(req.url ?? '', JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>).then(
      (result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
      (error: unknown) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) })),
    );
  });
}).listen(port, '127.0.0.1', () => process.stderr.write(`sfuTap: listening on 127.0.0.1:${port} inside the sfu-server process (test attacker)\n`));
