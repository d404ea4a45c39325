/**
 * The client–signaling protocol: shared by the signaling server and the browser clients.
 * Payload schemas live in ./schemas (server side), so client bundles carry no validator.
 */
export * from './version';
export * from './errors';
export type * from './schemas';
export * from './events';
export * from './statistics';
export type * from './clientHealth';
export * from './ops';
/** Socket.IO namespace of the meeting protocol (one seat of one meeting per connection). */
export const MEETING_NAMESPACE = '/meeting';
/** Socket.IO namespace where a device listens for its assignments. */
export const DEVICE_NAMESPACE = '/device';
