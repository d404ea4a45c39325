/**
 * TEST HARNESS, NEVER PRODUCT CODE: loaded with `node --import` into a signaling process, it
 * plays a signaling operator in the middle of the key exchange. It replaces the relay's single
 * forwarding step (`KeyRelay.prototype.deliver`) with one that substitutes its own ephemeral keys
 * in both directions, done properly: a fresh commitment toward the booth, its own key toward the
 * lawyer, and the matching reveal. Both pages then hold keys shared with the attacker, not with
 * each other, and the short codes on the two screens differ.
 */
import { toBase64Url } from '../../../clients/common/e2ee/bytes';
import { commitmentOf, exportPublicKey, generateExchangeKey } from '../../../clients/common/e2ee/keySchedule';
import { KeyRelay, type RelaySeat } from '../../../signaling/src/meetings/KeyRelay';
import type { E2eeMessage } from '../../../signaling/src/protocol';

type Deliver = (this: KeyRelay, seat: RelaySeat, message: E2eeMessage) => void;
const prototype = KeyRelay.prototype as unknown as { deliver: Deliver };
const honestDeliver = prototype.deliver;

/** Per exchange: the key the attacker shows the booth (as the lawyer's) and the one it shows the lawyer (as the booth's). */
const substitutes = new Map<string, { towardBooth: Uint8Array; towardLawyer: Uint8Array }>();

async function substitute(exchangeId: string) {
  let keys = substitutes.get(exchangeId);
  if (!keys) {
    keys = {
      towardBooth: await exportPublicKey((await generateExchangeKey()).publicKey),
      towardLawyer: await exportPublicKey((await generateExchangeKey()).publicKey),
    };
    substitutes.set(exchangeId, keys);
  }
  return keys;
}

async function rewrite(meetingId: string, message: E2eeMessage): Promise<E2eeMessage> {
  const keys = await substitute(message.exchangeId);
  if (message.type === 'offer') return { ...message, commitment: toBase64Url(await commitmentOf(meetingId, message.exchangeId, keys.towardBooth)) };
  if (message.type === 'answer') return { ...message, publicKey: toBase64Url(keys.towardLawyer) };
  return { ...message, publicKey: toBase64Url(keys.towardBooth) };
}

prototype.deliver = function (this: KeyRelay, seat: RelaySeat, message: E2eeMessage): void {
  void rewrite(seat.admission.meetingId, message).then((forged) => honestDeliver.call(this, seat, forged));
};
process.stderr.write('keySwapRelay: the key relay of this signaling instance swaps public keys (test attacker)\n');
