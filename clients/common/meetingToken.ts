/**
 * The booking token a terminal was given. It arrives in the URL fragment (never sent to a server
 * in a request line), is kept for this tab only so a reload can rejoin, and is removed from the
 * address bar at once.
 */
export function takeMeetingToken(): string | undefined {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('meetingToken', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('meetingToken') ?? undefined;
}
