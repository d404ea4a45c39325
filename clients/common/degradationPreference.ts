import type { types as msc } from 'mediasoup-client';

type Source = 'microphone' | 'camera' | 'document';

/**
 * What a video sender gives up first when bandwidth or CPU runs short: the frame rate, never the
 * resolution. For a document, text stays legible. For the camera, 'balanced' was tried and
 * measured: with encryption on a 2-core terminal, Chromium halved the camera to 640 px wide and
 * the 720p e2e check failed (e2ee-call, 2 of 2 runs); with 'maintain-resolution' it passed.
 * Bandwidth shortages are still met by the SFU's layer choice and the encoder's bitrate.
 */
export function degradationPreferenceFor(_source: Source): RTCDegradationPreference {
  return 'maintain-resolution';
}

export async function applyDegradationPreference(producer: msc.Producer, source: Source): Promise<void> {
  const sender = producer.rtpSender;
  if (!sender) return;
  const parameters = sender.getParameters();
  parameters.degradationPreference = degradationPreferenceFor(source);
  await sender.setParameters(parameters);
}
