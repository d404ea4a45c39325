import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { repoRoot } from '../../deploy/local/Platform';

/** README screenshots: written by the e2e run, referenced from README.md. */
export const screenshotDir = join(repoRoot, 'docs/screenshots');

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) as `${string}.png`, fullPage });
}

/**
 * Collects what a page reports about its own health: Content Security Policy violations (the
 * clients must run under the strict policy), uncaught errors, failed requests other than the
 * API refusals a test provokes on purpose.
 */
export function watchPage(page: Page, name: string): { problems: string[] } {
  const problems: string[] = [];
  void page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|CSP violation|Refused to/i.test(message.text())) problems.push(`${name}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${name}: uncaught ${(error as Error).message}`));
  return { problems };
}

export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('#username');
  await page.type('#username', username);
  await page.type('#password', password);
  await Promise.all([page.waitForSelector('#person', { timeout: 15_000 }), page.click('#sign-in-submit')]);
}

/**
 * Every string a person sees or hears on the page: visible text (screen-reader text included),
 * button labels, aria-labels, placeholders, titles and the document title. Left out: what the
 * page marks as data (`translate="no"`: names, addresses, ids) and elements in another language
 * on purpose (the language button's label, marked with its own `lang`).
 */
export async function visibleStrings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const pageLanguage = document.documentElement.lang;
    const strings: string[] = [document.title];
    const excluded = (element: Element | null): boolean => {
      for (let e = element; e; e = e.parentElement) {
        if (e.getAttribute('translate') === 'no') return true;
        const lang = e.getAttribute('lang');
        if (lang && e !== document.documentElement && lang !== pageLanguage) return true;
        if (e.tagName === 'SCRIPT' || e.tagName === 'STYLE' || e.tagName === 'TEMPLATE') return true;
      }
      return false;
    };
    const visible = (element: Element) => (element as HTMLElement).checkVisibility?.({ visibilityProperty: true }) ?? true;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim();
      if (!text || !parent || excluded(parent)) continue;
      // A select shows its chosen option only.
      if (parent.tagName === 'OPTION' && !(parent as HTMLOptionElement).selected) continue;
      if (!visible(parent.tagName === 'OPTION' ? parent.parentElement! : parent)) continue;
      strings.push(text);
    }
    for (const element of document.body.querySelectorAll('[aria-label], [placeholder], [title]')) {
      if (excluded(element) || !visible(element)) continue;
      for (const attribute of ['aria-label', 'placeholder', 'title']) {
        const value = element.getAttribute(attribute)?.trim();
        if (value) strings.push(value);
      }
    }
    return strings;
  });
}

const cjk = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const latinWord = /[A-Za-z]{2,}/;

/** The strings that break the page's language: Chinese in English mode, English words in Chinese mode. */
export function foreignStrings(strings: string[], language: 'zh-CN' | 'en'): string[] {
  return strings.filter((s) => (language === 'en' ? cjk.test(s) : latinWord.test(s)));
}
