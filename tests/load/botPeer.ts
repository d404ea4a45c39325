import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  useAbsSendTime,
  useFIR,
  useNACK,
  usePLI,
  useSdesMid,
  useTransportWideCC,
} from 'werift';
import { botPayloadTypes } from './ClipSender';

/**
 * A werift peer connection as the bot uses it: Opus and VP8 only, no RTX, the header extensions
 * mediasoup reads, and loopback host candidates (the tests run in a loopback-only namespace).
 */
export function createBotPeer(): RTCPeerConnection {
  // No transport-cc feedback from werift itself: it runs one generator per m-line, which splits
  // the transport's sequence space; the receive side sends its own (rtp/TransportFeedback.ts).
  return new RTCPeerConnection({
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: botPayloadTypes.opus })],
      video: [
        new RTCRtpCodecParameters({
          mimeType: 'video/VP8',
          clockRate: 90000,
          payloadType: botPayloadTypes.vp8,
          rtcpFeedback: [useNACK(), usePLI(), useFIR()],
        }),
      ],
    },
    headerExtensions: {
      audio: [useSdesMid(), useAbsSendTime(), useTransportWideCC()],
      video: [useSdesMid(), useAbsSendTime(), useTransportWideCC()],
    },
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceUseIpv6: false,
  });
}
