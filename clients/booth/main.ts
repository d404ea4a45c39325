import { localizePage } from '../common/i18n';
import { KioskScreen } from './KioskScreen';

localizePage();
new KioskScreen().start();
