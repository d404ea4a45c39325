/**
 * Version of the client–signaling protocol. Bump it on any incompatible change to the events
 * or payloads; a client announcing another version is refused with PROTOCOL_VERSION_MISMATCH.
 *
 * 2: a device credential in every handshake, the device channel, slot warnings, end and extend.
 */
export const PROTOCOL_VERSION = 2;
