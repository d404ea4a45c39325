import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';

/** A Lua script run by its SHA (EVALSHA), sent in full only when Redis does not know it yet. */
export class LuaScript {
  readonly source: string;
  private readonly sha: string;

  /** `files` are concatenated from store/lua/, shared helpers first. */
  constructor(...files: string[]) {
    this.source = files.map((file) => readFileSync(join(import.meta.dirname, 'lua', file), 'utf8')).join('\n');
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
