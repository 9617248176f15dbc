// library: the music library store (LanceDB) and cosine search. Other stages import only this file.
export { cosineTopK, type TopK } from './cosineTopK.ts';
export {
  openLibrary, LibraryStore, TRACKS_TABLE, LIBRARY_INFO_FILE,
  type LibraryInfo, type LibraryEntry, type LibraryVectors, type SearchHit, type SearchMode, type SearchOptions, type AnnIndexOptions,
} from './libraryStore.ts';
