// Generation: music made from a decoded embedding.
export type { Generator, GeneratedClip, GenerationOptions } from './generator.ts';
export { DEFAULT_GENERATION } from './generator.ts';
export { GENERATORS, GENERATOR_NAMES, generatorInfo, createGenerator, type GeneratorInfo, type GeneratorName, type GeneratorFactoryOptions } from './registry.ts';
export { promptFromAttributes, type MusicAttributes } from './attributes.ts';
export { createMusicgenGenerator, checkMusicgenFolder, MUSICGEN_FILES, type MusicgenOptions } from './adapters/musicgen.ts';
export {
  fitParameterDecoder, decodeParameters, likeliestGenre, GM_FAMILIES, PITCHED_PARTS,
  type ParameterDecoder, type DecodedParameters, type PitchedPart,
} from './parameterDecoder.ts';
export { fitSoftmaxScale, softmaxScaled } from './softmaxScale.ts';
export { genreFamilyPrior, familyGivenGenre, ATYPICAL_FAMILY_WEIGHT } from './familyPrior.ts';
export { withEmbeddingGuidance, closestCandidate, type GuidanceOptions } from './embeddingGuidance.ts';
export { createBuiltinGenerator, arrangementFromParameters, type BuiltinGeneratorOptions } from './adapters/builtin.ts';
export { fitResponsePredictor, predictResponses, responseAgreement, type ResponsePredictor } from './responsePredictor.ts';
export { maxNormalisedCrossCorrelation, maxNormalisedCrossCorrelations } from './crossCorrelation.ts';
export { generateClips, type ClipGeneration, type RerankOptions } from './generateClips.ts';
export { evaluateGeneration, type GenerationEvaluation, type Scored } from './evaluateGeneration.ts';
export { noveltyCheck, type Novelty } from './noveltyCheck.ts';
export { tuneGeneration, type GenerationSetting, type SettingScore, type TuneGenerationInput } from './tuneGeneration.ts';
export { chooseCaptions, checkBankLeakage, fitTextMap, captionNamesGenre, type CaptionBank, type CaptionChoice } from './captionGuide.ts';
