// Music embeddings: windowing, the Embedder interface and registry, the builtin auditory model,
// CLAP / w2v-BERT adapters (transformers.js) and the genre one-hot control, embeddings files and
// the one clip × window type (ClipWindows, rowsFor).
export { windowStarts, cutWindows } from './windows.ts';
export type { Embedder, EmbedContext, EmbedderOptions } from './embedder.ts';
export { createEmbedder, embedderNames, embedderInfo, EMBEDDERS, type EmbedderFactory, type EmbedderInfo } from './registry.ts';
export { createGenreEmbedder } from './adapters/genre.ts';
export { createBuiltinEmbedder, BUILTIN_VERSION } from './builtin/builtinEmbedder.ts';
export { auditoryFeatures, auditoryFeatureNames } from './builtin/auditoryFeatures.ts';
export { fitProjection, applyProjection, type Projection } from './builtin/projection.ts';
export { embedClips, type ClipAudio, type ClipSource, type EmbedClipsOptions, type EmbedClipsResult } from './embedClips.ts';
export { checkClipWindows, clipWindowsLabel, rowsFor, type ClipWindows } from './clipWindows.ts';
export { readEmbeddings, writeEmbeddings, concatEmbeddings, metaPathOf, type EmbeddingsFile, type EmbeddingsMeta, type ClipAudioSource } from './embeddingsFile.ts';
export { createAstTagger, AST_FILES, AST_HUB_IDS, type AudioTagger } from './adapters/ast.ts';
export { readCaptionsTable, parseCaptionsTable, captionKeyToClipId, requireCaptions } from './captionsTable.ts';
