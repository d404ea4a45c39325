/**
 * Version of the client–signaling protocol. Bump it on any incompatible change to the events
 * or payloads; a client announcing another version is refused with PROTOCOL_VERSION_MISMATCH.
 *
 * 2: a device credential in every handshake, the device channel, slot warnings, end and extend.
 * 3: end-to-end encryption: the key-exchange relay, encryption status, the short-code verdict,
 *    the meeting's encryption policy in the join result.
 */
export const PROTOCOL_VERSION = 3;
