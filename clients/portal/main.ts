import { ApiClient } from '../common/api/ApiClient';
import { localizePage } from '../common/i18n';
import { AppShell } from '../common/ui/AppShell';
import { showSignIn } from '../common/ui/SignInForm';
import { BookingDetail } from './BookingDetail';
import { MyBookings } from './MyBookings';
import { SlotFinder } from './SlotFinder';

/** The lawyer portal (phone and desktop): find a slot, book it, see and cancel bookings, rate meetings. */
localizePage();
const api = new ApiClient();
api.onSignedOut(() => location.reload());

function startPortal(): void {
  const shell: AppShell = new AppShell(api, 'portal.name', [
    { path: '#/book', label: 'portal.nav.book', view: () => new SlotFinder(api, (id) => shell.go(`#/bookings/${id}/new`)) },
    { path: '#/bookings', label: 'portal.nav.bookings', view: () => new MyBookings(api) },
    { path: '#/bookings/', label: 'portal.nav.booking', hidden: true, pattern: /^#\/bookings\/(b[a-z0-9]+)(\/new)?$/, view: ([id, isNew]) => new BookingDetail(api, id!, Boolean(isNew)) },
  ]);
  shell.start();
}

if (api.person?.role === 'lawyer') startPortal();
else showSignIn({ api, appName: 'portal.name', intro: 'portal.signInIntro', roles: ['lawyer'], onSignedIn: startPortal });
