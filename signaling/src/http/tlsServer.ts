import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { SignalingConfig } from '../config';

export interface TlsSettings {
  certFile: string;
  keyFile: string;
  /** Create a self-signed pair at those paths when they do not exist. */
  selfSigned: boolean;
  /** Names and addresses a self-signed certificate must cover (from PUBLIC_URL). */
  hostnames: string[];
}

export interface WebServer {
  server: HttpServer | HttpsServer;
  scheme: 'http' | 'https';
  /** Read the certificate files again (after a renewal); no-op over plain HTTP. */
  reload: () => void;
}

/** TLS from the configuration: none without certificate files; a self-signed pair names PUBLIC_URL's host. */
export function tlsSettings(config: SignalingConfig): TlsSettings | undefined {
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE) return undefined;
  const publicHost = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).hostname.replace(/^\[|\]$/g, '') : undefined;
  return { certFile: config.TLS_CERT_FILE, keyFile: config.TLS_KEY_FILE, selfSigned: config.TLS_SELF_SIGNED, hostnames: publicHost ? [publicHost] : [] };
}

/** Organisation name that marks a certificate this module generated (and may therefore replace). */
const selfSignedMark = 'Huijian self-signed';
const selfSignedDays = 90;
const renewWithinMs = 7 * 86_400_000;

/**
 * The server for the Express app and Socket.IO: HTTPS with the configured certificate files
 * (browsers grant getUserMedia only to secure origins), or plain HTTP when none are configured
 * (development on localhost, or TLS ended by a proxy in front).
 */
export function createWebServer(app: RequestListener, tls: TlsSettings | undefined, log: Logger): WebServer {
  if (!tls) return { server: createHttpServer(app), scheme: 'http', reload: () => undefined };
  if (tls.selfSigned) ensureSelfSigned(tls, log);
  const server = createHttpsServer({ ...readPair(tls, log), minVersion: 'TLSv1.2' }, app);
  const reload = () => {
    try {
      server.setSecureContext({ ...readPair(tls, log), minVersion: 'TLSv1.2' });
      log.info({ certFile: tls.certFile }, 'TLS certificate reloaded');
    } catch (error) {
      log.error({ err: error instanceof Error ? error.message : String(error) }, 'TLS certificate reload failed; keeping the previous one');
    }
  };
  return { server, scheme: 'https', reload };
}

/** Read and check the pair: both exist, the key belongs to the certificate; warn when it expires soon. */
function readPair(tls: TlsSettings, log: Logger): { cert: Buffer; key: Buffer } {
  for (const [name, file] of [['TLS_CERT_FILE', tls.certFile], ['TLS_KEY_FILE', tls.keyFile]] as const) {
    if (!existsSync(file)) {
      throw new Error(`${name} ${file} does not exist (set TLS_SELF_SIGNED=true to create a self-signed pair for a first try)`);
    }
  }
  const cert = readFileSync(tls.certFile);
  const key = readFileSync(tls.keyFile);
  const x509 = new X509Certificate(cert);
  if (!x509.checkPrivateKey(createPrivateKey(key))) {
    throw new Error(`TLS_KEY_FILE ${tls.keyFile} is not the private key of the certificate in ${tls.certFile}`);
  }
  const expiresAt = Date.parse(x509.validTo);
  const daysLeft = Math.floor((expiresAt - Date.now()) / 86_400_000);
  const summary = { subject: x509.subject.replaceAll('\n', ', '), expires: new Date(expiresAt).toISOString(), daysLeft };
  if (daysLeft < 14) log.warn(summary, 'TLS certificate expires soon');
  else log.info(summary, 'TLS certificate');
  return { cert, key };
}

/**
 * Create a self-signed certificate for `hostnames` unless a usable one is there. A certificate
 * this module did not create is never replaced; one it did is renewed when it expires within a
 * week or no longer covers the names.
 */
export function ensureSelfSigned(tls: TlsSettings, log: Logger): void {
  if (existsSync(tls.certFile) && existsSync(tls.keyFile)) {
    const x509 = new X509Certificate(readFileSync(tls.certFile));
    if (!x509.subject.includes(`O=${selfSignedMark}`)) return;
    const covers = tls.hostnames.every((name) => (isIP(name) ? x509.checkIP(name) : x509.checkHost(name)) !== undefined);
    if (covers && Date.parse(x509.validTo) - Date.now() > renewWithinMs) return;
  }
  for (const file of [tls.certFile, tls.keyFile]) mkdirSync(dirname(file), { recursive: true });
  const names = [...new Set([...tls.hostnames, 'localhost', '127.0.0.1'])];
  const san = names.map((name) => (isIP(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
  try {
    // prettier-ignore
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-days', String(selfSignedDays), '-subj', `/O=${selfSignedMark}/CN=${names[0]}`,
      '-addext', `subjectAltName=${san}`, '-keyout', tls.keyFile, '-out', tls.certFile,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
    throw new Error(`could not create a self-signed certificate with openssl (is the openssl package installed?): ${detail}`);
  }
  chmodSync(tls.keyFile, 0o600);
  log.warn({ certFile: tls.certFile, names, days: selfSignedDays }, 'created a self-signed TLS certificate: browsers will warn; use a real one in production');
}
