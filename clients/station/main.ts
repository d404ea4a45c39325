import { runCallScreen } from '../common/callScreen';

void runCallScreen();
