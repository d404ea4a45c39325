/**
 * The mediasoup (and browser) APIs that would open a recording or monitoring path. Product code
 * never names them; forbiddenApis.test.ts scans sfu-server, signaling and clients for them.
 *
 * The names are assembled from parts so that this list is not itself a hit, for the scan or for
 * the repository's grep-based checks.
 */
const parts: [string, string][] = [
  ['create', 'PlainTransport'],
  ['create', 'PipeTransport'],
  ['create', 'DirectTransport'],
  ['pipe', 'ToRouter'],
  ['create', 'AudioLevelObserver'],
  ['create', 'ActiveSpeakerObserver'],
  ['consume', 'Data'],
  ['produce', 'Data'],
  ['Media', 'Recorder'],
];

export const forbiddenApiNames: readonly string[] = parts.map(([a, b]) => a + b);
