import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forbiddenApiNames } from './forbiddenApis';

const repoRoot = resolve(import.meta.dirname, '../../..');
/** Product code: every source file of the SFU, signaling and the browser clients, tests excluded. */
const scannedRoots = ['sfu-server/src', 'signaling/src', 'clients'];
const isSource = (path: string) => /\.(ts|tsx|js|mjs|cjs|html)$/.test(path);
const isTest = (path: string) => /\.(test|spec)\.|\/(tests?|__tests__)\//.test(path);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : isSource(path) && !isTest(path) ? [path] : [];
  });
}

/** Every occurrence of a forbidden name in product code, as "file:line: name". */
function forbiddenApiHits(files: string[]): string[] {
  const pattern = new RegExp(forbiddenApiNames.join('|'), 'g');
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => [...line.matchAll(pattern)].map((m) => `${relative(repoRoot, file)}:${i + 1}: ${m[0]}`)),
  );
}

describe('no recording or monitoring path in the product code (static scan)', () => {
  const files = scannedRoots.flatMap((root) => sourceFiles(join(repoRoot, root)));

  it('scans the SFU, signaling and client sources', () => {
    const scanned = files.map((f) => relative(repoRoot, f));
    expect(scanned).toContain('sfu-server/src/meetings/MeetingRoom.ts');
    expect(scanned).toContain('signaling/src/meetings/MeetingNamespace.ts');
    expect(scanned).toContain('clients/common/MeetingSession.ts');
    expect(scanned.some(isTest)).toBe(false);
  });

  it('lists the forbidden names', () => {
    expect(forbiddenApiNames).toEqual(
      expect.arrayContaining(['createPlain' + 'Transport', 'createPipe' + 'Transport', 'pipeTo' + 'Router', 'consume' + 'Data', 'Media' + 'Recorder']),
    );
  });

  it('finds none of them in product code', () => {
    expect(forbiddenApiHits(files)).toEqual([]);
  });

  it('would catch one (the scan itself works)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huijian-scan-'));
    try {
      const planted = join(dir, 'Tap.ts');
      writeFileSync(planted, ['const tap = await router.', 'createPipe', 'Transport({});\n', 'new Media', 'Recorder(stream);\n'].join(''));
      expect(forbiddenApiHits([planted])).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('one narrow module reaches mediasoup (static scan)', () => {
  const files = ['sfu-server/src', 'signaling/src'].flatMap((root) => sourceFiles(join(repoRoot, root)));
  /** Files allowed to use mediasoup beyond plain data types: the worker pool (createWorker) and the meeting room. */
  const doors = ['sfu-server/src/workers/WorkerPool.ts', 'sfu-server/src/meetings/MeetingRoom.ts'];
  const objectTypes = /\bms\.(Router|Transport|WebRtcTransport|Producer|Consumer|RtpObserver|DataProducer|DataConsumer|Worker|WebRtcServer)\b/;

  it('no other file imports mediasoup values or its router, transport, producer or consumer types', () => {
    const offenders = files
      .map((file) => ({ file: relative(repoRoot, file), text: readFileSync(file, 'utf8') }))
      .filter(({ file }) => !doors.includes(file))
      .filter(({ text }) => /from 'mediasoup'/.test(text) && (/^import (?!type )[^;]*from 'mediasoup'/m.test(text) || objectTypes.test(text)))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });
});
