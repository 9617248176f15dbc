/**
 * A subject's window-aligned responses as functional alignment reads them (`AlignedWindows`
 * satisfies it): `data` is `clipIds.length × nWindows` rows × `nVoxels` columns, row-major
 * float32, row `c·nWindows + w` = clip c, window w (after the lag and repeat averaging).
 */
export interface WindowRows {
  clipIds: readonly string[];
  nWindows: number;
  nVoxels: number;
  data: Float32Array;
}

/** A subject id with its window rows. */
export interface SubjectRows {
  subject: string;
  rows: WindowRows;
}
