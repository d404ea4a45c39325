import { pino, type Logger } from 'pino';

/** Structured JSON logs. Never log SDP fingerprints, ICE passwords or keys: they are redacted if passed by mistake. */
export function createLogger(level: string): Logger {
  return pino({
    name: 'sfu-server',
    level,
    redact: {
      paths: ['*.dtlsParameters', '*.iceParameters', 'dtlsParameters', 'iceParameters', '*.fingerprints'],
      censor: '[redacted]',
    },
  });
}
