import { describe, expect, it } from 'vitest';
import { choosePreferredLayers, spatialLayersOf } from './preferredLayers';

const simulcast720 = spatialLayersOf(
  [
    { scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
    { scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
    { scaleResolutionDownBy: 1, maxBitrate: 2_500_000, scalabilityMode: 'L1T3' },
  ],
  720,
);

describe('preferred layers from viewport and downlink', () => {
  it('reads simulcast layers lowest first with their heights and caps', () => {
    expect(simulcast720.layers).toEqual([
      { height: 180, maxBitrate: 150_000 },
      { height: 360, maxBitrate: 500_000 },
      { height: 720, maxBitrate: 2_500_000 },
    ]);
    expect(simulcast720.temporalLayers).toBe(3);
  });

  it('reads SVC spatial layers from the scalability mode', () => {
    expect(spatialLayersOf([{ scalabilityMode: 'L3T3_KEY' }], 1080)).toEqual({ layers: [{ height: 270 }, { height: 540 }, { height: 1080 }], temporalLayers: 3 });
  });

  it('takes the top layer when nothing is known', () => {
    expect(choosePreferredLayers({ ...simulcast720 })).toEqual({ spatialLayer: 2, temporalLayer: 2 });
  });

  it('takes the smallest layer that fills the viewport', () => {
    expect(choosePreferredLayers({ ...simulcast720, viewportHeight: 150 })).toMatchObject({ spatialLayer: 0 });
    expect(choosePreferredLayers({ ...simulcast720, viewportHeight: 400 })).toMatchObject({ spatialLayer: 1 });
    expect(choosePreferredLayers({ ...simulcast720, viewportHeight: 700 })).toMatchObject({ spatialLayer: 2 });
    expect(choosePreferredLayers({ ...simulcast720, viewportHeight: 2160 })).toMatchObject({ spatialLayer: 2 });
  });

  it('drops resolution when the downlink cannot carry the layer', () => {
    expect(choosePreferredLayers({ ...simulcast720, viewportHeight: 720, downlinkBps: 1_000_000 })).toMatchObject({ spatialLayer: 1 });
    expect(choosePreferredLayers({ ...simulcast720, viewportHeight: 720, downlinkBps: 300_000 })).toMatchObject({ spatialLayer: 0 });
    expect(choosePreferredLayers({ ...simulcast720, viewportHeight: 720, downlinkBps: 50_000 })).toMatchObject({ spatialLayer: 0 });
  });
});
