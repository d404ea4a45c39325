/** Socket.IO room of a meeting's joined seats. */
export const roomOf = (meetingId: string) => `meeting:${meetingId}`;

/** Socket.IO room of one device's connections (in each namespace). */
export const deviceRoomOf = (deviceId: string) => `device:${deviceId}`;
