import type { types as ms } from 'mediasoup';
import type { TransportParameters } from '@huijian/sfu-server/control';

/**
 * SDP for a pure-TypeScript peer (werift) talking to a mediasoup WebRtcTransport: the SFU side of
 * each negotiation, written from the transport's ICE/DTLS parameters and the RTP parameters of
 * what it receives or sends. The SFU is ICE-lite and the DTLS server; the bot is the DTLS client.
 */
export interface RemoteMediaSection {
  mid: string;
  kind: ms.MediaKind;
  /** What the SFU does on this m-line: receive the bot's media, or send a consumer's. */
  direction: 'recvonly' | 'sendonly' | 'inactive';
  codecs: ms.RtpCodecParameters[];
  headerExtensions: ms.RtpHeaderExtensionParameters[];
  /** For sendonly sections: the consumer's SSRC, RTX SSRC and CNAME. */
  ssrc?: { ssrc: number; rtxSsrc?: number; cname: string };
}

export function remoteSdp(transport: TransportParameters, sections: RemoteMediaSection[], dtlsSetup: 'actpass' | 'passive', version: number): string {
  const fingerprint = transport.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256') ?? transport.dtlsParameters.fingerprints[0]!;
  const lines = [
    'v=0',
    `o=- 1 ${version} IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${sections.map((s) => s.mid).join(' ')}`,
    'a=msid-semantic: WMS *',
    `a=fingerprint:${fingerprint.algorithm} ${fingerprint.value}`,
  ];
  const candidates = transport.iceCandidates
    .filter((c) => c.protocol === 'udp')
    .map((c) => `a=candidate:${c.foundation} 1 udp ${c.priority} ${c.address} ${c.port} typ host`);
  for (const section of sections) {
    const payloadTypes = section.codecs.map((c) => c.payloadType);
    lines.push(
      `m=${section.kind} ${section.direction === 'inactive' ? 0 : 7} UDP/TLS/RTP/SAVPF ${payloadTypes.join(' ')}`,
      'c=IN IP4 127.0.0.1',
      `a=mid:${section.mid}`,
      `a=${section.direction}`,
      `a=ice-ufrag:${transport.iceParameters.usernameFragment}`,
      `a=ice-pwd:${transport.iceParameters.password}`,
      ...candidates,
      'a=end-of-candidates',
      `a=setup:${dtlsSetup}`,
      'a=rtcp-mux',
      'a=rtcp-rsize',
    );
    for (const codec of section.codecs) {
      const [, name] = codec.mimeType.split('/');
      lines.push(`a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${codec.channels && codec.channels > 1 ? `/${codec.channels}` : ''}`);
      const parameters = Object.entries(codec.parameters ?? {}).map(([key, value]) => `${key}=${String(value)}`);
      if (parameters.length > 0) lines.push(`a=fmtp:${codec.payloadType} ${parameters.join(';')}`);
      for (const fb of codec.rtcpFeedback ?? []) lines.push(`a=rtcp-fb:${codec.payloadType} ${fb.type}${fb.parameter ? ` ${fb.parameter}` : ''}`);
    }
    for (const extension of section.headerExtensions) lines.push(`a=extmap:${extension.id} ${extension.uri}`);
    if (section.ssrc) {
      const { ssrc, rtxSsrc, cname } = section.ssrc;
      const stream = `bot-${section.mid}`;
      lines.push(`a=msid:${stream} ${stream}-track`);
      if (rtxSsrc) lines.push(`a=ssrc-group:FID ${ssrc} ${rtxSsrc}`);
      for (const s of rtxSsrc ? [ssrc, rtxSsrc] : [ssrc]) lines.push(`a=ssrc:${s} cname:${cname}`, `a=ssrc:${s} msid:${stream} ${stream}-track`);
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The DTLS fingerprint and role of a local (werift) description, for connectTransport. */
export function localDtlsParameters(sdp: string): ms.DtlsParameters {
  const fingerprint = /^a=fingerprint:(\S+) (\S+)/m.exec(sdp);
  if (!fingerprint) throw new Error('the local description has no DTLS fingerprint');
  const setup = /^a=setup:(\S+)/m.exec(sdp)?.[1];
  return {
    role: setup === 'passive' ? 'server' : 'client',
    fingerprints: [{ algorithm: fingerprint[1] as ms.FingerprintAlgorithm, value: fingerprint[2]!.toUpperCase() }],
  };
}

/** Mid and payload types of each m-line of a local offer, in order. */
export function offeredSections(sdp: string): { mid: string; kind: ms.MediaKind; payloadTypes: number[] }[] {
  return sdp
    .split(/\r?\nm=/)
    .slice(1)
    .map((block) => {
      const [kind, , , ...payloadTypes] = block.split(/\r?\n/)[0]!.split(' ');
      const mid = /^a=mid:(\S+)/m.exec(block)?.[1];
      if (!mid) throw new Error('an offered m-line has no mid');
      return { mid, kind: kind as ms.MediaKind, payloadTypes: payloadTypes.map(Number) };
    });
}
