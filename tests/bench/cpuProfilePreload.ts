/**
 * Loaded with `node --import` before a platform process (Platform `preload`): profiles the whole
 * process with V8's CPU profiler and writes `<CPU_PROFILE_DIR>/<pid>.cpuprofile` at exit, like
 * `node --cpu-prof` (which NODE_OPTIONS does not allow).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  // Same-thread inspector sessions answer synchronously, so this still runs inside 'exit'.
  process.once('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
