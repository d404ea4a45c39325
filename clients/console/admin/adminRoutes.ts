import type { ApiClient } from '../../common/api/ApiClient';
import type { Route } from '../../common/ui/AppShell';
import { DevicesView } from './DevicesView';
import { ResourcesView } from './ResourcesView';
import { RulesView } from './RulesView';
import { StatisticsView } from './StatisticsView';

/** The administrator's views. */
export function adminRoutes(api: ApiClient): Route[] {
  return [
    { path: '#/statistics', label: 'admin.nav.statistics', view: () => new StatisticsView(api) },
    { path: '#/resources', label: 'admin.nav.resources', view: () => new ResourcesView(api) },
    { path: '#/devices', label: 'admin.nav.devices', view: () => new DevicesView(api) },
    { path: '#/rules', label: 'admin.nav.rules', view: () => new RulesView(api) },
  ];
}
