import { localizePage } from '../common/i18n';
import { SeatScreen } from './SeatScreen';

localizePage();
new SeatScreen().start();
