import type { E2eeMessage } from '@huijian/signaling/protocol';
import { describe, expect, it } from 'vitest';
import { equalBytes, fromBase64Url, toBase64Url } from './bytes';
import { layoutOf } from './codecs';
import { FrameOpener, FrameSealer } from './FrameCipher';
import { opusFrame } from './frameProtection.fixtures';
import { KeyExchange, type EstablishedExchange, type FailedExchange } from './KeyExchange';
import { commitmentOf, exportPublicKey, generateExchangeKey } from './keySchedule';
import { sameShortCode } from './shortCode';

type Relay = (from: 'lawyer' | 'detainee', message: E2eeMessage) => Promise<E2eeMessage | undefined> | E2eeMessage | undefined;

/** Two seats wired through a relay (the signaling server) that may rewrite messages. */
function seats(relay: Relay = (_, m) => m, meetingId = 'm-exchange') {
  const outcomes = { lawyer: [] as EstablishedExchange[], detainee: [] as EstablishedExchange[], failed: [] as FailedExchange[] };
  const deliveries: Promise<void>[] = [];
  // eslint-disable-next-line prefer-const
  let lawyer: KeyExchange, detainee: KeyExchange;
  const forward = (from: 'lawyer' | 'detainee') => (message: E2eeMessage) => {
    deliveries.push(
      Promise.resolve(relay(from, message)).then((relayed) => {
        if (relayed) return (from === 'lawyer' ? detainee : lawyer).receive(relayed);
      }),
    );
  };
  lawyer = new KeyExchange('lawyer', meetingId, forward('lawyer'));
  detainee = new KeyExchange('detainee', meetingId, forward('detainee'));
  lawyer.on('established', (e) => outcomes.lawyer.push(e));
  detainee.on('established', (e) => outcomes.detainee.push(e));
  for (const side of [lawyer, detainee]) side.on('failed', (f) => outcomes.failed.push(f));
  const settle = async () => {
    for (let i = 0; i < 10; i++) await Promise.all(deliveries);
  };
  return { lawyer, detainee, outcomes, settle };
}

describe('key exchange between the two seats', () => {
  it('ends with the same short code and matching keys on both sides', async () => {
    const { lawyer, outcomes, settle } = seats();
    await lawyer.start();
    await settle();
    const [atLawyer] = outcomes.lawyer;
    const [atDetainee] = outcomes.detainee;
    expect(atLawyer && atDetainee).toBeTruthy();
    expect(atLawyer!.exchangeId).toBe(atDetainee!.exchangeId);
    expect(sameShortCode(atLawyer!.shortCode, atDetainee!.shortCode)).toBe(true);
    // what the lawyer sends, the booth opens, and the other way round
    for (const [from, to] of [[atLawyer!, atDetainee!], [atDetainee!, atLawyer!]] as const) {
      const opener = new FrameOpener();
      opener.addKey(to.receive);
      const wire = await new FrameSealer(from.send).seal(layoutOf('opus'), opusFrame());
      expect(await opener.open(layoutOf('opus'), wire)).toEqual(opusFrame());
    }
  });

  it('uses fresh keys and a new code for every exchange (every (re)join)', async () => {
    const { lawyer, outcomes, settle } = seats();
    await lawyer.start();
    await settle();
    await lawyer.start();
    await settle();
    expect(outcomes.lawyer).toHaveLength(2);
    const [first, second] = outcomes.lawyer as [EstablishedExchange, EstablishedExchange];
    expect(first.exchangeId).not.toBe(second.exchangeId);
    expect(equalBytes(first.transcript.lawyerKey, second.transcript.lawyerKey)).toBe(false);
    expect(equalBytes(first.transcript.detaineeKey, second.transcript.detaineeKey)).toBe(false);
  });

  it('a relay that swaps the public keys (man in the middle) produces different codes on the two screens', async () => {
    // The attacker does it properly: its own commitment toward the booth, its own keys both ways.
    const towardBooth = await generateExchangeKey();
    const towardLawyer = await generateExchangeKey();
    const fakeLawyerKey = await exportPublicKey(towardBooth.publicKey);
    const fakeBoothKey = toBase64Url(await exportPublicKey(towardLawyer.publicKey));
    const { lawyer, outcomes, settle } = seats(async (_, m) => {
      if (m.type === 'offer') return { ...m, commitment: toBase64Url(await commitmentOf('m-exchange', m.exchangeId, fakeLawyerKey)) };
      if (m.type === 'answer') return { ...m, publicKey: fakeBoothKey };
      return { ...m, publicKey: toBase64Url(fakeLawyerKey) };
    });
    await lawyer.start();
    await settle();
    expect(outcomes.failed).toEqual([]);
    const [atLawyer] = outcomes.lawyer;
    const [atDetainee] = outcomes.detainee;
    expect(sameShortCode(atLawyer!.shortCode, atDetainee!.shortCode)).toBe(false);
    // and the two ends cannot read each other's media
    const opener = new FrameOpener();
    opener.addKey({ ...atDetainee!.receive, keyId: atLawyer!.send.keyId });
    const wire = await new FrameSealer(atLawyer!.send).seal(layoutOf('opus'), opusFrame());
    await expect(opener.open(layoutOf('opus'), wire)).rejects.toThrow();
  });

  it('a relay that swaps only the revealed key is caught by the commitment', async () => {
    const intruder = toBase64Url(await exportPublicKey((await generateExchangeKey()).publicKey));
    const { lawyer, outcomes, settle } = seats((_, m) => (m.type === 'reveal' ? { ...m, publicKey: intruder } : m));
    await lawyer.start();
    await settle();
    expect(outcomes.detainee).toEqual([]);
    expect(outcomes.failed).toEqual([{ exchangeId: expect.any(String), reason: 'commitment_mismatch' }]);
  });

  it('a key that is not a P-256 point fails the exchange', async () => {
    const { lawyer, outcomes, settle } = seats((_, m) => {
      if (m.type !== 'answer') return m;
      const bad = fromBase64Url(m.publicKey);
      bad[40]! ^= 0xff;
      return { ...m, publicKey: toBase64Url(bad) };
    });
    await lawyer.start();
    await settle();
    expect(outcomes.lawyer).toEqual([]);
    expect(outcomes.failed.map((f) => f.reason)).toEqual(['invalid_key']);
  });

  it('ignores stale and out-of-turn messages', async () => {
    const held: E2eeMessage[] = [];
    const { lawyer, detainee, outcomes, settle } = seats((from, m) => {
      if (from === 'detainee' && held.length === 0) {
        held.push(m); // the first answer is delayed past a second offer
        return undefined;
      }
      return m;
    });
    await lawyer.start();
    await settle();
    await lawyer.start();
    await settle();
    await lawyer.receive(held[0]!); // the stale answer to the first offer
    await detainee.receive({ type: 'reveal', exchangeId: 'ZZZZZZZZZZZZZZZZZZZZZZ', publicKey: held[0]!.type === 'answer' ? held[0]!.publicKey : '' });
    await settle();
    expect(outcomes.lawyer).toHaveLength(1);
    expect(outcomes.detainee).toHaveLength(1);
    expect(outcomes.failed).toEqual([]);
    expect(() => detainee.start()).toThrow();
  });
});
