import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { SignalingError } from '../SignalingError';

/**
 * Whether a request's Origin may use the API or open a socket: no Origin (not a browser page),
 * the service's own origin (Host header or the public URL), or one on the configured allow-list.
 */
export function originAllowed(headers: IncomingHttpHeaders, ownOrigins: readonly string[], allowList: readonly string[]): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (allowList.includes(origin) || ownOrigins.includes(origin)) return true;
  const host = headers.host;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * CORS for the API from an allow-list. Same-origin requests pass untouched; an allowed foreign
 * origin gets the CORS headers (and its preflight a 204); any other foreign origin is refused
 * with FORBIDDEN before a route runs, so a page elsewhere cannot even make a simple request.
 */
export function originPolicy(ownOrigins: () => readonly string[], allowList: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    res.vary('Origin');
    if (origin === undefined) return next();
    if (!originAllowed(req.headers, ownOrigins(), allowList)) {
      return next(new SignalingError('FORBIDDEN', 'this origin may not use the API'));
    }
    if (allowList.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
      res.setHeader('Access-Control-Max-Age', '600');
      if (req.method === 'OPTIONS') return void res.status(204).end();
    }
    next();
  };
}
