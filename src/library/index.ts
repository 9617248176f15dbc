// library: the music library store (LanceDB) and cosine search. Other stages import only this file.
export { cosineTopK, type TopK } from './cosineTopK.ts';
export { cosineTopKGemm, type CosineTopKGemmOptions } from './cosineTopKGemm.ts';
export {
  openLibrary, wantsAnnIndex, hitsAsRows, LibraryStore, TRACKS_TABLE, LIBRARY_INFO_FILE, type AnnChoice,
  type LibraryInfo, type LibraryEntry, type LibraryVectors, type LibraryCatalog, type RowSearchMode, type SearchHit, type SearchMode, type SearchOptions, type AnnIndexOptions,
} from './libraryStore.ts';
export { embedExcerpt, excerptSettings, type ExcerptOptions } from './embedExcerpt.ts';
export { listAudioTracks, type AudioTrack } from './listAudioTracks.ts';
export { buildLibrary, type AudioLoader, type BuildLibraryOptions, type BuildLibraryResult } from './buildLibrary.ts';
export { evaluateRetrieval, evaluateRetrievalReading, retrievalRows, type ClipRows, type RetrievalEvalInput, type RetrievalEvaluation, type ClipRetrieval, type Triple } from './evaluateRetrieval.ts';
export { hubnessTopK, centerOnLibrary, retrievalConcentration, HUBNESS_REDUCTIONS, type HubnessReduction, type RetrievalConcentration } from './hubness.ts';
export { embedTracks, libraryInfoOf } from './buildLibrary.ts';
export { readLibraryShard, storeLibraryShards, writeLibraryShard, type LibraryShard } from './libraryShard.ts';
export { searchableLibrary, inMemoryLibrary, type SearchableLibrary, type LibrarySearchChoice } from './searchableLibrary.ts';
