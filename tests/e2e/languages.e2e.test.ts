import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform } from '../../deploy/local/Platform';
import { launchChromium } from '../support/browser';
import { MeetingFixtures } from '../support/meetingFixtures';
import { foreignStrings, screenshot, signIn, visibleStrings, watchPage } from '../support/screens';

const password = 'languages-demo-password';

/**
 * Every screen speaks one language at a time: in Chinese (the default) no English word is shown,
 * and after the language button (or `?lang=en` on the kiosk, which has no button) no Chinese
 * character is left, apart from data the page marks as such (names, addresses, ids). Also
 * checks that no screen trips the Content Security Policy.
 */
describe('languages: zh-CN by default, English on request, never mixed', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-e2e-lang-'));
  let platform: Platform;
  let fixtures: MeetingFixtures;
  let browser: Browser;
  let close: () => Promise<void>;
  const pages: { problems: string[] }[] = [];

  beforeAll(async () => {
    platform = await Platform.start({ varDir: join(work, 'var'), demo: true, env: { DEMO_PASSWORD: password } });
    fixtures = new MeetingFixtures(platform);
    ({ browser, close } = await launchChromium());
  }, 120_000);

  afterAll(async () => {
    await close?.();
    await fixtures?.close();
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  async function freshPage(name: string, width = 1280, height = 800): Promise<Page> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width, height });
    pages.push(watchPage(page, name));
    return page;
  }

  /** Check the page in Chinese, switch with its language button, check it in English. */
  async function checkBothLanguages(page: Page, what: string, switchLanguage?: () => Promise<void>): Promise<void> {
    await page.waitForNetworkIdle({ idleTime: 300, timeout: 15_000 }).catch(() => undefined);
    expect(await page.evaluate(() => document.documentElement.lang), what).toBe('zh-CN');
    const zh = await visibleStrings(page);
    expect(zh.length, `${what}: strings found`).toBeGreaterThan(3);
    expect(foreignStrings(zh, 'zh-CN'), `${what} in Chinese`).toEqual([]);
    if (switchLanguage) await switchLanguage();
    else await page.click('#language-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en', { timeout: 10_000 });
    await page.waitForNetworkIdle({ idleTime: 300, timeout: 15_000 }).catch(() => undefined);
    const english = await visibleStrings(page);
    expect(foreignStrings(english, 'en'), `${what} in English`).toEqual([]);
    expect(english.filter((s) => /[A-Za-z]{3,}/.test(s)).length, `${what}: English strings`).toBeGreaterThan(3);
    // Back to Chinese for the next screen of this browser context (a hash change does not reload
    // the page): with the button where there is one, else as a kiosk is set up.
    if (switchLanguage) await page.evaluate(() => localStorage.setItem('lang', 'zh-CN'));
    else {
      await page.click('#language-switch');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN', { timeout: 10_000 });
    }
  }

  it('the home page', async () => {
    const page = await freshPage('home');
    await page.goto(`${platform.signalingUrl}/?lang=zh-CN`);
    await page.waitForSelector('.screens a');
    await checkBothLanguages(page, 'home');
  });

  it('the lawyer portal: sign-in, finding a slot, my bookings (desktop and phone widths)', async () => {
    const page = await freshPage('portal');
    await page.goto(`${platform.signalingUrl}/portal/?lang=zh-CN`);
    await page.waitForSelector('#sign-in');
    await checkBothLanguages(page, 'portal sign-in');
    await page.evaluate(() => localStorage.setItem('lang', 'zh-CN'));
    await signIn(page, `${platform.signalingUrl}/portal/`, 'lawyer.li', password);
    // The centers load after sign-in.
    await page.waitForSelector('#center option[value="dc-haidian"]');
    await page.select('#center', 'dc-haidian');
    await page.type('#client-name', '王某');
    await page.type('#case-reference', 'HD-2026-0523');
    await page.click('#find-client');
    await page.waitForSelector('#client-found');
    await page.click('#find-slots');
    await page.waitForSelector('#slots .slot');
    await screenshot(page, 'portal-find-slots');
    await checkBothLanguages(page, 'portal slot finder');
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
    await page.goto(`${platform.signalingUrl}/portal/#/bookings`);
    await page.waitForSelector('#my-bookings h2');
    await screenshot(page, 'portal-phone', true);
    await checkBothLanguages(page, 'portal my bookings (phone)');
  });

  it('the station officer console', async () => {
    const page = await freshPage('station console');
    await page.goto(`${platform.signalingUrl}/console/?lang=zh-CN`);
    await signIn(page, `${platform.signalingUrl}/console/`, 'officer.zgc', password);
    await page.waitForSelector('.agenda-item');
    await page.waitForSelector('#live-units .unit');
    await checkBothLanguages(page, 'station console');
    await page.goto(`${platform.signalingUrl}/console/#/follow-up`);
    await page.waitForSelector('#open-feedback');
    await checkBothLanguages(page, 'station follow-up');
  });

  it('the detention officer console', async () => {
    const page = await freshPage('detention console');
    await page.goto(`${platform.signalingUrl}/console/?lang=zh-CN`);
    await signIn(page, `${platform.signalingUrl}/console/`, 'officer.dc-haidian', password);
    await page.waitForSelector('.booth-schedule');
    await page.waitForSelector('#live-units .unit');
    await checkBothLanguages(page, 'detention console');
  });

  it('the admin views: statistics, resources, terminals, rules, follow-up', async () => {
    const page = await freshPage('admin');
    await page.goto(`${platform.signalingUrl}/console/?lang=zh-CN`);
    await signIn(page, `${platform.signalingUrl}/console/`, 'admin', password);
    for (const [hash, ready, shot] of [
      ['#/statistics', '#chart-days', 'admin-statistics'],
      ['#/resources', '#stations-table', undefined],
      ['#/devices', '#devices-table tbody tr', 'admin-devices'],
      ['#/rules', '#rules-default', undefined],
      ['#/follow-up', '#open-feedback', undefined],
    ] as const) {
      await page.goto(`${platform.signalingUrl}/console/${hash}`);
      await page.waitForSelector(ready);
      if (shot) await screenshot(page, shot, true);
      await checkBothLanguages(page, `admin ${hash}`);
    }
  }, 240_000);

  it('the station seat and the booth kiosk, idle and in a call', async () => {
    const links = (await (await fetch(`${platform.signalingUrl}/api/demo/links`)).json()) as { station: string; booth: string };
    const seat = await freshPage('seat', 1280, 720);
    await seat.goto(links.station.replace('/station/#', '/station/?lang=zh-CN#'));
    await seat.waitForSelector('body[data-state="joined"]', { timeout: 60_000 });
    await checkBothLanguages(seat, 'seat in a call');

    const booth = await freshPage('booth', 1280, 720);
    await booth.goto(links.booth.replace('/booth/#', '/booth/?lang=zh-CN#'));
    await booth.waitForSelector('body[data-state="joined"]', { timeout: 60_000 });
    await checkBothLanguages(booth, 'kiosk in a call', async () => {
      await booth.goto(`${platform.signalingUrl}/booth/?lang=en`);
      await booth.waitForSelector('body[data-state="joined"]', { timeout: 30_000 });
    });

    // A registered terminal with nothing assigned yet: the idle screens.
    const idleSeat = await freshPage('idle seat', 1280, 720);
    await idleSeat.goto(`${platform.signalingUrl}/station/?lang=zh-CN#credential=${await fixtures.provision('seat-hdc-3', 'seat')}`);
    await idleSeat.waitForSelector('#idle');
    await checkBothLanguages(idleSeat, 'idle seat');
    const idleBooth = await freshPage('idle booth', 1280, 720);
    await idleBooth.goto(`${platform.signalingUrl}/booth/?lang=zh-CN#credential=${await fixtures.provision('booth-c1-2', 'booth')}`);
    await idleBooth.waitForSelector('#kiosk-idle');
    await checkBothLanguages(idleBooth, 'idle kiosk', async () => {
      await idleBooth.goto(`${platform.signalingUrl}/booth/?lang=en`);
      await idleBooth.waitForSelector('#kiosk-idle');
    });
  }, 180_000);

  it('no screen broke the Content Security Policy or threw', () => {
    expect(pages.flatMap((p) => p.problems)).toEqual([]);
  });
});
