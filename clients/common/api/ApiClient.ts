import type { ErrorBody, ErrorCode } from '@huijian/signaling/protocol';
import type { Person } from './types';

/** A refusal from the API: its stable code, the server's facts (details), the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface SignedIn {
  token: string;
  expiresAt: number;
  person: Person;
}

const storageKey = 'session';

/**
 * The REST API as the portal and the consoles use it: JSON in and out, the person's session
 * token (kept for this browser tab only), and every refusal as an ApiError with its code.
 */
export class ApiClient {
  private session: SignedIn | undefined;
  private readonly signedOutListeners = new Set<() => void>();

  constructor(private readonly origin = location.origin) {
    try {
      const stored = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as SignedIn | null;
      if (stored && stored.expiresAt > Date.now()) this.session = stored;
    } catch {
      this.session = undefined;
    }
  }

  get person(): Person | undefined {
    return this.session?.person;
  }

  async signIn(username: string, password: string): Promise<Person> {
    const signedIn = await this.request<SignedIn>('POST', '/auth/login', { username, password }, false);
    this.session = signedIn;
    sessionStorage.setItem(storageKey, JSON.stringify(signedIn));
    return signedIn.person;
  }

  signOut(): void {
    this.session = undefined;
    sessionStorage.removeItem(storageKey);
    for (const listener of this.signedOutListeners) listener();
  }

  /** Called when the session ends (signed out, or expired: the server said 401). */
  onSignedOut(listener: () => void): void {
    this.signedOutListeners.add(listener);
  }

  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(key, String(value));
    const suffix = search.size > 0 ? `?${search}` : '';
    return this.request<T>('GET', `${path}${suffix}`);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  /** A non-JSON download (CSV), as text. */
  async text(path: string, query: Record<string, string>): Promise<string> {
    const response = await this.fetch('GET', `${path}?${new URLSearchParams(query)}`);
    if (!response.ok) throw await this.errorOf(response);
    return response.text();
  }

  private async request<T>(method: string, path: string, body?: unknown, authenticated = true): Promise<T> {
    const response = await this.fetch(method, path, body, authenticated);
    if (!response.ok) throw await this.errorOf(response);
    return (await response.json()) as T;
  }

  private async fetch(method: string, path: string, body?: unknown, authenticated = true): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated && this.session) headers.authorization = `Bearer ${this.session.token}`;
    try {
      return await fetch(`${this.origin}/api${path}`, { method, headers, cache: 'no-store', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch {
      throw new ApiError('NETWORK', 'the server cannot be reached', 0);
    }
  }

  private async errorOf(response: Response): Promise<ApiError> {
    let body: { error?: ErrorBody } = {};
    try {
      body = (await response.json()) as { error?: ErrorBody };
    } catch {
      body = {};
    }
    const error = new ApiError(body.error?.code ?? 'INTERNAL', body.error?.message ?? response.statusText, response.status, body.error?.details ?? {});
    if (response.status === 401 && this.session && error.code === 'UNAUTHENTICATED') this.signOut();
    return error;
  }
}
