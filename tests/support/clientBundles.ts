import { execFileSync } from 'node:child_process';

/** Vitest global setup for the e2e project: the pages are served from clients/dist, so build it if stale. */
export default function buildClientBundles(): void {
  execFileSync('bash', ['deploy/build-clients.sh'], { stdio: 'inherit' });
}
