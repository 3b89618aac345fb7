import { execFile, spawn } from "node:child_process";

import type { Delivery, Language, Voice } from "../../scene-plan.ts";
import { SAMPLE_RATE } from "../dsp.ts";
import { resample } from "../resample.ts";
import { decodeWav } from "../wav.ts";

/**
 * Real speech from Debian's `espeak-ng`, run as a separate process: the text goes in on stdin
 * (never as an argument, so no line can pass for an option) and a WAV comes back on stdout at
 * 22 050 Hz, resampled here to 48 kHz. espeak-ng is deterministic: the same text, voice and
 * settings give the same samples.
 */

export interface EspeakLine {
  text: string;
  language: Language;
  voice: Voice;
  delivery: Delivery;
}

/** espeak-ng's voice for each language (Mandarin is `cmn`). */
const LANGUAGE_VOICE: Record<Language, string> = { en: "en", es: "es", cmn: "cmn", ja: "ja", ko: "ko" };
/** Voice variant and pitch (0–99) by speaker. */
const VARIANT: Record<Voice, { variant: string; pitch: number }> = {
  man: { variant: "m3", pitch: 42 },
  woman: { variant: "f3", pitch: 58 },
  child: { variant: "f4", pitch: 88 },
  robot: { variant: "m1", pitch: 28 },
};
/** Words a minute at a natural pace. */
const WORDS_PER_MINUTE = 160;
/** A line taking longer than this to synthesise means espeak-ng is stuck. */
const TIMEOUT_MS = 20_000;

/**
 * Whether `command` runs, and its version line (e.g. `eSpeak NG text-to-speech: 1.51 …`);
 * undefined when it is not installed.
 */
export function detectEspeak(command: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, ["--version"], { timeout: 5000 }, (error, stdout) =>
      resolve(
        error
          ? undefined
          : stdout
              .trim()
              .split("\n")[0]
              ?.replace(/\s+Data at:.*$/, "") || command,
      ),
    );
  });
}

/** The espeak-ng arguments for a line at `rate` (1 = natural pace). */
export function espeakArgs(line: EspeakLine, rate: number): string[] {
  const { variant, pitch } = VARIANT[line.voice];
  const whisper = line.delivery === "whisper";
  const voice = `${LANGUAGE_VOICE[line.language]}+${whisper ? (line.voice === "man" || line.voice === "robot" ? "whisper" : "whisperf") : variant}`;
  const shout = line.delivery === "shout";
  return [
    ...["--stdout", "-b", "1", "-v", voice],
    ...["-s", String(Math.round(WORDS_PER_MINUTE * rate))],
    ...["-p", String(Math.min(99, pitch + (shout ? 14 : 0)))],
    ...["-a", String(shout ? 170 : 110)],
  ];
}

/**
 * Speaks one line; resolves with mono samples at 48 kHz.
 * @example const samples = await speakWithEspeak("espeak-ng", line, 1, signal);
 */
export function speakWithEspeak(
  command: string,
  line: EspeakLine,
  rate: number,
  signal: AbortSignal,
): Promise<Float32Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, espeakArgs(line, rate), {
      stdio: ["pipe", "pipe", "pipe"],
      signal,
      timeout: TIMEOUT_MS,
    });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    child.stdin.on("error", () => {});
    child.once("error", reject);
    child.once("close", (code) => {
      const bytes = Buffer.concat(chunks);
      // espeak-ng exits 0 even for an unknown voice: an empty answer is the failure.
      if (code !== 0 || bytes.byteLength <= 44)
        return reject(new Error(`espeak-ng failed (exit ${code}): ${stderr.trim() || "no audio"}`));
      try {
        const wav = decodeWav(bytes);
        const mono = wav.samples.filter((_, i) => i % wav.channels === 0);
        resolve(resample(mono, wav.sampleRate, SAMPLE_RATE));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.stdin.end(line.text);
  });
}
