import { pino, type Logger } from 'pino';

/** Structured JSON logs. Tokens, credentials and SDP material are redacted if passed by mistake. */
export function createLogger(level: string): Logger {
  return pino({
    name: 'signaling',
    level,
    redact: {
      paths: ['token', '*.token', 'auth', '*.auth', 'authorization', '*.authorization', 'dtlsParameters', '*.dtlsParameters'],
      censor: '[redacted]',
    },
  });
}
