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
    'state.idle': '等待会见安排…',
    'state.waitingSlot': '会见时段尚未开始，请稍候…',
    'state.endingSoon': '会见将在 {minutes} 分钟内结束',
    'noCredential': '此终端尚未登记，请联系管理员配置终端凭证。',
    'mediaError': '摄像头或麦克风不可用，请联系工作人员。',
    'error.TOKEN_EXPIRED': '会见凭证已过期。',
    'error.TOKEN_NOT_YET_VALID': '会见尚未开始。',
    'error.MEETING_NOT_OPEN': '会见尚未开始。',
    'error.MEETING_ENDED': '会见时段已结束。',
    'error.MEETING_CANCELLED': '会见已取消。',
    'error.MEETING_NOT_FOUND': '会见不存在或已取消。',
    'error.TOKEN_REVOKED': '会见安排已撤销，请联系工作人员。',
    'error.DEVICE_NOT_ASSIGNED': '此终端未分配给该会见，请联系工作人员。',
    'error.DEVICE_REVOKED': '此终端的凭证已被吊销，请联系管理员。',
    'error.DEVICE_CREDENTIAL_INVALID': '此终端的凭证无效，请联系管理员。',
    'error.LAWYER_NOT_CHECKED_IN': '律师尚未完成签到。',
    'error.DETAINEE_NOT_SEATED': '在押人员尚未就座。',
    'error.SEAT_TAKEN': '该席位正被另一终端使用。',
    'error.RATE_LIMITED': '尝试过于频繁，请稍后再试。',
    'error.PROTOCOL_VERSION_MISMATCH': '终端版本过旧，请刷新页面。',
    'error.generic': '会见凭证无效，请联系工作人员。',
    'error.E2EE_UNAVAILABLE': '本会见要求端到端加密，但此终端的浏览器不支持，会见未开始。请联系工作人员。',
    'ended.code_mismatch': '安全码不一致：会见已终止，并已通知值班人员。',
    'ended.key_exchange_failed': '加密密钥交换遭到篡改：会见已终止，并已通知值班人员。',
    'e2ee.off': '⚠ 未启用端到端加密（本看守所已关闭此策略）',
    'e2ee.unavailable': '⚠ 此终端无法端到端加密，未开始会见',
    'e2ee.negotiating': '正在建立端到端加密…',
    'e2ee.active': '🔒 端到端加密',
    'e2ee.failed': '⚠ 加密校验失败',
    'code.title': '安全码',
    'code.compareLawyer': '请与当事人逐字核对：双方屏幕上的安全码必须完全一致。',
    'code.compareBooth': '请向律师读出下面的安全码。',
    'code.match': '一致',
    'code.mismatch': '不一致',
    'code.confirmed': '✓ 律师已确认安全码一致',
    'code.confirming': '正在提交…',
    'code.failed': '提交失败，请重试',
    'receipt.title': '隐私回执',
    'receipt.meeting': '会见编号',
    'receipt.time': '会见时间',
    'receipt.endpoints': '接入终端',
    'receipt.e2ee': '端到端加密',
    'receipt.code': '安全码已核对',
    'receipt.recorder': '录制或监听设备',
    'receipt.media': '媒体通道（每方：传输 / 接收）',
    'receipt.yes': '是',
    'receipt.no': '否',
    'receipt.none': '无',
    'receipt.detected': '发现异常，已报警',
    'receipt.pending': '会见尚未结束，回执未定稿',
    'receipt.unavailable': '隐私回执暂时无法获取，可稍后在律师门户查看。',
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
    'state.idle': 'Waiting for a meeting to be assigned…',
    'state.waitingSlot': 'The meeting slot has not started yet. Please wait…',
    'state.endingSoon': 'The meeting ends within {minutes} min',
    'noCredential': 'This terminal is not registered. Please ask an administrator to provision it.',
    'mediaError': 'Camera or microphone unavailable. Please call staff.',
    'error.TOKEN_EXPIRED': 'The meeting credential has expired.',
    'error.TOKEN_NOT_YET_VALID': 'The meeting has not started yet.',
    'error.MEETING_NOT_OPEN': 'The meeting has not started yet.',
    'error.MEETING_ENDED': 'The meeting slot is over.',
    'error.MEETING_CANCELLED': 'This meeting was cancelled.',
    'error.MEETING_NOT_FOUND': 'This meeting does not exist or was cancelled.',
    'error.TOKEN_REVOKED': 'This meeting assignment was withdrawn. Please call staff.',
    'error.DEVICE_NOT_ASSIGNED': 'This terminal is not assigned to the meeting. Please call staff.',
    'error.DEVICE_REVOKED': 'This terminal\'s credential was revoked. Please call an administrator.',
    'error.DEVICE_CREDENTIAL_INVALID': 'This terminal\'s credential is not valid. Please call an administrator.',
    'error.LAWYER_NOT_CHECKED_IN': 'The lawyer has not been checked in yet.',
    'error.DETAINEE_NOT_SEATED': 'The detainee has not been seated yet.',
    'error.SEAT_TAKEN': 'Another terminal is using this seat.',
    'error.RATE_LIMITED': 'Too many attempts. Please try again later.',
    'error.PROTOCOL_VERSION_MISMATCH': 'This terminal is out of date. Please reload the page.',
    'error.generic': 'The meeting credential is not valid. Please call staff.',
    'error.E2EE_UNAVAILABLE': 'This meeting requires end-to-end encryption and this terminal’s browser cannot do it; the meeting was not started. Please call staff.',
    'ended.code_mismatch': 'The security codes did not match: the meeting was ended and staff were alerted.',
    'ended.key_exchange_failed': 'The encryption key exchange was tampered with: the meeting was ended and staff were alerted.',
    'e2ee.off': '⚠ NOT end-to-end encrypted (turned off for this detention center)',
    'e2ee.unavailable': '⚠ This terminal cannot encrypt end to end; no meeting started',
    'e2ee.negotiating': 'Setting up end-to-end encryption…',
    'e2ee.active': '🔒 End-to-end encrypted',
    'e2ee.failed': '⚠ Encryption check failed',
    'code.title': 'Security code',
    'code.compareLawyer': 'Read the code aloud with your client: both screens must show exactly the same code.',
    'code.compareBooth': 'Read this code aloud to your lawyer.',
    'code.match': 'Codes match',
    'code.mismatch': 'Codes differ',
    'code.confirmed': '✓ The lawyer confirmed the codes match',
    'code.confirming': 'Sending…',
    'code.failed': 'Not sent; please try again',
    'receipt.title': 'Privacy receipt',
    'receipt.meeting': 'Meeting',
    'receipt.time': 'Time',
    'receipt.endpoints': 'Endpoints connected',
    'receipt.e2ee': 'End-to-end encrypted',
    'receipt.code': 'Code confirmed',
    'receipt.recorder': 'Recorder or listener present',
    'receipt.media': 'Media paths (per side: transports / streams received)',
    'receipt.yes': 'yes',
    'receipt.no': 'no',
    'receipt.none': 'none',
    'receipt.detected': 'DETECTED, alarm raised',
    'receipt.pending': 'The meeting has not ended; the receipt is not final',
    'receipt.unavailable': 'The privacy receipt is not available right now; see it later on the lawyer portal.',
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
