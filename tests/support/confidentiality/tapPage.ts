/**
 * TEST HARNESS: the third browser page of the tap test. Built into one script by the test and
 * injected into a blank page; it receives what the tap transport forwards and plays it with no
 * decryption at all, as any standard receiver would.
 */
import { Device } from 'mediasoup-client';
import type { types as msc } from 'mediasoup-client';

interface TapParameters {
  routerRtpCapabilities: msc.RtpCapabilities;
  transport: { id: string; iceParameters: msc.IceParameters; iceCandidates: msc.IceCandidate[]; dtlsParameters: msc.DtlsParameters };
}

declare global {
  interface Window {
    /** Provided by the test (page.exposeFunction): forwards the page's DTLS parameters to the tap. */
    tapConnect(dtlsParameters: msc.DtlsParameters): Promise<void>;
    tapOpen(parameters: TapParameters): Promise<msc.RtpCapabilities>;
    tapConsume(consumers: { id: string; producerId: string; kind: msc.MediaKind; rtpParameters: msc.RtpParameters }[]): Promise<void>;
    tapTransportStats(): Promise<RTCStatsReport>;
  }
}

let transport: msc.Transport | undefined;

window.tapOpen = async ({ routerRtpCapabilities, transport: params }) => {
  const device = await Device.factory();
  await device.load({ routerRtpCapabilities });
  transport = device.createRecvTransport(params);
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    window.tapConnect(dtlsParameters).then(callback, errback);
  });
  return device.recvRtpCapabilities;
};

window.tapConsume = async (consumers) => {
  const video = document.querySelector<HTMLVideoElement>('#tap-video')!;
  const audio = document.querySelector<HTMLAudioElement>('#tap-audio')!;
  for (const params of consumers) {
    const consumer = await transport!.consume(params);
    (consumer.kind === 'video' ? video : audio).srcObject = new MediaStream([consumer.track]);
  }
  void audio.play().catch(() => undefined);
};

window.tapTransportStats = () => transport!.getStats();
