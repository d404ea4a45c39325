import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../deploy/local/Platform';

/**
 * The clients never record: the bundles built from the current sources (every page: seat, kiosk,
 * portal, consoles, ops dashboard) contain no MediaRecorder, and no inline script (the strict CSP
 * would block it).
 */
describe('client bundles', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'huijian-bundles-'));
  const files: { path: string; text: string }[] = [];

  beforeAll(async () => {
    await build({ configFile: join(repoRoot, 'clients/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(js|mjs|html)$/.test(entry.name)) files.push({ path: relative(outDir, path), text: readFileSync(path, 'utf8') });
      }
    };
    walk(outDir);
  }, 240_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('are the real thing: every page and the call library are there', () => {
    const pages = files.filter((f) => f.path.endsWith('.html')).map((f) => f.path).sort();
    expect(pages).toEqual(['booth/index.html', 'console/index.html', 'index.html', 'ops/index.html', 'portal/index.html', 'station/index.html']);
    // The scan reads the code that runs: the call library's WebRTC use is in it.
    expect(files.some((f) => f.text.includes('RTCPeerConnection'))).toBe(true);
  });

  it('never name MediaRecorder', () => {
    expect(files.filter((f) => f.text.includes('MediaRecorder')).map((f) => f.path)).toEqual([]);
  });

  it('carry no inline script or style in their pages', () => {
    for (const page of files.filter((f) => f.path.endsWith('.html'))) {
      expect(page.text, page.path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(page.text, page.path).not.toMatch(/<style\b|\sstyle=/i);
    }
  });
});
