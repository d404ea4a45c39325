/** Message catalogue: zh-CN by default, English switchable with ?lang=en (remembered). */
const catalogue = {
  'zh-CN': {
    'app.name': '远程视频会见',
    'station.title': '派出所会见席位',
    'booth.title': '看守所会见室',
    'index.heading': '律师远程视频会见平台',
    'index.station': '派出所会见席位终端',
    'index.booth': '看守所会见室终端',
    'state.connecting': '正在连接…',
    'state.joined': '会见进行中',
    'state.waitingPeer': '等待对方接入…',
    'state.reconnecting': '连接中断，正在重新连接…',
    'state.ended': '会见已结束',
    'state.refused': '无法进入会见',
    'timeLeft': '剩余时间',
    'noToken': '此终端尚未收到会见凭证。',
    'mediaError': '摄像头或麦克风不可用，请联系工作人员。',
    'error.TOKEN_EXPIRED': '会见凭证已过期。',
    'error.TOKEN_NOT_YET_VALID': '会见尚未开始。',
    'error.MEETING_NOT_ACTIVE': '当前不在会见时段内。',
    'error.MEETING_NOT_FOUND': '会见不存在或已取消。',
    'error.PROTOCOL_VERSION_MISMATCH': '终端版本过旧，请刷新页面。',
    'error.generic': '会见凭证无效，请联系工作人员。',
  },
  en: {
    'app.name': 'Remote video meeting',
    'station.title': 'Police station meeting seat',
    'booth.title': 'Detention center meeting booth',
    'index.heading': 'Remote lawyer–detainee meetings',
    'index.station': 'Station seat terminal',
    'index.booth': 'Detention booth kiosk',
    'state.connecting': 'Connecting…',
    'state.joined': 'Meeting in progress',
    'state.waitingPeer': 'Waiting for the other side…',
    'state.reconnecting': 'Connection lost, reconnecting…',
    'state.ended': 'The meeting has ended',
    'state.refused': 'Cannot enter the meeting',
    'timeLeft': 'Time left',
    'noToken': 'This terminal has not received a meeting credential yet.',
    'mediaError': 'Camera or microphone unavailable. Please call staff.',
    'error.TOKEN_EXPIRED': 'The meeting credential has expired.',
    'error.TOKEN_NOT_YET_VALID': 'The meeting has not started yet.',
    'error.MEETING_NOT_ACTIVE': 'It is not the meeting slot now.',
    'error.MEETING_NOT_FOUND': 'This meeting does not exist or was cancelled.',
    'error.PROTOCOL_VERSION_MISMATCH': 'This terminal is out of date. Please reload the page.',
    'error.generic': 'The meeting credential is not valid. Please call staff.',
  },
} as const;

export type Language = keyof typeof catalogue;
export type MessageKey = keyof (typeof catalogue)['zh-CN'];

function pickLanguage(): Language {
  const requested = new URLSearchParams(location.search).get('lang');
  if (requested === 'en' || requested === 'zh-CN') localStorage.setItem('lang', requested);
  return localStorage.getItem('lang') === 'en' ? 'en' : 'zh-CN';
}

export const language: Language = pickLanguage();

export function t(key: MessageKey): string {
  return catalogue[language][key];
}

/** The localized message for an error code, falling back to a generic one. */
export function errorMessage(code: string): string {
  const key = `error.${code}` as MessageKey;
  return key in catalogue[language] ? t(key) : t('error.generic');
}

/** Fill every element carrying data-i18n with its message. */
export function localizePage(): void {
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n as MessageKey);
  }
}
