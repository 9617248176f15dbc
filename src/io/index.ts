// File formats only: each helper module below is one format. Nothing here imports other stages;
// the maths of samples (resampling, excerpts, spectra) is in dsp/.
export { writeFileAtomic, writeJsonAtomic } from './atomic.ts';
export { readNpy, parseNpy, writeNpy, serializeNpy, type NpyArray, type NpyData } from './npy.ts';
export { readTsv, parseTsv, writeTsv, formatTsv, unquote, type TsvTable, type ReadTsvOptions, type UnquoteOptions } from './tsv.ts';
export {
  readNifti, readNiftiSync, readNiftiHeader, readNiftiMasked, parseNifti, writeNifti, serializeNifti, maskToIndices,
  type NiftiImage, type NiftiMaskedImage, type ReadNiftiOptions, type NiftiWriteInput,
} from './nifti.ts';
export { readMgh, parseMgh, mghAffine, MGH_DATA_OFFSET, type MghImage, type MghHeader, type MghDatatype, type MghData } from './mgh.ts';
export { niftiAffine, niftiScaling, parseNiftiHeader, type NiftiHeader, type NiftiDatatype, type NiftiData } from './niftiHeader.ts';
export { readAudio, decodeAudio, mixToMono, AUDIO_EXTENSIONS, isAudioFile, type MonoAudio } from './audio.ts';
export { parseWav, encodeWav, writeWav, isWav, type DecodedAudio, type WavFormat } from './wav.ts';
export { parseAu, isAu } from './au.ts';
export { readCsv, parseCsv } from './csv.ts';
export { readJsonLines, appendJsonLine, dropTornLine, type JsonLines } from './jsonLines.ts';
