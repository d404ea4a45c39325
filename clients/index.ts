import { localizePage } from './common/i18n';

localizePage();
