import type { types as msc } from 'mediasoup-client';

type Source = 'microphone' | 'camera' | 'document';

/**
 * What a video sender gives up first when bandwidth or CPU runs short: a document keeps its
 * resolution (text stays legible; the frame rate drops), the camera balances both (a face stays
 * fluid and recognisable).
 */
export function degradationPreferenceFor(source: Source): RTCDegradationPreference {
  return source === 'document' ? 'maintain-resolution' : 'balanced';
}

export async function applyDegradationPreference(producer: msc.Producer, source: Source): Promise<void> {
  const sender = producer.rtpSender;
  if (!sender) return;
  const parameters = sender.getParameters();
  parameters.degradationPreference = degradationPreferenceFor(source);
  await sender.setParameters(parameters);
}
