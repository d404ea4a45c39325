import type { PreferredLayers } from '../control/contract';

/** One spatial layer of a simulcast or SVC video, lowest first. */
export interface SpatialLayer {
  height: number;
  /** The sender's cap for this layer, bits per second, when known. */
  maxBitrate?: number;
}

export interface LayerChoiceInput {
  layers: SpatialLayer[];
  temporalLayers: number;
  /** Height the receiver shows the video at, in device pixels. */
  viewportHeight?: number;
  /** The receiver's own downlink estimate, bits per second. */
  downlinkBps?: number;
}

/** A layer is good enough for a viewport up to this much taller than itself (no visible loss). */
const viewportTolerance = 1.15;
/** Keep this share of the downlink for audio, the other video and headroom. */
const downlinkShare = 0.8;

/**
 * The preferred layers for one receiver: the smallest spatial layer that fills its viewport, then
 * lower while that layer would not fit its downlink, always with every temporal layer. mediasoup
 * forwards at most these and goes lower by itself when its bandwidth estimate says so, so a weak
 * link loses resolution before it freezes.
 */
export function choosePreferredLayers(input: LayerChoiceInput): PreferredLayers {
  const { layers, temporalLayers, viewportHeight, downlinkBps } = input;
  let spatialLayer = layers.length - 1;
  if (viewportHeight !== undefined) {
    const fitting = layers.findIndex((layer) => layer.height * viewportTolerance >= viewportHeight);
    spatialLayer = fitting === -1 ? layers.length - 1 : fitting;
  }
  if (downlinkBps !== undefined) {
    while (spatialLayer > 0 && (layers[spatialLayer]!.maxBitrate ?? 0) > downlinkBps * downlinkShare) spatialLayer--;
  }
  return { spatialLayer, temporalLayer: Math.max(0, temporalLayers - 1) };
}

/** The spatial layers of a producer from its encodings and capture height (top layer = capture). */
export function spatialLayersOf(
  encodings: { scaleResolutionDownBy?: number; maxBitrate?: number; scalabilityMode?: string }[],
  captureHeight: number,
): { layers: SpatialLayer[]; temporalLayers: number } {
  const mode = /^L(\d)T(\d)/.exec(encodings[0]?.scalabilityMode ?? '');
  if (encodings.length === 1 && mode) {
    // SVC: one encoding, each spatial layer half the size of the next.
    const spatial = Number(mode[1]);
    return {
      layers: Array.from({ length: spatial }, (_, i) => ({ height: Math.round(captureHeight / 2 ** (spatial - 1 - i)) })),
      temporalLayers: Number(mode[2]),
    };
  }
  const temporal = /T(\d)/.exec(encodings[0]?.scalabilityMode ?? '');
  return {
    layers: encodings.map((encoding, i) => ({
      height: Math.round(captureHeight / (encoding.scaleResolutionDownBy ?? 2 ** (encodings.length - 1 - i))),
      maxBitrate: encoding.maxBitrate,
    })),
    temporalLayers: temporal ? Number(temporal[1]) : 1,
  };
}
