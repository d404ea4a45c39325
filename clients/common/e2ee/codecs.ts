import type { FrameLayout } from './frameLayout';
import { opusLayout, vp8Layout } from './frameLayout';
import { h264Layout } from './h264Layout';

/** The codecs whose frames are protected (the router offers Opus, VP8 and H264). */
export type FrameCodec = 'vp8' | 'h264' | 'opus';

export function layoutOf(codec: FrameCodec): FrameLayout {
  if (codec === 'vp8') return vp8Layout;
  if (codec === 'h264') return h264Layout;
  return opusLayout;
}

/** The codec of an RTP mime type (`video/VP8`, `video/H264`, `audio/opus`), if protected here. */
export function codecOfMimeType(mimeType: string | undefined): FrameCodec | undefined {
  switch (mimeType?.toLowerCase()) {
    case 'video/vp8':
      return 'vp8';
    case 'video/h264':
      return 'h264';
    case 'audio/opus':
      return 'opus';
    default:
      return undefined;
  }
}
