import { describe, expect, it } from 'vitest';
import { TurnCredentials, turnRestCredential } from './TurnCredentials';

describe('TURN REST API credentials', () => {
  it('matches a vector computed independently with openssl', () => {
    // printf '%s' '1767261600:m-20260101-0900' | openssl dgst -sha1 -hmac 'north-star-shared-secret' -binary | base64
    expect(turnRestCredential('north-star-shared-secret', '1767261600:m-20260101-0900')).toBe('XwsT4De2J+NGLuPq5H5EblodVgo=');
  });

  const slotEndsAt = Date.parse('2026-01-01T10:00:00Z'); // 1767261600
  const settings = { urls: ['turn:turn.example.org:3478?transport=udp'], secret: 'north-star-shared-secret', ttlSeconds: 600 };

  it('names the meeting and expires TTL seconds after the slot ends', () => {
    const turn = new TurnCredentials(settings, () => slotEndsAt - 3600_000);
    const server = turn.forMeeting('m-20260101-0900', slotEndsAt);
    expect(server.username).toBe(`${1767261600 + 600}:m-20260101-0900`);
    expect(server.credential).toBe(turnRestCredential(settings.secret, server.username));
    expect(server.urls).toEqual(settings.urls);
  });

  it('the vector above is what a seat of that meeting gets when the TTL is 0', () => {
    const turn = new TurnCredentials({ ...settings, ttlSeconds: 0 }, () => slotEndsAt - 60_000);
    expect(turn.forMeeting('m-20260101-0900', slotEndsAt)).toEqual({
      urls: settings.urls,
      username: '1767261600:m-20260101-0900',
      credential: 'XwsT4De2J+NGLuPq5H5EblodVgo=',
    });
  });

  it('never issues a credential that is already expired (join after the slot end is refused elsewhere, but stay safe)', () => {
    const now = slotEndsAt + 120_000;
    const server = new TurnCredentials(settings, () => now).forMeeting('m-1', slotEndsAt);
    expect(Number(server.username.split(':')[0])).toBe(Math.floor(now / 1000) + 600);
  });

  it('another secret or another meeting gives another credential', () => {
    const a = new TurnCredentials(settings, () => 0).forMeeting('m-1', slotEndsAt);
    const b = new TurnCredentials({ ...settings, secret: 'another-shared-secret' }, () => 0).forMeeting('m-1', slotEndsAt);
    const c = new TurnCredentials(settings, () => 0).forMeeting('m-2', slotEndsAt);
    expect(b.credential).not.toBe(a.credential);
    expect(c.credential).not.toBe(a.credential);
  });
});
