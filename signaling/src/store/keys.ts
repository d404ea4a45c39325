/** Redis key names of the signaling service. */
const prefix = 'huijian';

export const keys = {
  meeting: (meetingId: string) => `${prefix}:meeting:${meetingId}`,
  meetingNode: (meetingId: string) => `${prefix}:meeting:${meetingId}:sfu`,
  seatHolder: (meetingId: string, role: string) => `${prefix}:meeting:${meetingId}:seat:${role}`,
  /** The meeting's end (reason and time), written once by whichever instance ends it. */
  meetingEnd: (meetingId: string) => `${prefix}:meeting:${meetingId}:ended`,
  /** Short lock while an extension is decided. */
  meetingExtending: (meetingId: string) => `${prefix}:meeting:${meetingId}:extending`,
  /** A registered device and the hash of its current credential. */
  device: (deviceId: string) => `${prefix}:device:${deviceId}`,
  devices: `${prefix}:devices`,
  /** A withdrawn booking token, by its `jti`, kept until the token would expire anyway. */
  revokedToken: (tokenId: string) => `${prefix}:token:revoked:${tokenId}`,
  /** The append-only audit stream. */
  audit: `${prefix}:audit`,
  /** Prefix of the rate limiters' counters. */
  rateLimit: `${prefix}:rl`,
} as const;

/** Pub/sub channel carrying the id of a device whose credential was rotated or revoked. */
export const deviceCredentialChannel = `${prefix}:device-credentials`;
