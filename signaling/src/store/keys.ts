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
  /** What the privacy receipt says about a meeting: policy, key exchanges, encryption, code, counts, end. */
  meetingPrivacy: (meetingId: string) => `${prefix}:meeting:${meetingId}:privacy`,
  /** The terminals that joined a meeting (`role:deviceId`). */
  meetingEndpoints: (meetingId: string) => `${prefix}:meeting:${meetingId}:endpoints`,
  /** Detention center id → end-to-end encryption policy, where it differs from the default. */
  e2eePolicies: `${prefix}:e2ee:policy`,
  /** Claimed by the one instance that acts on an SFU node event (see SfuEventRelay). */
  sfuEventClaim: (eventId: string) => `${prefix}:sfu-event:${eventId}`,
  /** The append-only audit stream. */
  audit: `${prefix}:audit`,
  /** Prefix of the rate limiters' counters. */
  rateLimit: `${prefix}:rl`,
} as const;

/** Pub/sub channel of alarms for ops (JSON `{type, meetingId, at}`): a confidentiality check failed. */
export const alarmChannel = `${prefix}:alarms`;

/** Pub/sub channel carrying the id of a device whose credential was rotated or revoked. */
export const deviceCredentialChannel = `${prefix}:device-credentials`;
