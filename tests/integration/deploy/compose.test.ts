import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ZodObject } from 'zod';
import { repoRoot } from '../../../deploy/local/Platform';
import { loadSfuConfig, sfuConfigSchema } from '../../../sfu-server/src/config';
import { loadSignalingConfig, signalingConfigSchema } from '../../../signaling/src/config';
import { closingMarginMs } from '../../../signaling/src/shutdown';
import {
  interpolate,
  publishedPorts,
  readComposeFile,
  readEnvFile,
  referencedVariables,
  serviceEnvironment,
  stringsOf,
  type ComposeService,
} from '../../support/composeFile';

/**
 * Static checks of docker-compose.yml and .env.example (no Docker engine on these machines):
 * it parses, every setting is documented and used, every service's environment is made of
 * settings its code reads and validates, and every port the code listens on is published.
 */
const composePath = join(repoRoot, 'docker-compose.yml');
const envExample = readEnvFile(join(repoRoot, '.env.example'));
/** What an operator fills in for the REQUIRED values (documentation addresses, test secrets). */
const filledIn: Record<string, string> = {
  ANNOUNCED_IP: '203.0.113.10',
  PUBLIC_HOST: 'meet.example.org',
  REDIS_PASSWORD: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  TURN_SECRET: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
};
const vars = { ...Object.fromEntries([...envExample].map(([key, { value }]) => [key, value])), ...filledIn };
const { compose, raw } = readComposeFile(composePath, vars);
const services = compose.services;

/** The settings each of our processes reads: the keys of its zod schema. */
const schemaOf: Record<string, ZodObject> = { 'sfu-server': sfuConfigSchema, signaling: signalingConfigSchema };

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

describe('docker-compose.yml and .env.example', () => {
  it('parses, with redis, sfu-server, signaling and turn, and declares every named volume it mounts', () => {
    expect(Object.keys(services).sort()).toEqual(['redis', 'sfu-server', 'signaling', 'turn']);
    for (const [name, s] of Object.entries(services)) {
      for (const volume of s.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('.') && !source.startsWith('/')) expect(compose.volumes, `${name} mounts volume ${source}`).toHaveProperty(source);
      }
      for (const dependency of Object.keys(s.depends_on ?? {})) expect(services, `${name} depends on ${dependency}`).toHaveProperty(dependency);
    }
  });

  it('every variable it uses is documented in .env.example, and every one there is used', () => {
    const used = new Set(stringsOf(raw).flatMap(referencedVariables));
    const documented = new Set(envExample.keys());
    expect([...used].filter((v) => !documented.has(v)), 'used but not in .env.example').toEqual([]);
    expect([...documented].filter((v) => !used.has(v)), 'in .env.example but unused').toEqual([]);
    for (const [key, { comment }] of envExample) expect(comment.join(' ').length, `${key} has a comment`).toBeGreaterThan(10);
  });

  it('refuses to start while a REQUIRED value is empty, naming it', () => {
    const required = [...envExample].filter(([, { comment }]) => comment.join(' ').includes('REQUIRED')).map(([key]) => key);
    expect(required.sort()).toEqual(Object.keys(filledIn).sort());
    for (const key of required) {
      expect(() => readComposeFile(composePath, { ...vars, [key]: '' }), key).toThrow(key);
    }
  });

  for (const name of ['sfu-server', 'signaling']) {
    it(`${name}: every environment variable is a setting the code reads, and the values pass its schema`, () => {
      const env = serviceEnvironment(service(name));
      const known = new Set(Object.keys(schemaOf[name]!.shape));
      expect(Object.keys(env).filter((key) => !known.has(key)), 'not read by the code').toEqual([]);
      const load = name === 'signaling' ? loadSignalingConfig : loadSfuConfig;
      expect(() => load(env)).not.toThrow();
    });
  }

  it('sfu-server: every WebRtcServer port is published, UDP and TCP, on the same host port (it is announced)', () => {
    const sfu = service('sfu-server');
    const config = loadSfuConfig(serviceEnvironment(sfu));
    const published = publishedPorts(sfu);
    expect(config.SFU_LISTEN_IP).toBe('0.0.0.0');
    expect(config.SFU_ANNOUNCED_ADDRESS).toBe(filledIn.ANNOUNCED_IP);
    for (let i = 0; i < config.SFU_WORKERS; i++) {
      const port = config.SFU_PORT_BASE + i;
      for (const protocol of ['udp', 'tcp'] as const) {
        expect(published, `worker ${i}: ${port}/${protocol}`).toContainEqual({ host: port, container: port, protocol });
      }
    }
    // SFU_PORT_LAST documents the range; it must match the workers exactly.
    expect(Number(vars.SFU_PORT_LAST)).toBe(config.SFU_PORT_BASE + config.SFU_WORKERS - 1);
  });

  it('every *_PORT a process listens on is published (or exposed on the compose network)', () => {
    for (const name of ['sfu-server', 'signaling']) {
      const s = service(name);
      const config = (name === 'signaling' ? loadSignalingConfig : loadSfuConfig)(serviceEnvironment(s)) as Record<string, unknown>;
      const reachable = new Set([...publishedPorts(s).map((p) => p.container), ...(s.expose ?? []).map(Number)]);
      for (const key of Object.keys(schemaOf[name]!.shape).filter((k) => k.endsWith('_PORT'))) {
        const port = config[key];
        if (typeof port === 'number' && port > 0) expect(reachable.has(port), `${name} ${key}=${port}`).toBe(true);
      }
    }
    const signaling = service('signaling');
    const port = loadSignalingConfig(serviceEnvironment(signaling)).SIGNALING_PORT;
    expect(publishedPorts(signaling)).toContainEqual({ host: Number(vars.HTTPS_PORT), container: port, protocol: 'tcp' });
  });

  it('signaling serves HTTPS on the public name, with TURN credentials and a drain shorter than docker’s grace period', () => {
    const config = loadSignalingConfig(serviceEnvironment(service('signaling')));
    expect(config.TLS_CERT_FILE).toBeDefined();
    expect(config.TLS_KEY_FILE).toBeDefined();
    expect(config.PUBLIC_URL).toBe(`https://${filledIn.PUBLIC_HOST}:${vars.HTTPS_PORT}`);
    expect(config.TURN_URLS.length).toBeGreaterThan(0);
    for (const url of config.TURN_URLS) expect(url).toContain(filledIn.PUBLIC_HOST);
    expect(config.TURN_SECRET).toBe(filledIn.TURN_SECRET);
    const grace = /^(\d+)s$/.exec(service('signaling').stop_grace_period ?? '');
    // Docker must not SIGKILL before signaling's own deadline (drain, then closing).
    expect(Number(grace?.[1]) * 1000).toBeGreaterThan(config.SIGNALING_DRAIN_TIMEOUT_MS + closingMarginMs);
    // The pair signaling creates on a first try is the one coturn reads for turns:.
    const tlsMount = service('signaling').volumes!.find((v) => v.endsWith(':/data/tls'))!.split(':')[0];
    expect(service('turn').volumes).toContain(`${tlsMount}:/tls:ro`);
    expect(config.TLS_CERT_FILE).toBe('/data/tls/cert.pem');
    const turnConf = readFileSync(join(repoRoot, 'deploy/turn/turnserver.conf'), 'utf8');
    expect(turnConf).toMatch(/^cert=\/tls\/cert\.pem$/m);
    expect(turnConf).toMatch(/^pkey=\/tls\/key\.pem$/m);
  });

  it('turn: every variable is one start-turn.sh reads, and its listeners and relay ports are published', () => {
    const turn = service('turn');
    const script = readFileSync(join(repoRoot, 'deploy/turn/start-turn.sh'), 'utf8');
    const readByScript = new Set([...script.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    const env = serviceEnvironment(turn);
    expect(Object.keys(env).filter((key) => !readByScript.has(key))).toEqual([]);
    expect(env.TURN_SECRET).toBe(filledIn.TURN_SECRET);
    expect(env.TURN_PEER_IPS).toBe(filledIn.ANNOUNCED_IP);

    const conf = readFileSync(join(repoRoot, 'deploy/turn/turnserver.conf'), 'utf8');
    const setting = (name: string) => Number(new RegExp(`^${name}=(\\d+)$`, 'm').exec(conf)?.[1]);
    const published = publishedPorts(turn);
    for (const protocol of ['udp', 'tcp'] as const) {
      expect(published).toContainEqual({ host: setting('listening-port'), container: setting('listening-port'), protocol });
    }
    expect(published).toContainEqual({ host: setting('tls-listening-port'), container: setting('tls-listening-port'), protocol: 'tcp' });
    for (let port = Number(env.TURN_RELAY_PORT_MIN); port <= Number(env.TURN_RELAY_PORT_MAX); port++) {
      expect(published, `relay port ${port}`).toContainEqual({ host: port, container: port, protocol: 'udp' });
    }
    expect(conf).not.toMatch(/^static-auth-secret/m);
  });

  it('redis: append-only file on a volume, a password, and no published port', () => {
    const redis = service('redis');
    const command = ([] as string[]).concat(redis.command ?? []).join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--dir /data');
    expect(command).toContain('requirepass');
    expect(redis.volumes?.some((v) => v.endsWith(':/data'))).toBe(true);
    expect(redis.ports ?? []).toEqual([]);
    expect(redis.healthcheck).toBeDefined();
    expect(command).not.toContain(filledIn.REDIS_PASSWORD);
    for (const name of ['sfu-server', 'signaling']) {
      expect(serviceEnvironment(service(name)).REDIS_URL).toBe(`redis://:${filledIn.REDIS_PASSWORD}@redis:6379`);
    }
  });

  it('every image we build names a Dockerfile that exists, built from the repository root', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.build) continue;
      expect(s.build.context, name).toBe('.');
      expect(existsSync(join(repoRoot, s.build.dockerfile)), s.build.dockerfile).toBe(true);
    }
  });

  it('interpolation works as docker compose does (the checks above rely on it)', () => {
    expect(interpolate('a${X:-d}b$${Y}', {})).toBe('ad' + 'b${Y}');
    expect(interpolate('${X-d}', { X: '' })).toBe('');
    expect(interpolate('${X:-d}', { X: '' })).toBe('d');
    expect(() => interpolate('${X:?set X}', { X: '' })).toThrow('set X');
    expect(interpolate('${X:+yes}', { X: '1' })).toBe('yes');
  });
});
