// Ridge regression with per-target cross-validated alphas: primal and kernel solvers, folds, scores.
export { fitRidgeCV, ridgeCVScores, type RidgeCVOptions, type RidgeCVScores, type RidgeFit } from './fitRidgeCV.ts';
export { fitRidge, type RidgeCoefficients } from './fitRidge.ts';
export { predictRidge, type RidgePredictor } from './predictRidge.ts';
export { logspace, defaultAlphas, checkAlphas } from './alphas.ts';
export { kFold, groupKFold, leaveOneGroupOut, makeFolds, type Fold } from './folds.ts';
export { scorePredictions, scoreFromSums, checkScore, RIDGE_SCORES, type RidgeScore } from './scores.ts';
export { RIDGE_SOLVERS, preparePrimal, prepareKernel, autoSolver, type RidgePlan, type SolverName, type FoldSpectrum, type TargetBatch } from './solvers.ts';
export { chooseAlphas, crossValidateBatch, type AlphaChoice, type BatchCv } from './cv.ts';
