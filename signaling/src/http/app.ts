import { existsSync } from 'node:fs';
import express, { type ErrorRequestHandler, type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { SignalingError } from '../SignalingError';
import { originPolicy } from './originPolicy';

export interface HttpAppOptions {
  clientsDir: string;
  log: Logger;
  /** Routers mounted under /api, in order. */
  apiRoutes: express.Router[];
  /** Foreign origins allowed to call the API (CORS allow-list). */
  corsOrigins: readonly string[];
  /** The service's own public origins (same-origin even behind a proxy). */
  ownOrigins: () => readonly string[];
}

/**
 * The Express app. Middleware order: security headers (helmet, strict CSP, permissions) → the
 * origin policy (CORS allow-list) → JSON bodies up to 16 KiB → /healthz → the API routers →
 * 404 for unknown API routes → the built clients → the error mapper (stable codes, no internals).
 */
export function createHttpApp({ clientsDir, log, apiRoutes, corsOrigins, ownOrigins }: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          mediaSrc: ["'self'", 'blob:', 'mediastream:'],
          workerSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader('Permissions-Policy', 'camera=(self), microphone=(self), display-capture=(self), geolocation=()');
    next();
  });
  app.use('/api', originPolicy(ownOrigins, corsOrigins));
  app.use(express.json({ limit: '16kb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  for (const router of apiRoutes) app.use('/api', router);
  app.use('/api', (_req, _res, next) => next(new SignalingError('NOT_FOUND', 'no such API route')));

  if (existsSync(clientsDir)) {
    app.use(express.static(clientsDir, { index: 'index.html', extensions: ['html'], maxAge: '1h' }));
  } else {
    log.warn({ clientsDir }, 'client bundles not built; run the install step');
  }

  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const known = asSignalingError(error);
    if (!known) log.error({ err: error }, 'request failed');
    const body = known?.toBody() ?? { code: 'INTERNAL', message: 'an internal error occurred' };
    res.status(known?.httpStatus ?? 500).json({ error: body });
  };
  app.use(onError);
  return app;
}

function asSignalingError(error: unknown): SignalingError | undefined {
  if (error instanceof SignalingError) return error;
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.too.large') return new SignalingError('PAYLOAD_TOO_LARGE', 'the request body is too large');
  if (type === 'entity.parse.failed') return new SignalingError('BAD_REQUEST', 'the request body is not valid JSON');
  return undefined;
}
