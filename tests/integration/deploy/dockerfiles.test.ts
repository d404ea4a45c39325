import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../deploy/local/Platform';
import { sfuConfigSchema } from '../../../sfu-server/src/config';
import { signalingConfigSchema } from '../../../signaling/src/config';
import { copies, envOf, execForm, readDockerfile, type Stage } from '../../support/dockerfile';
import { importGraph } from '../../support/importGraph';

/**
 * Static checks of the images (no Docker engine on these machines): every COPY source exists and
 * is in the build context, the final stages hold every file their entry point loads and every
 * package it imports is installed, run as a non-root user with a healthcheck, and the
 * sfu-server image builds the worker with the project's own script and ships its libraries.
 */
const ignore = dockerignore({ ignorecase: false }).add(readFileSync(join(repoRoot, '.dockerignore'), 'utf8'));
const inContext = (path: string) => !ignore.ignores(path);

function filesUnder(path: string): string[] {
  const full = join(repoRoot, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)));
}

interface Image {
  dockerfile: string;
  stages: Stage[];
  final: Stage;
}

const images: Record<string, Image> = Object.fromEntries(
  ['sfu-server', 'signaling', 'turn'].map((name) => {
    const dockerfile = `deploy/docker/${name}.Dockerfile`;
    const stages = readDockerfile(join(repoRoot, dockerfile));
    return [name, { dockerfile, stages, final: stages.at(-1)! }];
  }),
);

/** Repository paths the final stage copies from the build context (not from other stages). */
function contextPaths(stage: Stage): string[] {
  return copies(stage)
    .filter((c) => !c.from)
    .flatMap((c) => c.sources)
    .map((s) => s.replace(/\/$/, ''));
}

const covered = (paths: string[], file: string) => paths.some((p) => file === p || file.startsWith(`${p}/`));

function dependenciesOf(...manifests: string[]): Set<string> {
  return new Set(
    manifests.flatMap((m) => Object.keys((JSON.parse(readFileSync(join(repoRoot, m), 'utf8')) as { dependencies?: object }).dependencies ?? {})),
  );
}

describe('Dockerfiles', () => {
  it('the build context keeps out secrets, local state and dependencies', () => {
    for (const path of ['.env', '.git/config', 'node_modules/zod/package.json', 'var/keys/k1.pem', 'clients/dist/index.html', 'signaling/src/x.test.ts']) {
      expect(inContext(path), path).toBe(false);
    }
    for (const path of ['.env.example', 'package-lock.json', 'deploy/worker/test/srtp-compat-test.c', 'signaling/src/main.ts']) {
      expect(inContext(path), path).toBe(true);
    }
  });

  for (const [name, image] of Object.entries(images)) {
    describe(name, () => {
      it('every COPY source exists in the build context, every --from names an earlier stage', () => {
        image.stages.forEach((stage, index) => {
          const earlier = new Set(image.stages.slice(0, index).map((s) => s.name));
          for (const copy of copies(stage)) {
            if (copy.from) {
              expect(earlier.has(copy.from), `${image.dockerfile}:${copy.line} --from=${copy.from}`).toBe(true);
              continue;
            }
            for (const source of copy.sources) {
              const path = source.replace(/\/$/, '');
              expect(existsSync(join(repoRoot, path)), `${image.dockerfile}:${copy.line} ${source} exists`).toBe(true);
              const sent = filesUnder(path).filter(inContext);
              expect(sent.length, `${image.dockerfile}:${copy.line} ${source} is not excluded by .dockerignore`).toBeGreaterThan(0);
            }
          }
        });
      });

      it('the final stage runs as a non-root user, with a healthcheck and an exec-form command', () => {
        const { final } = image;
        const user = final.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
        expect(user, 'USER').toBeDefined();
        expect(['root', '0', '0:0']).not.toContain(user);
        const health = final.instructions.find((i) => i.keyword === 'HEALTHCHECK');
        expect(health && execForm(health.args), 'HEALTHCHECK in exec form').toBeTruthy();
        const start = final.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT').at(-1);
        expect(start && execForm(start.args), 'CMD/ENTRYPOINT in exec form (signals reach the process)').toBeTruthy();
      });
    });
  }

  for (const [name, entry, schema, manifests] of [
    ['sfu-server', 'sfu-server/src/main.ts', sfuConfigSchema, ['package.json', 'sfu-server/package.json']],
    ['signaling', 'signaling/src/main.ts', signalingConfigSchema, ['package.json', 'signaling/package.json', 'sfu-server/package.json']],
  ] as const) {
    describe(`${name} final image`, () => {
      const { final } = images[name]!;

      it(`runs ${entry} with tsx, and every file it loads is copied in`, () => {
        const cmd = execForm(final.instructions.filter((i) => i.keyword === 'CMD').at(-1)!.args)!;
        expect(cmd).toEqual(['node', '--import', 'tsx', entry]);
        const paths = contextPaths(final);
        const graph = importGraph(repoRoot, [entry]);
        const missing = [...graph.files].filter((file) => !covered(paths, file) || !inContext(file));
        expect(missing, 'loaded at run time but not in the image').toEqual([]);
        expect(graph.files.size).toBeGreaterThan(10);
      });

      it('every package it imports is a production dependency (installed by npm ci --omit=dev)', () => {
        const installed = dependenciesOf(...manifests);
        expect(installed.has('tsx')).toBe(true);
        const graph = importGraph(repoRoot, [entry]);
        const healthcheck = execForm(final.instructions.find((i) => i.keyword === 'HEALTHCHECK')!.args)!.at(-1)!;
        const probe = importGraph(repoRoot, [healthcheck]);
        expect(covered(contextPaths(final), healthcheck), `${healthcheck} is copied in`).toBe(true);
        const imported = new Map([...graph.packages, ...probe.packages]);
        const missing = [...imported].filter(([pkg]) => !installed.has(pkg)).map(([pkg, by]) => `${pkg} (imported by ${by.join(', ')})`);
        expect(missing).toEqual([]);
      });

      it('every ENV it sets is a setting of the process (NODE_ENV: read by Express)', () => {
        const known = new Set([...Object.keys(schema.shape), ...(name === 'signaling' ? ['NODE_ENV'] : [])]);
        const env = Object.keys(envOf(final));
        expect(env.length).toBeGreaterThan(0);
        expect(env.filter((key) => !known.has(key))).toEqual([]);
      });
    });
  }

  it('signaling: the client bundles are built from everything the pages load', () => {
    const stage = images.signaling!.stages.find((s) => s.name === 'clients')!;
    expect(stage.instructions.some((i) => i.keyword === 'RUN' && i.args.includes('vite build -c clients/vite.config.ts'))).toBe(true);
    const graph = importGraph(repoRoot, ['clients/index.ts', 'clients/station/main.ts', 'clients/booth/main.ts', 'clients/vite.config.ts']);
    const paths = contextPaths(stage);
    expect([...graph.files].filter((file) => !covered(paths, file) || !inContext(file))).toEqual([]);
    expect(copies(images.signaling!.final).some((c) => c.from === 'clients' && c.sources.includes('/src/clients/dist/'))).toBe(true);
  });

  describe('sfu-server: the mediasoup worker', () => {
    const [workerStage] = images['sfu-server']!.stages;

    it('is built by deploy/worker/build-worker.sh from the locked tarball, as on a Debian host', () => {
      expect(workerStage!.base).toBe('${NODE_IMAGE}');
      const arg = readFileSync(join(repoRoot, images['sfu-server']!.dockerfile), 'utf8').match(/^ARG NODE_IMAGE=(\S+)$/m)?.[1];
      expect(arg).toMatch(/^node:20[.\d]*-bookworm/);
      const run = workerStage!.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
      expect(run).toContain("bash deploy/worker/build-worker.sh --from-registry");
      expect(contextPaths(workerStage!)).toEqual(expect.arrayContaining(['package-lock.json', 'deploy/worker']));
      const final = images['sfu-server']!.final;
      expect(copies(final)).toContainEqual(expect.objectContaining({ from: 'worker', sources: ['/out/mediasoup-worker'], destination: '/usr/local/bin/mediasoup-worker' }));
      expect(envOf(final).MEDIASOUP_WORKER_BIN).toBe('/usr/local/bin/mediasoup-worker');
    });

    it('ships the Debian packages of every library the worker links (measured on the binary built here)', () => {
      const worker = join(repoRoot, 'var/bin/mediasoup-worker');
      const packages = execFileSync('bash', [join(repoRoot, 'deploy/docker/worker-runtime-packages.sh'), worker], { encoding: 'utf8' }).trim().split('\n');
      expect(packages).toEqual(expect.arrayContaining(['libuv1', 'libssl3', 'libsrtp2-1', 'libstdc++6']));
      expect(packages.some((p) => p.startsWith('libabsl'))).toBe(true);
      // Every resolved library belongs to one of those packages.
      const libs = execFileSync('ldd', [worker], { encoding: 'utf8' })
        .split('\n')
        .map((line) => /=> (\/\S+)/.exec(line)?.[1])
        .filter((lib): lib is string => Boolean(lib));
      for (const lib of libs) {
        let owner: string | undefined;
        for (const path of [lib, `/usr${lib}`, lib.replace(/^\/usr/, '')]) {
          try {
            owner = execFileSync('dpkg-query', ['-S', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(':')[0];
            break;
          } catch {
            // usrmerge: the package may have shipped the file under the other prefix
          }
        }
        expect(packages, lib).toContain(owner);
      }
      const final = readFileSync(join(repoRoot, images['sfu-server']!.dockerfile), 'utf8');
      expect(final).toContain('xargs -a /tmp/runtime-packages apt-get install');
    });
  });
});
