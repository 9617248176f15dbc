// Evaluation metrics of decoded embeddings (docs/method.md §2) and of listening tests. Pure functions, one per file.
export { rowCorrelations, type RowMajor } from './rowCorrelations.ts';
export { identificationAccuracy, type IdentificationResult } from './identificationAccuracy.ts';
export { nWayTop1, type TopOneResult } from './nWayTop1.ts';
export { pearsonPerDimension, type PearsonPerDimensionResult } from './pearsonPerDimension.ts';
export { accuracyByGroup, type GroupAccuracy } from './accuracyByGroup.ts';
export { averageWindows } from './averageWindows.ts';
export { bootstrapMeanCi, type BootstrapCi, type BootstrapOptions } from './bootstrapMeanCi.ts';
export { pairingPermutationP, type PairingPermutationOptions, type PairingPermutationResult } from './pairingPermutationP.ts';
export { rankWithinRows } from './rankWithinRows.ts';
export type { ScoreWithUncertainty, UncertaintyOptions } from './scoreWithUncertainty.ts';
export { identificationWithUncertainty } from './identificationWithUncertainty.ts';
export { nWayTop1WithUncertainty } from './nWayTop1WithUncertainty.ts';
export { agreementWithUncertainty, agreementChance } from './agreementWithUncertainty.ts';
export { poissonBinomialTail } from './poissonBinomialTail.ts';
export { drawListeningTrials, type ListeningCandidate } from './drawListeningTrials.ts';
export { listenerPlan, type PlannedTrial } from './listenerPlan.ts';
export { scoreListening, proportionScore, listenerAgreement, LISTENING_METHOD, type ListeningScore, type ListeningGroupScore, type ProportionScore, type ListenerAgreement } from './scoreListening.ts';
export { classAgreement, audiosetBranches, audiosetClassSource, topClasses, classOverlap, CLASS_AGREEMENT_TOP, type ClassAgreement, type BranchAgreement, type AudioSetBranch } from './classAgreement.ts';
