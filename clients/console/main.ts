import { ApiClient } from '../common/api/ApiClient';
import type { Person } from '../common/api/types';
import { localizePage } from '../common/i18n';
import { AppShell, type Route } from '../common/ui/AppShell';
import { showSignIn } from '../common/ui/SignInForm';

/**
 * The staff consoles: one sign-in, then the views of the person's role. Station officers check
 * lawyers in; detention officers seat detainees; admins run resources, devices, rules, statistics
 * and follow-up. Each role's code is loaded only for that role.
 */
localizePage();
const api = new ApiClient();
api.onSignedOut(() => location.reload());

async function routesFor(person: Person): Promise<Route[]> {
  const { FollowUpDesk } = await import('./FollowUpDesk');
  const followUp: Route = { path: '#/follow-up', label: 'console.nav.followUp', view: () => new FollowUpDesk(api) };
  switch (person.role) {
    case 'station_officer': {
      const { StationDesk } = await import('./StationDesk');
      return [{ path: '#/today', label: 'console.nav.today', view: () => new StationDesk(api, person.siteId ?? '') }, followUp];
    }
    case 'detention_officer': {
      const { CenterDesk } = await import('./CenterDesk');
      return [{ path: '#/today', label: 'console.nav.schedule', view: () => new CenterDesk(api, person.siteId ?? '') }, followUp];
    }
    case 'admin': {
      const admin = await import('./admin/adminRoutes');
      return [...admin.adminRoutes(api), followUp];
    }
    default: {
      const { OpsNote } = await import('./OpsNote');
      return [{ path: '#/ops', label: 'console.nav.ops', view: () => new OpsNote() }];
    }
  }
}

async function startConsole(person: Person): Promise<void> {
  new AppShell(api, 'console.name', await routesFor(person)).start();
}

const staff = ['station_officer', 'detention_officer', 'admin', 'ops'] as const;
if (api.person && (staff as readonly string[]).includes(api.person.role)) void startConsole(api.person);
else showSignIn({ api, appName: 'console.name', intro: 'console.signInIntro', roles: [...staff], onSignedIn: (person) => void startConsole(person) });
