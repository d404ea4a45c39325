/**
 * This terminal's device credential. An administrator provisions it once and opens the page with
 * it in the URL fragment (never sent to a server in a request line); the page keeps it in this
 * browser's local storage, so the terminal survives restarts, and removes it from the address bar.
 */
export function takeDeviceCredential(): string | undefined {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('credential');
  if (fromHash) {
    localStorage.setItem('deviceCredential', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return localStorage.getItem('deviceCredential') ?? undefined;
}

/** The second (epoch ms) from which a booking token is valid, read from its payload (no verification: the server does that). */
export function tokenNotBefore(token: string): number | undefined {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { nbf?: unknown };
    return typeof payload.nbf === 'number' ? payload.nbf * 1000 : undefined;
  } catch {
    return undefined;
  }
}
