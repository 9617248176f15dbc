// stats: significance and reliability of voxelwise correlations. One function per file.
export { fdrBh } from './fdrBh.ts';
export { gaussianNullP } from './gaussianNullP.ts';
export type { Tail } from './gaussianNullP.ts';
export { blockPermutationNull } from './blockPermutationNull.ts';
export type { BlockPermutationOptions, PermutationNullResult } from './blockPermutationNull.ts';
export { noiseCeiling } from './noiseCeiling.ts';
export type { NoiseCeiling } from './noiseCeiling.ts';
export { normalisedCorrelation } from './normalisedCorrelation.ts';
export { betaIncReg } from './betaIncReg.ts';
export { studentTSf } from './studentTSf.ts';
export { logGamma } from './logGamma.ts';
export { binomialTest } from './binomialTest.ts';
export { clopperPearson } from './clopperPearson.ts';
export { fleissKappa } from './fleissKappa.ts';
