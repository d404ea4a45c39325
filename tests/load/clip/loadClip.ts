import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { clipVersion, readClip, type MediaClip } from './clipFormat';

const repoRoot = resolve(import.meta.dirname, '../../..');
export const defaultClipDir = join(repoRoot, 'var', 'load-clip', `v${clipVersion}`);
const browserLock = '/tmp/huijian-browser.lock';

/**
 * The load generator's pre-encoded clip. The first call on a machine encodes it in Chromium
 * (about 20 s, under the machine-wide browser lock) and caches it under var/load-clip.
 */
export function loadClip(dir = defaultClipDir): MediaClip {
  const cached = readClip(dir);
  if (cached) return cached;
  const script = join(import.meta.dirname, 'encodeClip.ts');
  const node = [process.execPath, '--import', 'tsx', script, dir];
  const command = existsSync('/usr/bin/flock') ? ['/usr/bin/flock', browserLock, ...node] : node;
  const run = spawnSync(command[0]!, command.slice(1), { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error(`encoding the load clip failed (exit ${run.status ?? run.signal}); run ${command.join(' ')}`);
  const clip = readClip(dir);
  if (!clip) throw new Error(`the load clip is missing from ${dir} after encoding`);
  return clip;
}
