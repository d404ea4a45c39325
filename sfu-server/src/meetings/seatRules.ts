import type { MediaSource, Seat, TransportDirection } from '../control/contract';

/** The two seats of every meeting; there is no third. */
export const seats: readonly Seat[] = ['lawyer', 'detainee'];

export const transportDirections: readonly TransportDirection[] = ['send', 'recv'];

/** Which sources each seat may send, and of which kind. The document stream is the lawyer's only. */
export const allowedSources: Record<Seat, Partial<Record<MediaSource, 'audio' | 'video'>>> = {
  lawyer: { microphone: 'audio', camera: 'video', document: 'video' },
  detainee: { microphone: 'audio', camera: 'video' },
};

/** At most one send and one receive transport per seat. */
export const maxTransportsPerMeeting = seats.length * transportDirections.length;

export function maxProducers(seat: Seat): number {
  return Object.keys(allowedSources[seat]).length;
}

export function otherSeat(seat: Seat): Seat {
  return seat === 'lawyer' ? 'detainee' : 'lawyer';
}
