import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerCertificate } from 'node:tls';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedProcess } from '../../deploy/local/ManagedProcess';
import { Platform, repoRoot } from '../../deploy/local/Platform';
import { MEETING_NAMESPACE, PROTOCOL_VERSION } from '../../signaling/src/protocol';

/**
 * Built-in HTTPS: a self-signed pair for a first try (created at start, reused, never replacing an
 * operator's certificate), the operator's own pair, reload on SIGHUP, and clear refusals.
 */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  certificate: PeerCertificate;
}

function httpsGet(url: string, ca: Buffer, servername = 'localhost'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = get(url, { ca, servername, agent: false }, (response) => {
      const certificate = (response.socket as import('node:tls').TLSSocket).getPeerCertificate();
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, certificate }));
    });
    request.on('error', reject);
  });
}

function opensslPair(dir: string, cn: string): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  // prettier-ignore
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30',
    '-subj', `/O=Operator/CN=${cn}`, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

describe('signaling over HTTPS', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-tls-'));
  const tlsDir = join(work, 'tls');
  const certFile = join(tlsDir, 'cert.pem');
  const keyFile = join(tlsDir, 'key.pem');
  let platform: Platform;
  const extra: ManagedProcess[] = [];

  /** One more signaling process on the same Redis, with `env`. */
  function signaling(env: Record<string, string>): ManagedProcess {
    const process_ = ManagedProcess.start('signaling-x', process.execPath, ['--import', 'tsx', join(repoRoot, 'signaling/src/main.ts')], {
      env: { ...process.env, TOKEN_KEYS_DIR: join(work, 'var', 'keys'), REDIS_URL: platform.redisUrl, SIGNALING_PORT: '0', ...env },
    });
    extra.push(process_);
    return process_;
  }
  /** The listener's own URL (the `url` in the log is PUBLIC_URL when set). */
  const readyUrl = async (p: ManagedProcess) =>
    (JSON.parse(await p.waitForLine((l) => l.includes('"signaling ready"'), 30_000, 'signaling ready')) as { listening: string }).listening;

  beforeAll(async () => {
    platform = await Platform.start({
      varDir: join(work, 'var'),
      env: { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile, TLS_SELF_SIGNED: 'true', PUBLIC_URL: 'https://meet.huijian.test' },
    });
  });

  afterAll(async () => {
    for (const p of extra) await p.stop();
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('creates a self-signed pair for the public name, private key mode 600, and serves HTTPS with it', async () => {
    const pem = readFileSync(certFile);
    const x509 = new X509Certificate(pem);
    expect(x509.subject).toContain('O=Huijian self-signed');
    expect(x509.subjectAltName).toContain('DNS:meet.huijian.test');
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    // PUBLIC_URL is what users open; the listener is the local one.
    const ready = JSON.parse(platform.signaling!.tail().split('\n').find((l) => l.includes('"signaling ready"'))!) as { listening: string };
    expect(platform.signalingUrl).toBe('https://meet.huijian.test');
    expect(ready.listening).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await httpsGet(`${ready.listening}/healthz`, pem);
    expect(answer.status).toBe(200);
    expect(answer.certificate.fingerprint256).toBe(x509.fingerprint256);
    expect(answer.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('carries Socket.IO over wss (a refused handshake comes back as a stable code)', async () => {
    const url = await readyUrl(signaling({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile }));
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const socket = io(`${url}${MEETING_NAMESPACE}`, {
      auth: { protocol: PROTOCOL_VERSION, token: 'not-a-token' },
      transports: ['websocket'],
      reconnection: false,
      ca: readFileSync(certFile, 'utf8'), // verified against its IP:127.0.0.1 name
    });
    const refusal = await new Promise<{ code?: string }>((resolve) => socket.once('connect_error', (e: Error & { data?: { code: string } }) => resolve(e.data ?? {})));
    socket.close();
    expect(refusal.code).toBe('DEVICE_CREDENTIAL_MISSING');
  });

  it('reuses its self-signed pair on restart and never replaces an operator certificate', async () => {
    const before = readFileSync(certFile, 'utf8');
    await readyUrl(signaling({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile, TLS_SELF_SIGNED: 'true', PUBLIC_URL: 'https://meet.huijian.test' }));
    expect(readFileSync(certFile, 'utf8')).toBe(before);

    const operator = opensslPair(join(work, 'operator'), 'meet.example.org');
    const operatorPem = readFileSync(operator.cert, 'utf8');
    const url = await readyUrl(signaling({ TLS_CERT_FILE: operator.cert, TLS_KEY_FILE: operator.key, TLS_SELF_SIGNED: 'true', PUBLIC_URL: 'https://other.huijian.test' }));
    expect(readFileSync(operator.cert, 'utf8')).toBe(operatorPem);
    const answer = await httpsGet(`${url}/healthz`, Buffer.from(operatorPem));
    expect(answer.certificate.subject.O).toBe('Operator');
  });

  it('reloads renewed certificate files on SIGHUP without dropping the listener', async () => {
    const dir = join(work, 'renewed');
    const first = opensslPair(dir, 'first.example.org');
    const process_ = signaling({ TLS_CERT_FILE: first.cert, TLS_KEY_FILE: first.key });
    const url = await readyUrl(process_);
    const firstPem = readFileSync(first.cert);
    expect((await httpsGet(`${url}/healthz`, firstPem)).certificate.subject.CN).toBe('first.example.org');

    opensslPair(dir, 'second.example.org'); // overwrites both files, as a renewal does
    const secondPem = readFileSync(first.cert);
    process_.kill('SIGHUP');
    await process_.waitForLine((l) => l.includes('TLS certificate reloaded'), 10_000, 'TLS certificate reloaded');
    const answer = await httpsGet(`${url}/healthz`, secondPem);
    expect(answer.status).toBe(200);
    expect(answer.certificate.subject.CN).toBe('second.example.org');
  });

  it('refuses to start with a key that does not match, or a missing file, naming the setting', async () => {
    const a = opensslPair(join(work, 'a'), 'a.example.org');
    const b = opensslPair(join(work, 'b'), 'b.example.org');
    const mismatched = signaling({ TLS_CERT_FILE: a.cert, TLS_KEY_FILE: b.key });
    expect((await mismatched.exited).code).not.toBe(0);
    expect(mismatched.tail()).toContain(`TLS_KEY_FILE ${b.key} is not the private key of the certificate`);

    const missing = signaling({ TLS_CERT_FILE: join(work, 'none/cert.pem'), TLS_KEY_FILE: join(work, 'none/key.pem') });
    expect((await missing.exited).code).not.toBe(0);
    expect(missing.tail()).toContain('TLS_CERT_FILE');
    expect(missing.tail()).toContain('TLS_SELF_SIGNED=true');

    const half = signaling({ TLS_CERT_FILE: a.cert });
    expect((await half.exited).code).not.toBe(0);
    expect(half.tail()).toContain('TLS_KEY_FILE: set TLS_CERT_FILE and TLS_KEY_FILE together');
  });
});
