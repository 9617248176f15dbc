/**
 * The part of a subject's responses that encoding reads. `SubjectResponses` from `src/bids`
 * satisfies it; tests can build one directly.
 *
 * - `runs[i].data`: Float32Array `nScans × nVoxels`, row-major, z-scored per run.
 * - `presentations`: one per played clip (duplicates dropped), `firstScan` 0-based in its run,
 *   `repetition` 0..3 for test clips.
 * - `atlas.labels`: Int32Array (nVoxels), ROI index per voxel (0 = none); `atlas.names`: index → name.
 */
export interface EncodingResponses {
  subject: string;
  tr: number;
  nVoxels: number;
  runs: { task: 'Training' | 'Test'; run: number; nScans: number; data: Float32Array }[];
  presentations: { clipId: string; task: 'Training' | 'Test'; run: number; firstScan: number; repetition: number }[];
  atlas: { labels: Int32Array; names: Map<number, string> };
}
