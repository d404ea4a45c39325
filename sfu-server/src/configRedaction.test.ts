import { describe, expect, it } from 'vitest';
import { loadSfuConfig, sfuConfigSchema } from './config';
import { redactedConfig } from './control/redactedConfig';

describe('redactedConfig (sfu-server)', () => {
  it('masks the password in REDIS_URL and keeps the other settings', () => {
    const config = loadSfuConfig({ REDIS_URL: 'redis://:s3cr3t-redis@10.0.0.5:6379', SFU_WORKERS: '3' });
    const printed = redactedConfig(sfuConfigSchema, config);
    expect(printed.REDIS_URL).toBe('redis://:***@10.0.0.5:6379');
    expect(JSON.stringify(printed)).not.toContain('s3cr3t-redis');
    expect(printed.SFU_WORKERS).toBe(3);
    expect(Object.keys(printed).sort()).toEqual(Object.keys(config).sort());
  });
});
