import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';

const cjk = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const latinWord = /[A-Za-z]{2,}/;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  it('have the same keys, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const [key, text] of [...Object.entries(zhCN), ...Object.entries(en)]) expect(text.trim(), key).not.toBe('');
  });

  it('fill the same placeholders in both languages', () => {
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
  });

  it('never mix languages: no Chinese in English, no English words in Chinese', () => {
    for (const [key, text] of Object.entries(en)) expect(cjk.test(text), `${key}: ${text}`).toBe(false);
    for (const [key, text] of Object.entries(zhCN)) expect(latinWord.test(text.replace(/\{\w+\}/g, '')), `${key}: ${text}`).toBe(false);
  });
});
