/**
 * Seeded generator of hostile values for the fuzzer: random types, huge strings, deep objects,
 * awkward unicode and prototype-pollution keys. Same seed, same sequence (a failure can be replayed).
 */
export class MalformedValues {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** mulberry32: a small, good-enough PRNG in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Any JSON-ish value, `depth` levels of nesting at most for containers (deep ones on purpose). */
  value(depth = 3): unknown {
    const kind = this.int(depth > 0 ? 12 : 8);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return this.next() < 0.5;
      case 2:
        return this.pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), Number.MAX_VALUE, 1e-300, Number.NaN, Number.POSITIVE_INFINITY, this.int(1e6)]);
      case 3:
      case 4:
        return this.string();
      case 5:
        return this.hugeString();
      case 6:
        return this.deepObject(50 + this.int(2000));
      case 7:
        return this.pick([[], '', ' ', '0', 'null', 'undefined', 'true', '[]', '{}']);
      case 8:
      case 9:
        return this.object(depth - 1);
      default:
        return Array.from({ length: this.int(6) }, () => this.value(depth - 1));
    }
  }

  /** An object with at least one key (so it is never the valid empty payload). */
  object(depth = 2): Record<string, unknown> {
    const raw: string[] = [];
    const count = 1 + this.int(6);
    for (let i = 0; i < count; i++) raw.push(`${JSON.stringify(this.key())}:${JSON.stringify(this.value(depth)) ?? 'null'}`);
    // JSON.parse makes `__proto__` an own key, as it would arrive off the wire.
    return JSON.parse(`{${raw.join(',')}}`) as Record<string, unknown>;
  }

  key(): string {
    return this.pick([
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'transportId',
      'producerId',
      'consumerId',
      'kind',
      'source',
      'rtpParameters',
      'dtlsParameters',
      'direction',
      'meetingId',
      'seat',
      'token',
      'protocol',
      'credential',
      'username',
      'password',
      'role',
      this.string(),
    ]);
  }

  string(): string {
    const parts = [
      'a',
      'Z',
      '0',
      ' ',
      '\u0000',
      '\u202e',
      '\ud800',
      '\udfff',
      '😀',
      '会见',
      'é',
      'e\u0301',
      '\n',
      '"',
      "'",
      '\\',
      '<script>',
      '${',
      '%s',
      '../',
      '\uffff',
      '\u200b',
    ];
    return Array.from({ length: 1 + this.int(40) }, () => this.pick(parts)).join('');
  }

  /** 20 KB to 200 KB: around and above the size limits (16 KiB bodies, 32/64 KiB messages). */
  hugeString(): string {
    return this.pick(['A', '会', '😀', '\u0000']).repeat(20_000 + this.int(180_000) / 2);
  }

  deepObject(depth: number): unknown {
    let value: unknown = this.pick([1, 'x', null, []]);
    for (let i = 0; i < depth; i++) value = this.next() < 0.5 ? { [this.pick(['a', '__proto__', 'constructor'])]: value } : [value];
    return value;
  }
}
