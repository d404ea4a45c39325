/**
 * The client–signaling protocol: shared by the signaling server and the browser clients.
 * Payload schemas live in ./schemas (server side), so client bundles carry no validator.
 */
export * from './version';
export * from './errors';
export type * from './schemas';
export * from './events';
export type * from './clientHealth';
export * from './ops';
/** Socket.IO namespace of the meeting protocol. */
export const MEETING_NAMESPACE = '/meeting';
