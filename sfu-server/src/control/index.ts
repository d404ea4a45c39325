/** The SFU control contract as seen by callers: what signaling may import from sfu-server. */
export * from './contract';
export * from './ControlError';
export { ControlClient } from './ControlClient';
export { NodeDirectory, type SfuNodeStatus } from './NodeRegistry';
export { controlChannels } from './channels';
export { connectRedis, redisSettings, type RedisSettings } from './redisConnection';
