/**
 * The loudness of a microphone track, 0 … 1, for the pre-call level meter. Read locally with a
 * WebAudio analyser; nothing is kept or sent.
 */
export class MicLevel {
  private readonly context = new AudioContext();
  private readonly analyser: AnalyserNode;
  private readonly samples: Float32Array<ArrayBuffer>;

  constructor(track: MediaStreamTrack) {
    const source = this.context.createMediaStreamSource(new MediaStream([track]));
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 1024;
    this.samples = new Float32Array(this.analyser.fftSize);
    source.connect(this.analyser);
    void this.context.resume().catch(() => undefined);
  }

  /** RMS level mapped so that normal speech fills most of the meter. */
  level(): number {
    this.analyser.getFloatTimeDomainData(this.samples);
    let sum = 0;
    for (const value of this.samples) sum += value * value;
    const rms = Math.sqrt(sum / this.samples.length);
    const db = 20 * Math.log10(Math.max(rms, 1e-6));
    return Math.min(1, Math.max(0, (db + 60) / 50));
  }

  close(): void {
    void this.context.close().catch(() => undefined);
  }
}
