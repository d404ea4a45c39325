import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * Reading docker-compose.yml and its .env as `docker compose` does, for static checks: YAML,
 * then `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+other}` and `$$` interpolation in every string value.
 */
export type EnvFile = Map<string, { value: string; comment: string[] }>;

/** KEY=VALUE lines; the comment lines above a key (or above a group of adjacent keys) document it. */
export function readEnvFile(file: string): EnvFile {
  const env: EnvFile = new Map();
  let comment: string[] = [];
  let afterKey = false;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '') {
      comment = [];
      afterKey = false;
    } else if (line.startsWith('#')) {
      if (afterKey) comment = [];
      afterKey = false;
      comment.push(line.replace(/^#+\s?/, ''));
    } else {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
      if (!match) throw new Error(`${file}: not KEY=VALUE: ${line}`);
      env.set(match[1]!, { value: match[2]!, comment });
      afterKey = true;
    }
  }
  return env;
}

const reference = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^}$]|\$\$)*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Names of the variables a string refers to. */
export function referencedVariables(text: string): string[] {
  return [...text.matchAll(reference)].map((m) => m[1] ?? m[4]).filter((name): name is string => Boolean(name));
}

export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(reference, (whole, braced?: string, operator?: string, argument = '', bare?: string) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = vars[name];
    const unsetOrEmpty = value === undefined || (operator?.startsWith(':') === true && value === '');
    switch (operator?.replace(':', '')) {
      case '-':
        return unsetOrEmpty ? interpolate(argument, vars) : value!;
      case '?':
        if (unsetOrEmpty) throw new Error(`required variable ${name} is missing a value: ${argument}`);
        return value!;
      case '+':
        return unsetOrEmpty ? '' : interpolate(argument, vars);
      default:
        return value ?? '';
    }
  });
}

/** Every string value of a parsed YAML tree (where compose interpolates; comments are not). */
export function stringsOf(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(stringsOf);
  if (node && typeof node === 'object') return Object.values(node).flatMap(stringsOf);
  return [];
}

/** Every string in a parsed YAML tree, interpolated. */
function interpolateTree(node: unknown, vars: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, vars));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateTree(value, vars)]));
  }
  return node;
}

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  expose?: (string | number)[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  stop_grace_period?: string;
  user?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function readComposeFile(file: string, vars: Record<string, string | undefined>): { raw: unknown; text: string; compose: ComposeFile } {
  const text = readFileSync(file, 'utf8');
  const raw = parse(text) as unknown;
  return { raw, text, compose: interpolateTree(raw, vars) as ComposeFile };
}

/** The environment of a service as its process sees it: every value a string. */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

export interface PublishedPort {
  host: number;
  container: number;
  protocol: 'tcp' | 'udp';
}

/** Short port syntax: [IP:]HOST[-HOST]:CONTAINER[-CONTAINER][/PROTOCOL], one entry per port. */
export function publishedPorts(service: ComposeService): PublishedPort[] {
  const ports: PublishedPort[] = [];
  for (const spec of service.ports ?? []) {
    const match = /^(?:[\d.]+:)?(\d+)(?:-(\d+))?:(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(String(spec));
    if (!match) throw new Error(`port syntax not understood: ${spec}`);
    const [hostFrom, hostTo, containerFrom, containerTo] = [match[1], match[2] ?? match[1], match[3], match[4] ?? match[3]].map(Number) as [number, number, number, number];
    if (hostTo - hostFrom !== containerTo - containerFrom) throw new Error(`port ranges of different sizes: ${spec}`);
    if (hostTo < hostFrom) throw new Error(`empty port range: ${spec}`);
    for (let i = 0; i <= hostTo - hostFrom; i++) {
      ports.push({ host: hostFrom + i, container: containerFrom + i, protocol: (match[5] as 'tcp' | 'udp' | undefined) ?? 'tcp' });
    }
  }
  return ports;
}
