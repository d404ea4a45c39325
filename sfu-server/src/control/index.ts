/** The SFU control contract as seen by callers: what signaling may import from sfu-server. */
export * from './contract';
export * from './ControlError';
export { ControlClient } from './ControlClient';
export { NodeDirectory, type SfuNodeStatus, type SfuWorkerLoad } from './NodeRegistry';
export { controlChannels } from './channels';
export * from './events';
export type * from './healthReport';
export { connectRedis, redisSettings, type RedisSettings } from './redisConnection';
export { redactedConfig } from './redactedConfig';
