/** Redis key names of the signaling service. */
const prefix = 'huijian';

export const keys = {
  meeting: (meetingId: string) => `${prefix}:meeting:${meetingId}`,
  meetingNode: (meetingId: string) => `${prefix}:meeting:${meetingId}:sfu`,
  seatHolder: (meetingId: string, role: string) => `${prefix}:meeting:${meetingId}:seat:${role}`,
} as const;
