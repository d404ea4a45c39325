import type { types as ms } from 'mediasoup';

/**
 * Codecs a meeting router offers. VP8 first: it is what the end-to-end encryption transform
 * handles best and what mediasoup parses for keyframes and simulcast layers. H264 (constrained
 * baseline, what Chromium's OpenH264 encoder sends) for devices that only encode H264; VP9
 * profile 0 for senders that use SVC (L3T3) instead of simulcast.
 */
export const meetingMediaCodecs: ms.RouterRtpCodecCapability[] = [
  {
    kind: 'audio',
    mimeType: 'audio/opus',
    clockRate: 48000,
    channels: 2,
    parameters: { useinbandfec: 1, usedtx: 1 },
  },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    clockRate: 90000,
    parameters: { 'x-google-start-bitrate': 1500 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1, 'x-google-start-bitrate': 1500 },
  },
  {
    kind: 'video',
    mimeType: 'video/VP9',
    clockRate: 90000,
    parameters: { 'profile-id': 0, 'x-google-start-bitrate': 1500 },
  },
];
