import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../signaling/src/protocol';
import { AccessPlatform, disconnected, request, type MeetingClient } from './harness';

/**
 * Bad input after the door: every payload is size-checked and validated; an answer always comes
 * back with a stable code; the connection (or, past the transport limit, only that connection)
 * pays, and the process and the other meetings carry on.
 */
describe('payload limits and malformed payloads', () => {
  let access: AccessPlatform;
  let lawyer: MeetingClient;
  let bystander: MeetingClient;

  beforeAll(async () => {
    access = await AccessPlatform.start({ sfu: true, env: { MAX_MESSAGE_BYTES: String(64 * 1024), MAX_EVENT_BYTES: String(16 * 1024) } });
    const meeting = await access.fixtures.meetingNow();
    lawyer = await access.admitted(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')));
    expect(await request(lawyer, 'join', {})).toMatchObject({ role: 'lawyer' });
    const other = await access.fixtures.meetingNow();
    bystander = await access.admitted(access.auth(other.boothCredential, access.fixtures.token(other, 'detainee')));
    expect(await request(bystander, 'join', {})).toMatchObject({ role: 'detainee' });
  }, 60_000);
  afterAll(async () => access?.close());

  const deep = () => {
    let value: Record<string, unknown> = {};
    for (let i = 0; i < 500; i++) value = { nested: value };
    return value;
  };

  it.each([
    ['an unknown direction', 'createTransport', { direction: 'sideways' }],
    ['an extra field', 'createTransport', { direction: 'send', admin: true }],
    ['a string instead of an object', 'produce', 'camera please'],
    ['null', 'join', null],
    ['DTLS parameters without fingerprints', 'connectTransport', { transportId: '3f0e8a52-7b4c-4c8e-9d0e-2f1a3b4c5d6e', dtlsParameters: { role: 'client', fingerprints: [] } }],
    ['a prototype-pollution key', 'consume', JSON.parse('{"__proto__": {"polluted": true}, "producerId": "x"}') as unknown],
    ['500 levels of nesting', 'resumeConsumer', deep()],
  ])('answers BAD_REQUEST to %s and stays connected', async (_name, event, payload) => {
    const ack = await request(lawyer, event as 'join', payload);
    expect(ack).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(lawyer.connected).toBe(true);
  });

  it('answers BAD_REQUEST to an event it does not know', async () => {
    expect(await request(lawyer, 'startRecording' as 'join', {})).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('answers PAYLOAD_TOO_LARGE to an event over the event limit, and the connection stays usable', async () => {
    const ack = await request(lawyer, 'createTransport', { direction: 'send', padding: 'x'.repeat(20 * 1024) });
    expect(ack).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await request(lawyer, 'createTransport', { direction: 'send' })).toHaveProperty('transportId');
  });

  it('closes only the offending connection when a message passes the transport limit', async () => {
    const gone = disconnected(lawyer);
    lawyer.emit('createTransport', { direction: 'send', padding: 'x'.repeat(100 * 1024) } as never, () => undefined);
    expect(await gone).toMatch(/transport (close|error)/);
    expect(bystander.connected).toBe(true);
    expect(await request(bystander, 'createTransport', { direction: 'recv' })).toHaveProperty('transportId');
    expect((await fetch(`${access.url}/healthz`)).status).toBe(200);
  });

  it.each([
    ['no auth at all', undefined, 'BAD_REQUEST'],
    ['the protocol as a string', { protocol: String(PROTOCOL_VERSION), credential: 'x', token: 'y' }, 'BAD_REQUEST'],
    ['the token as an object', { protocol: PROTOCOL_VERSION, credential: 'x', token: { alg: 'none' } }, 'BAD_REQUEST'],
    ['a 10 KB token', { protocol: PROTOCOL_VERSION, credential: 'x', token: 'e'.repeat(10_000) }, 'BAD_REQUEST'],
  ])('refuses a malformed handshake: %s', async (_name, auth, code) => {
    expect(await access.refusal(auth)).toBe(code);
  });

  it('answers 413 PAYLOAD_TOO_LARGE to a REST body over 16 KiB and 400 to broken JSON', async () => {
    const big = await fetch(`${access.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'a', password: 'x'.repeat(20_000) }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const broken = await fetch(`${access.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });
});
