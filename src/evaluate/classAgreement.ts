import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fail } from '../errors.ts';

/** The AudioSet branches the paper scores, with how many top classes of each are compared. */
export const CLASS_AGREEMENT_TOP = { genre: 2, instrument: 2, mood: 1 } as const;
export type AudioSetBranch = keyof typeof CLASS_AGREEMENT_TOP;
const BRANCHES = Object.keys(CLASS_AGREEMENT_TOP) as AudioSetBranch[];

/** `data/audiosetMusicClasses.json`: every class under the ontology's Music genre, Musical instrument and Music mood nodes. */
interface AudioSetClassLists {
  source: string;
  genre: { classes: { id: string; name: string }[] };
  instrument: { classes: { id: string; name: string }[] };
  mood: { classes: { id: string; name: string }[] };
}

let lists: AudioSetClassLists | undefined;
function classLists(): AudioSetClassLists {
  lists ??= JSON.parse(readFileSync(fileURLToPath(new URL('./data/audiosetMusicClasses.json', import.meta.url)), 'utf8')) as AudioSetClassLists;
  return lists;
}

/** Where the class lists come from (the AudioSet ontology, named with its licence). */
export function audiosetClassSource(): string {
  return classLists().source;
}

/**
 * The positions, among a tagger's labels, of the classes of each branch (matched by the
 * ontology's display names, as AudioSet taggers' `id2label` spell them). A label set that lacks
 * enough classes of a branch is not an AudioSet tagger's.
 */
export function audiosetBranches(labels: readonly string[]): Record<AudioSetBranch, number[]> {
  const at = new Map(labels.map((l, i) => [l, i]));
  const out = {} as Record<AudioSetBranch, number[]>;
  for (const b of BRANCHES) {
    out[b] = classLists()[b].classes.flatMap((c) => (at.has(c.name) ? [at.get(c.name)!] : []));
    if (out[b].length < CLASS_AGREEMENT_TOP[b] + 1) {
      fail('BAD_FILE', `the tagger's ${labels.length} labels hold ${out[b].length} AudioSet ${b} classes (e.g. "${classLists()[b].classes[0]!.name}"); class agreement needs an AudioSet tagger (527 classes, such as Xenova/ast-finetuned-audioset-10-10-0.4593).`);
    }
  }
  return out;
}

/** The `n` best classes of one branch by score, best first (ties to the lower label index). */
export function topClasses(scores: ArrayLike<number>, branch: readonly number[], n: number): number[] {
  return [...branch].sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, n);
}

/** |A ∩ B| / |A| for two top-n sets of the same size. */
export function classOverlap(a: readonly number[], b: readonly number[]): number {
  const set = new Set(b);
  return a.filter((x) => set.has(x)).length / a.length;
}

/** One branch's agreement: the mean overlap, what random pairings give, and (when given) the oracle's. */
export interface BranchAgreement {
  value: number;
  /** Mean overlap of each original with the reconstructions of the other clips (random pairing, exact; NaN for one clip). */
  chance: number;
  /** The same for reconstructions from the true embeddings. */
  oracle?: number;
  /** Classes compared per clip (top-2 genres, top-2 instruments, top-1 mood). */
  top: number;
  unit: 'clips';
  split: 'test';
}

export interface ClassAgreement {
  /** The tagger that labelled the audio (e.g. `ast:ast-finetuned-audioset-10-10-0.4593`). */
  classifier: string;
  genre: BranchAgreement;
  instrument: BranchAgreement;
  mood: BranchAgreement;
  /** Per test clip: the top classes of the original, the reconstruction and the oracle, by name. */
  perClip: { clipId: string; original: Record<AudioSetBranch, string[]>; reconstruction: Record<AudioSetBranch, string[]>; oracle?: Record<AudioSetBranch, string[]> }[];
}

/**
 * Class agreement of reconstructions (Denk et al. 2023, docs/method.md §2): an AudioSet tagger
 * labels each original clip and its reconstruction; per clip the overlap of the top-2 genres, the
 * top-2 instruments and the top-1 mood, averaged over clips. Chance pairs each original with the
 * other clips' reconstructions. Scores are a tagger's per-class outputs (any monotone scale).
 */
export function classAgreement(input: {
  classifier: string; labels: readonly string[]; clipIds: readonly string[];
  original: readonly ArrayLike<number>[]; reconstruction: readonly ArrayLike<number>[]; oracle?: readonly ArrayLike<number>[];
}): ClassAgreement {
  const n = input.clipIds.length;
  if (input.original.length !== n || input.reconstruction.length !== n || (input.oracle && input.oracle.length !== n)) {
    fail('MISMATCH', `classAgreement: ${n} clips but ${input.original.length} original, ${input.reconstruction.length} reconstructed${input.oracle ? ` and ${input.oracle.length} oracle` : ''} label sets.`);
  }
  if (n < 1) fail('BAD_INPUT', 'classAgreement: no clips to score.');
  const branches = audiosetBranches(input.labels);
  const tops = (scores: readonly ArrayLike<number>[]) => scores.map((s) => Object.fromEntries(BRANCHES.map((b) => [b, topClasses(s, branches[b], CLASS_AGREEMENT_TOP[b])])) as Record<AudioSetBranch, number[]>);
  const orig = tops(input.original);
  const rec = tops(input.reconstruction);
  const ora = input.oracle ? tops(input.oracle) : undefined;
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  const score = (b: AudioSetBranch): BranchAgreement => {
    const pairs: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) pairs.push(classOverlap(orig[i]![b], rec[j]![b]));
    return {
      value: mean(orig.map((o, i) => classOverlap(o[b], rec[i]![b]))),
      chance: pairs.length ? mean(pairs) : Number.NaN,
      ...(ora ? { oracle: mean(orig.map((o, i) => classOverlap(o[b], ora[i]![b]))) } : {}),
      top: CLASS_AGREEMENT_TOP[b], unit: 'clips', split: 'test',
    };
  };
  const names = (t: Record<AudioSetBranch, number[]>) => Object.fromEntries(BRANCHES.map((b) => [b, t[b].map((i) => input.labels[i]!)])) as Record<AudioSetBranch, string[]>;
  return {
    classifier: input.classifier,
    genre: score('genre'), instrument: score('instrument'), mood: score('mood'),
    perClip: input.clipIds.map((clipId, i) => ({ clipId, original: names(orig[i]!), reconstruction: names(rec[i]!), ...(ora ? { oracle: names(ora[i]!) } : {}) })),
  };
}
