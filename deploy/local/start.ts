import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Platform, repoRoot } from './Platform';

/**
 * `npm start`: the whole platform on this machine with demo data, until Ctrl+C.
 * Ports: SIGNALING_PORT (8080), REDIS_PORT (6380, unless REDIS_URL is set), SFU_PORT_BASE (40000).
 * SIGNALING_INSTANCES (1) starts more signaling instances on free ports against the same Redis.
 * SFU_NODES (1) starts more sfu-server nodes against the same Redis; node i's workers listen on
 * SFU_PORT_BASE + 100 × i + worker (docs/scaling.md).
 */
const env = process.env;
const varDir = join(repoRoot, 'var');
/** The demo sign-ins' password: DEMO_PASSWORD if set, else a fresh one printed below. */
const demoPassword = env.DEMO_PASSWORD ?? randomBytes(9).toString('base64url');

console.log('Starting Redis, sfu-server and signaling …');
const platform = await Platform.start({
  varDir,
  redisUrl: env.REDIS_URL,
  redisPort: Number(env.REDIS_PORT ?? 6380),
  redisAppendOnly: true,
  signalingPort: Number(env.SIGNALING_PORT ?? 8080),
  sfuPortBase: Number(env.SFU_PORT_BASE ?? 40000),
  sfuWorkers: env.SFU_WORKERS ? Number(env.SFU_WORKERS) : undefined,
  sfuNodes: env.SFU_NODES ? Number(env.SFU_NODES) : undefined,
  signalingInstances: env.SIGNALING_INSTANCES ? Number(env.SIGNALING_INSTANCES) : undefined,
  demo: true,
  env: { DEMO_PASSWORD: demoPassword },
}).catch((error: unknown) => {
  console.error(`\nThe platform did not start:\n${error instanceof Error ? error.message : String(error)}`);
  console.error(`Logs are in ${join(varDir, 'log')}.`);
  process.exit(1);
});

const response = await fetch(`${platform.signalingUrl}/api/demo/links`);
const links = (await response.json()) as { station: string; booth: string; endsAt: number };

console.log(`
  Huijian remote meetings is running (demo data loaded).

  Open these two in separate browser windows (each is one end of the demo meeting):
    Station seat (lawyer):    ${links.station}
    Booth kiosk (detainee):   ${links.booth}

  Demo sign-ins (POST /api/auth/login), password for all: ${demoPassword}
    admin (admin) · ops (ops) · officer.zgc, officer.hdc (station officers) ·
    officer.dc-haidian, officer.dc-city-1 (detention officers) · lawyer.zhang, lawyer.li, lawyer.wang (lawyers)
  REST API:   ${platform.signalingUrl}/api/openapi.json  (see docs/booking.md)

  Home page:  ${platform.signalingUrl}/
  Redis:      ${platform.redisUrl}   data in var/redis/
  Logs:       var/log/ (JSON, one file per process)
  The demo slot ends at ${new Date(links.endsAt).toLocaleTimeString()}; restart to get a new one.
  Stop with Ctrl+C.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping …');
    void platform.stop().then(() => process.exit(0));
  });
}
for (const child of [platform.redis, ...platform.sfus, ...platform.signalings]) {
  void child?.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`${child.name} stopped unexpectedly (code ${code}, signal ${signal}); see var/log/${child.name}.log`);
    void platform.stop().then(() => process.exit(1));
  });
}
