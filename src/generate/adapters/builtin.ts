import { createRng, deriveSeed, type Rng } from '../../linalg/index.ts';
import { createArrangementRenderer, GENRES, GENRE_STYLES, sampleArrangement, SAMPLE_RATE, type Arrangement, type Genre, type PartRole } from '../../music/index.ts';
import type { GeneratedClip, GenerationOptions, Generator } from '../generator.ts';
import { familyGivenGenre } from '../familyPrior.ts';
import { decodeParameters, PITCHED_PARTS, type DecodedParameters, type ParameterDecoder } from '../parameterDecoder.ts';

/** Draws index i with probability ∝ p_i^(1/T); T = 0 takes the most likely. */
function sampleIndex(p: ArrayLike<number>, temperature: number, rng: Rng): number {
  if (temperature <= 0) {
    let best = 0;
    for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
    return best;
  }
  const w = Array.from(p, (x) => Math.max(0, x) ** (1 / temperature));
  return rng.weighted(Array.from(w, (_, i) => i), w.some((x) => x > 0) ? w : w.map(() => 1));
}

const decide = (p: number, temperature: number, rng: Rng) => (temperature <= 0 ? p >= 0.5 : rng.chance(p));
const jitter = (x: number, sd: number, temperature: number, rng: Rng) => x + temperature * sd * rng.normal();
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round3 = (x: number) => Number(x.toFixed(3));

/** First weighted choice of a style list (the genre's typical instrument within a family is taken from it). */
function weightedPick<T>(choices: ReadonlyArray<readonly [T, number]>, rng: Rng): T {
  return rng.weighted(choices.map((c) => c[0]), choices.map((c) => c[1]));
}

/**
 * Builds one new arrangement from decoded parameters: the genre is drawn from the decoded genre
 * probabilities, a fresh arrangement of that genre is sampled (new melody, progression, groove),
 * and its tempo, mode, density, dynamics, reverb, swing, parts and instrument families are set
 * to what the embedding says (families weighted by the genre's usual instruments, see
 * `familyGivenGenre`), with `temperature` scaling the randomness of every draw.
 */
export function arrangementFromParameters(p: DecodedParameters, rng: Rng, temperature: number, durationSec: number): Arrangement {
  const genre: Genre = GENRES[sampleIndex(p.genreProbs, temperature, rng)]!;
  const style = GENRE_STYLES[genre];
  const a = sampleArrangement(genre, rng, { durationSec });
  a.tempo = Math.round(clamp(2 ** jitter(Math.log2(p.tempo), 0.08, temperature, rng), 50, 240));
  const mode = decide(p.minorProbability, temperature, rng) ? 'minor' : 'major';
  if (mode !== a.mode) {
    a.mode = mode;
    a.progression = [...rng.pick(mode === 'major' ? style.progressionsMajor : style.progressionsMinor)];
    if (a.lead) a.lead.scale = weightedPick(mode === 'major' ? style.leadScalesMajor : style.leadScalesMinor, rng);
  }
  a.density = round3(clamp(jitter(p.density, 0.05, temperature, rng), 0, 1));
  a.dynamics = round3(clamp(jitter(p.dynamics, 0.05, temperature, rng), 0, 1));
  a.reverb = round3(clamp(jitter(p.reverb, 0.05, temperature, rng), 0, 1));
  a.swing = round3(clamp(jitter(p.swing, 0.02, temperature, rng), 0, 0.4));

  const present = {
    drums: decide(p.presence.drums, temperature, rng),
    bass: decide(p.presence.bass, temperature, rng),
    lead: decide(p.presence.lead, temperature, rng),
    pad: decide(p.presence.pad, temperature, rng),
  };
  if (!present.drums) a.drums = null;
  else if (!a.drums) a.drums = { kit: weightedPick(style.kits, rng), pattern: a.beatsPerBar === 3 ? 'waltz' : weightedPick(style.patterns, rng), fills: rng.chance(0.6) };
  if (!present.bass) a.bass = null;
  else a.bass ??= { program: weightedPick(style.bassPrograms, rng), style: weightedPick(style.bassStyles, rng) };
  if (!present.lead) a.lead = null;
  else a.lead ??= {
    program: weightedPick(style.leadPrograms, rng),
    scale: weightedPick(mode === 'major' ? style.leadScalesMajor : style.leadScalesMinor, rng),
    register: Math.round(rng.uniform(style.leadRegister[0], style.leadRegister[1])),
  };
  if (!present.pad) a.pad = null;
  else a.pad ??= { program: weightedPick(style.padPrograms, rng) };

  // instrument: the decoded GM family among the genre's usual ones (an unusual family only when the
  // embedding is sure of it: free choices made generated clips sound less like their genre), keeping
  // the genre's variant inside the family (program % 8)
  for (const part of PITCHED_PARTS) {
    const slot = a[part];
    if (slot) slot.program = sampleIndex(familyGivenGenre(p.families[part], genre, part), temperature, rng) * 8 + (slot.program % 8);
  }

  // sections list parts by name: drop removed parts, let added parts play throughout
  const parts: PartRole[] = ['chords'];
  if (a.drums) parts.push('drums');
  if (a.bass) parts.push('bass');
  if (a.lead) parts.push('lead');
  if (a.pad) parts.push('pad');
  const before = new Set(a.sections.flatMap((s) => s.parts));
  for (const s of a.sections) {
    s.parts = s.parts.filter((x) => parts.includes(x));
    for (const x of parts) if (!before.has(x) && !s.parts.includes(x)) s.parts.push(x);
    if (s.parts.length === 0) s.parts.push('chords');
  }
  return a;
}

/** First key of the generator's sample seeds (any constant; it only has to come before k). */
const SAMPLE_STREAM = 0x6e7a;

export interface BuiltinGeneratorOptions {
  /** The embedding → musical parameters map, fitted on the music library. */
  decoder: ParameterDecoder;
  /** A SoundFont other than the bundled FluidR3Mono. */
  soundFont?: string;
  /** Render threads (default: the thread budget); the same samples with any number. */
  threads?: number;
}

/**
 * The builtin generator: decodes musical parameters from the embedding, composes new
 * arrangements from them and renders them with the General MIDI synthesizer of `music/`.
 * Sample k of a call uses seed `deriveSeed(seed, SAMPLE_STREAM, k)`: the fixed first key mixes the
 * seed fully before k enters, so nearby seeds give unrelated samples (with `deriveSeed(seed, k)`
 * alone, seed ^ k collided: seeds 0–3 drew the same four arrangements in another order).
 */
export function createBuiltinGenerator(opts: BuiltinGeneratorOptions): Generator {
  const renderer = createArrangementRenderer(opts.threads);
  return {
    name: 'builtin',
    concurrency: renderer.threads,
    async generate(embedding: Float32Array, o: GenerationOptions): Promise<GeneratedClip[]> {
      const [params] = await decodeParameters(opts.decoder, embedding, 1);
      const arrangements = Array.from({ length: o.samples }, (_, k) => arrangementFromParameters(params!, createRng(deriveSeed(o.seed, SAMPLE_STREAM, k)), o.temperature, o.durationSec));
      const rendered = await Promise.all(arrangements.map((a) => renderer.render(a, { soundFont: opts.soundFont })));
      return arrangements.map((arrangement, k) => ({
        samples: rendered[k]!,
        sampleRate: SAMPLE_RATE,
        conditioning: { generator: 'builtin', seed: o.seed, sample: k, temperature: o.temperature, arrangement },
      }));
    },
    dispose: () => renderer.close(),
  };
}
