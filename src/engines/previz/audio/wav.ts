/**
 * WAV files: reading what espeak-ng writes (16-bit PCM; on a pipe its sizes are left unset), and
 * writing the finished track as 16-bit PCM for ffmpeg, which then needs no format flags.
 */

export interface PcmAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved, −1 to 1. */
  samples: Float32Array;
}

/** Reads a RIFF/WAVE file of 16-bit integer or 32-bit float samples. */
export function decodeWav(bytes: Uint8Array): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.byteLength < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new Error("Not a WAV file");
  let format: { code: number; channels: number; sampleRate: number; bits: number } | undefined;
  for (let at = 12; at + 8 <= bytes.byteLength;) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    if (id === "fmt ") {
      format = {
        code: view.getUint16(at + 8, true),
        channels: view.getUint16(at + 10, true),
        sampleRate: view.getUint32(at + 12, true),
        bits: view.getUint16(at + 22, true),
      };
    } else if (id === "data") {
      if (!format) throw new Error("WAV data before its format");
      // A WAV written to a pipe cannot seek back to fill in sizes: the data runs to the end.
      const end = Math.min(bytes.byteLength, at + 8 + size);
      return { ...format, samples: readSamples(view, at + 8, end, format) };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error("WAV file without data");
}

function readSamples(view: DataView, from: number, to: number, format: { code: number; bits: number }) {
  if (format.code === 1 && format.bits === 16) {
    const samples = new Float32Array(Math.floor((to - from) / 2));
    for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(from + 2 * i, true) / 32768;
    return samples;
  }
  if (format.code === 3 && format.bits === 32) {
    const samples = new Float32Array(Math.floor((to - from) / 4));
    for (let i = 0; i < samples.length; i++) samples[i] = view.getFloat32(from + 4 * i, true);
    return samples;
  }
  throw new Error(`Unsupported WAV format ${format.code}/${format.bits} bits`);
}

/**
 * A 16-bit PCM WAV of interleaved samples (rounded, no dither, so the same samples give the same
 * bytes): half the memory of float samples in this process and in ffmpeg's input queue, and the
 * AAC encoder hears no difference in a scratch track kept under −3 dBFS.
 */
export function encodeWav(audio: PcmAudio): Uint8Array {
  const { samples, channels, sampleRate } = audio;
  const bytes = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(bytes.buffer);
  const text = (at: number, value: string) => {
    for (let i = 0; i < value.length; i++) bytes[at + i] = value.charCodeAt(i);
  };
  text(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, samples.length * 2, true);
  const pcm = new Int16Array(bytes.buffer, 44, samples.length);
  for (let i = 0; i < samples.length; i++) {
    const value = Math.round((samples[i] ?? 0) * 32767);
    pcm[i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
  }
  return bytes;
}
