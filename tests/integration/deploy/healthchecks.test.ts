import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform, repoRoot } from '../../../deploy/local/Platform';

/** The images' HEALTHCHECK commands, run as Docker runs them, against the real processes. */
function healthcheck(script: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'deploy/docker', script)], { env: { ...process.env, ...env }, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

describe('image healthchecks', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-health-'));
  let platform: Platform;
  let signalingPort = '';

  beforeAll(async () => {
    platform = await Platform.start({ varDir: join(work, 'var') });
    signalingPort = new URL(platform.signalingUrl).port;
  });

  afterAll(async () => {
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('sfu-server: healthy while its heartbeat is fresh, by SFU_NODE_ID', async () => {
    const result = await healthcheck('sfu-healthcheck.mjs', { REDIS_URL: platform.redisUrl, SFU_NODE_ID: platform.sfuNodeId });
    expect(result.output).toContain(`healthy: ${platform.sfuNodeId}`);
    expect(result.code).toBe(0);
  });

  it('sfu-server: unhealthy for a node that does not beat, or when Redis is unreachable', async () => {
    const absent = await healthcheck('sfu-healthcheck.mjs', { REDIS_URL: platform.redisUrl, SFU_NODE_ID: 'sfu-not-running' });
    expect(absent.code).toBe(1);
    expect(absent.output).toContain('no fresh heartbeat for sfu-not-running');
    const noRedis = await healthcheck('sfu-healthcheck.mjs', { REDIS_URL: 'redis://127.0.0.1:1', SFU_NODE_ID: platform.sfuNodeId });
    expect(noRedis.code).toBe(1);
    expect(noRedis.output).toContain('unhealthy');
  });

  it('signaling: healthy while it listens, unhealthy once it has stopped', async () => {
    const up = await healthcheck('signaling-healthcheck.mjs', { SIGNALING_PORT: signalingPort });
    expect(up.output).toContain('/healthz: 200');
    expect(up.code).toBe(0);
    await platform.signaling!.stop();
    const down = await healthcheck('signaling-healthcheck.mjs', { SIGNALING_PORT: signalingPort });
    expect(down.code).toBe(1);
    expect(down.output).toContain('ECONNREFUSED');
  });
});
