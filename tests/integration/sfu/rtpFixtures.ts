import type { types as ms } from 'mediasoup';

/** RTP parameters a seat could send (the SFU accepts a producer before any packet arrives). */
export const audioRtpParameters = (ssrc: number): ms.RtpParameters => ({
  mid: `a${ssrc}`,
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
  encodings: [{ ssrc }],
  rtcp: { cname: `c${ssrc}` },
});

export const videoRtpParameters = (ssrc: number): ms.RtpParameters => ({
  mid: `v${ssrc}`,
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: 96,
      clockRate: 90000,
      rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
    },
  ],
  encodings: [{ ssrc }],
  rtcp: { cname: `c${ssrc}` },
});

/** What a receiver that decodes Opus and VP8 would announce, taken from the router's capabilities. */
export function receiverCapabilities(router: ms.RtpCapabilities): ms.RtpCapabilities {
  return {
    codecs: (router.codecs ?? []).filter((c) => c.mimeType === 'audio/opus' || c.mimeType === 'video/VP8'),
    headerExtensions: (router.headerExtensions ?? []).filter((h) => /sdes:mid|transport-wide-cc|abs-send-time/.test(h.uri)),
  };
}

export const fingerprint = { algorithm: 'sha-256' as const, value: Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':') };
