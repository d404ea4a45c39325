import { pino, type Logger } from 'pino';

/** Structured JSON logs. Tokens, device credentials, passwords and SDP material are redacted if passed by mistake. */
export function createLogger(level: string): Logger {
  return pino({
    name: 'signaling',
    level,
    redact: {
      paths: ['token', '*.token', 'credential', '*.credential', 'password', '*.password', 'auth', '*.auth', 'authorization', '*.authorization', 'dtlsParameters', '*.dtlsParameters'],
      censor: '[redacted]',
    },
  });
}
