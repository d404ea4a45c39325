import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot } from '../../deploy/local/Platform';
import { launchChromium } from '../support/browser';
import { screenshot } from '../support/screens';
import { TestRedis } from '../support/TestRedis';

/**
 * What `npm start` prints once the platform runs (deploy/local/start.ts, after the setup step):
 * the two demo links work, and the output, rendered as a terminal, is the README's first picture.
 */
describe('npm start', () => {
  let redis: TestRedis;
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    redis = await TestRedis.start();
    child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'deploy/local/start.ts')], {
      cwd: repoRoot,
      env: { ...process.env, REDIS_URL: redis.url, SIGNALING_PORT: '0', SFU_PORT_BASE: String(await freePort()), DEMO_PASSWORD: 'demo-password' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed no links in 90 s:\n${output}`)), 90_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Stop with Ctrl+C.')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`start.ts exited with ${code}:\n${output}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    await redis?.stop();
  });

  it('prints the demo links, which open the two terminals', async () => {
    const station = /Station seat \(lawyer\):\s+(\S+)/.exec(output)?.[1];
    const booth = /Booth kiosk \(detainee\):\s+(\S+)/.exec(output)?.[1];
    expect(station).toMatch(/\/station\/#credential=/);
    expect(booth).toMatch(/\/booth\/#credential=/);
    expect((await fetch(station!.split('#')[0]!)).status).toBe(200);
    expect(output).toContain('password for all: demo-password');
  });

  it('rendered as a terminal for the README', async () => {
    const { browser, close } = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1100, height: 560 });
      const escaped = `$ npm start\n${output}`.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      await page.setContent(
        `<html><body style="margin:0;background:#0e1116"><pre style="margin:0;padding:16px 20px;color:#e6edf3;font:14px/1.45 'DejaVu Sans Mono',monospace;white-space:pre-wrap;word-break:break-all">${escaped}</pre></body></html>`,
      );
      await screenshot(page, 'terminal-npm-start', true);
    } finally {
      await close();
    }
  });
});
