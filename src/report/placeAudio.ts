import { copyFileSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cutExcerpt } from '../dsp/index.ts';
import { encodeWav, readAudio, type MonoAudio } from '../io/index.ts';

/** `dest` as a hard link to `src` where the file system allows it, else a byte copy. */
function copyOrLink(src: string, dest: string): void {
  try {
    linkSync(src, dest);
  } catch {
    copyFileSync(src, dest);
  }
}

/**
 * Puts the audio of `path` at `dest` (a page's own folder, so the page plays it with no file
 * outside): a WAV heard whole is hard-linked (no second copy on disk) or, across file systems,
 * copied byte for byte; anything else (another format, or a full track of which `excerpt` was
 * heard, cut with the dataset's 2 s fades) is written as a 16-bit WAV. An older file at `dest`
 * is replaced, never written through (it may be a link to a source). Returns the samples heard.
 */
export async function placeAudio(path: string, dest: string, excerpt?: { start: number; end: number }): Promise<MonoAudio> {
  let { samples, sampleRate } = await readAudio(path);
  const cut = excerpt !== undefined && samples.length / sampleRate > excerpt.end - excerpt.start + 0.5;
  if (cut) samples = cutExcerpt(samples, sampleRate, excerpt.start, excerpt.end, { fadeSec: 2 });
  mkdirSync(dirname(dest), { recursive: true });
  rmSync(dest, { force: true });
  if (/\.wav$/i.test(path) && !cut) copyOrLink(path, dest);
  else writeFileSync(dest, encodeWav(samples, sampleRate));
  return { samples, sampleRate };
}
