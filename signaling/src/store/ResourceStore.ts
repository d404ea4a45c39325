import type { Redis } from 'ioredis';
import { resourceSchemas, type ResourceKind, type ResourceOf } from '../booking/ResourceTypes';
import { bookingKeys } from './bookingKeys';

/** Orders ids as people do: seat-2 before seat-10. */
const byId = new Intl.Collator('en', { numeric: true }).compare;

/** The booking domain's resources, one Redis hash per kind (id → JSON). Returned objects are read-only. */
export class ResourceStore {
  /** Validated objects by their stored JSON: the same text is parsed once. */
  private readonly parsed = new Map<string, unknown>();

  constructor(private readonly redis: Redis) {}

  private parse<K extends ResourceKind>(kind: K, raw: string): ResourceOf[K] {
    const key = `${kind}\u0000${raw}`;
    let value = this.parsed.get(key);
    if (value === undefined) {
      value = Object.freeze(resourceSchemas[kind].parse(JSON.parse(raw)));
      if (this.parsed.size > 20_000) this.parsed.clear();
      this.parsed.set(key, value);
    }
    return value as ResourceOf[K];
  }

  async get<K extends ResourceKind>(kind: K, id: string): Promise<ResourceOf[K] | undefined> {
    const raw = await this.redis.hget(bookingKeys.resources(kind), id);
    return raw ? this.parse(kind, raw) : undefined;
  }

  /** Several at once, in one round trip; missing ids are left out. */
  async getMany<K extends ResourceKind>(kind: K, ids: string[]): Promise<ResourceOf[K][]> {
    if (ids.length === 0) return [];
    const raws = await this.redis.hmget(bookingKeys.resources(kind), ...ids);
    return raws.filter((raw): raw is string => raw !== null).map((raw) => this.parse(kind, raw));
  }

  async list<K extends ResourceKind>(kind: K): Promise<ResourceOf[K][]> {
    const all = await this.redis.hvals(bookingKeys.resources(kind));
    return all.map((raw) => this.parse(kind, raw)).sort((a, b) => byId(a.id, b.id));
  }

  /** Create only if the id is free; returns false when it exists. */
  async create<K extends ResourceKind>(kind: K, value: ResourceOf[K]): Promise<boolean> {
    const created = (await this.redis.hsetnx(bookingKeys.resources(kind), value.id, JSON.stringify(value))) === 1;
    const parent = parentOf(kind, value);
    if (created && parent) await this.redis.sadd(bookingKeys.children(kind, parent), value.id);
    return created;
  }

  async put<K extends ResourceKind>(kind: K, value: ResourceOf[K]): Promise<void> {
    const parent = parentOf(kind, value);
    const write = this.redis.multi().hset(bookingKeys.resources(kind), value.id, JSON.stringify(value));
    if (parent) write.sadd(bookingKeys.children(kind, parent), value.id);
    await write.exec();
  }

  /** Seats of a station, booths or detainees of a center. */
  async childrenOf<K extends 'seat' | 'booth' | 'detainee'>(kind: K, parentId: string): Promise<ResourceOf[K][]> {
    const ids = await this.redis.smembers(bookingKeys.children(kind, parentId));
    return (await this.getMany(kind, ids)).sort((a, b) => byId(a.id, b.id));
  }
}

/** The station of a seat, the center of a booth or detainee. */
function parentOf(kind: ResourceKind, value: object): string | undefined {
  if (kind === 'seat') return (value as { stationId: string }).stationId;
  if (kind === 'booth' || kind === 'detainee') return (value as { centerId: string }).centerId;
  return undefined;
}
