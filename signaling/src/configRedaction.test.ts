import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadSignalingConfig, signalingConfigSchema } from './config';
import { redactedConfig } from '@huijian/sfu-server/control';

describe('redactedConfig (signaling)', () => {
  const turnSecret = 'f3b1c0ffee-very-secret-value';
  const config = loadSignalingConfig({
    REDIS_URL: 'redis://huijian:redis-pa55word@redis.internal:6379/0',
    TURN_URLS: 'turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349?transport=tcp',
    TURN_SECRET: turnSecret,
    LOG_LEVEL: 'warn',
  });
  const printed = redactedConfig(signalingConfigSchema, config);
  const text = JSON.stringify(printed);

  it('prints every setting, with the secrets redacted', () => {
    expect(Object.keys(printed).sort()).toEqual(Object.keys(config).sort());
    expect(printed.TURN_SECRET).toBe('[redacted]');
    expect(printed.REDIS_URL).toBe('redis://huijian:***@redis.internal:6379/0');
    expect(text).not.toContain(turnSecret);
    expect(text).not.toContain('redis-pa55word');
  });

  it('leaves ordinary settings as they are', () => {
    expect(printed.LOG_LEVEL).toBe('warn');
    expect(printed.TURN_URLS).toEqual(['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp']);
    expect(printed.SIGNALING_PORT).toBe(8080);
  });

  it('every setting named like a secret is marked secret in the schema', () => {
    const named = Object.entries(signalingConfigSchema.shape).filter(([key]) => /SECRET|PASSWORD|PRIVATE/.test(key));
    expect(named.length).toBeGreaterThan(0);
    for (const [key, field] of named) expect(z.globalRegistry.get(field)?.secret, key).toBe(true);
  });
});
