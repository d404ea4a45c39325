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
  const encode = (command: string[]) => spawnSync(command[0]!, command.slice(1), { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] }).status;
  // Under the browser lock when it can be had within a minute; a caller that already holds it
  // (e.g. `flock <lock> npm test`) would otherwise wait for itself, so then encode without it.
  let status = existsSync('/usr/bin/flock') ? encode(['/usr/bin/flock', '-E', '75', '-w', '60', browserLock, ...node]) : encode(node);
  if (status === 75) status = encode(node);
  if (status !== 0) throw new Error(`encoding the load clip failed (exit ${status}); run ${node.join(' ')}`);
  const clip = readClip(dir);
  if (!clip) throw new Error(`the load clip is missing from ${dir} after encoding`);
  return clip;
}
