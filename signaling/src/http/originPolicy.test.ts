import { describe, expect, it } from 'vitest';
import { originAllowed } from './originPolicy';

const own = ['https://meet.example.cn'];
const allow = ['https://portal.example.cn'];

describe('originAllowed', () => {
  it('lets through requests without an Origin (terminal apps, tools)', () => {
    expect(originAllowed({ host: 'x' }, own, allow)).toBe(true);
  });

  it('lets through the same origin, by Host header or public URL', () => {
    expect(originAllowed({ origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080' }, own, allow)).toBe(true);
    expect(originAllowed({ origin: 'https://meet.example.cn', host: 'internal:8080' }, own, allow)).toBe(true);
  });

  it('lets through an allow-listed origin only', () => {
    expect(originAllowed({ origin: 'https://portal.example.cn', host: 'meet' }, own, allow)).toBe(true);
    expect(originAllowed({ origin: 'https://evil.example', host: 'meet' }, own, allow)).toBe(false);
    expect(originAllowed({ origin: 'https://portal.example.cn.evil.example', host: 'meet' }, own, allow)).toBe(false);
  });

  it('refuses a foreign origin whose host only differs by port, and a malformed origin', () => {
    expect(originAllowed({ origin: 'http://127.0.0.1:9999', host: '127.0.0.1:8080' }, own, allow)).toBe(false);
    expect(originAllowed({ origin: 'null', host: '127.0.0.1:8080' }, own, allow)).toBe(false);
  });
});
