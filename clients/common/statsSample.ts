/** The figures of one moment that connection quality is judged from, summed over a session's transports. */
export interface StatsSample {
  /** Local time of the sample, ms. */
  at: number;
  /** Some transport's selected candidate pair is connected. */
  connected: boolean;
  inbound: {
    audioPackets: number;
    videoPackets: number;
    packetsLost: number;
    bytes: number;
    framesDecoded: number;
    freezeCount: number;
    /** Largest received picture. */
    frameWidth: number;
    frameHeight: number;
    /** Audio jitter, seconds. */
    jitter: number;
  };
  outbound: {
    bytes: number;
    /** Why the camera encoder holds back: 'none', 'cpu', 'bandwidth' or 'other'. */
    qualityLimitationReason: string;
  };
  /** Round-trip time to the SFU, seconds (selected candidate pair). */
  roundTripTime: number | undefined;
}

type Stat = Record<string, unknown>;
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Read a sample from RTCStatsReports (the send and receive transports). */
export function sampleOf(reports: RTCStatsReport[], at = Date.now()): StatsSample {
  const sample: StatsSample = {
    at,
    connected: false,
    inbound: { audioPackets: 0, videoPackets: 0, packetsLost: 0, bytes: 0, framesDecoded: 0, freezeCount: 0, frameWidth: 0, frameHeight: 0, jitter: 0 },
    outbound: { bytes: 0, qualityLimitationReason: 'none' },
    roundTripTime: undefined,
  };
  for (const report of reports) {
    report.forEach((raw: Stat) => {
      const s = raw;
      if (s.type === 'inbound-rtp') {
        sample.inbound.bytes += num(s.bytesReceived);
        sample.inbound.packetsLost += Math.max(0, num(s.packetsLost));
        if (s.kind === 'audio') {
          sample.inbound.audioPackets += num(s.packetsReceived);
          sample.inbound.jitter = Math.max(sample.inbound.jitter, num(s.jitter));
        } else if (s.kind === 'video') {
          sample.inbound.videoPackets += num(s.packetsReceived);
          sample.inbound.framesDecoded += num(s.framesDecoded);
          sample.inbound.freezeCount += num(s.freezeCount);
          if (num(s.frameWidth) * num(s.frameHeight) > sample.inbound.frameWidth * sample.inbound.frameHeight) {
            sample.inbound.frameWidth = num(s.frameWidth);
            sample.inbound.frameHeight = num(s.frameHeight);
          }
        }
      } else if (s.type === 'outbound-rtp') {
        sample.outbound.bytes += num(s.bytesSent);
        const reason = typeof s.qualityLimitationReason === 'string' ? s.qualityLimitationReason : 'none';
        if (s.kind === 'video' && reason !== 'none') sample.outbound.qualityLimitationReason = reason;
      } else if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
        sample.connected = true;
        if (typeof s.currentRoundTripTime === 'number') sample.roundTripTime = Math.max(sample.roundTripTime ?? 0, s.currentRoundTripTime);
      }
    });
  }
  return sample;
}
