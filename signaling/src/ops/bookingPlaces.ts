import type { BookingContext } from '../booking/BookingContext';
import type { PlaceSource } from './MeetingPlaces';

/** The booking domain as the ops feed's source of places: a booking's station and center, and every district, station and center. */
export function bookingPlaces(ctx: Pick<BookingContext, 'store' | 'resources'>): PlaceSource {
  return {
    async stationAndCenter(bookingId) {
      const booking = await ctx.store.get(bookingId);
      return booking && { stationId: booking.stationId, centerId: booking.centerId };
    },
    async places() {
      const [districts, stations, centers] = await Promise.all([ctx.resources.list('district'), ctx.resources.list('station'), ctx.resources.list('center')]);
      return {
        districts: districts.map(({ id, name }) => ({ id, name })),
        stations: stations.map(({ id, name, districtId }) => ({ id, name, districtId })),
        centers: centers.map(({ id, name, districtId }) => ({ id, name, districtId })),
      };
    },
  };
}
