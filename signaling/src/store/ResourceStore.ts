import type { Redis } from 'ioredis';
import { resourceSchemas, type ResourceKind, type ResourceOf } from '../booking/ResourceTypes';
import { bookingKeys } from './bookingKeys';

/** The booking domain's resources, one Redis hash per kind (id → JSON). */
export class ResourceStore {
  constructor(private readonly redis: Redis) {}

  async get<K extends ResourceKind>(kind: K, id: string): Promise<ResourceOf[K] | undefined> {
    const raw = await this.redis.hget(bookingKeys.resources(kind), id);
    return raw ? (resourceSchemas[kind].parse(JSON.parse(raw)) as ResourceOf[K]) : undefined;
  }

  /** Several at once, in one round trip; missing ids are left out. */
  async getMany<K extends ResourceKind>(kind: K, ids: string[]): Promise<ResourceOf[K][]> {
    if (ids.length === 0) return [];
    const raws = await this.redis.hmget(bookingKeys.resources(kind), ...ids);
    return raws.filter((raw): raw is string => raw !== null).map((raw) => resourceSchemas[kind].parse(JSON.parse(raw)) as ResourceOf[K]);
  }

  async list<K extends ResourceKind>(kind: K): Promise<ResourceOf[K][]> {
    const all = await this.redis.hvals(bookingKeys.resources(kind));
    return all.map((raw) => resourceSchemas[kind].parse(JSON.parse(raw)) as ResourceOf[K]).sort((a, b) => a.id.localeCompare(b.id));
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
    return (await this.getMany(kind, ids.sort())).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }
}

/** The station of a seat, the center of a booth or detainee. */
function parentOf(kind: ResourceKind, value: object): string | undefined {
  if (kind === 'seat') return (value as { stationId: string }).stationId;
  if (kind === 'booth' || kind === 'detainee') return (value as { centerId: string }).centerId;
  return undefined;
}
