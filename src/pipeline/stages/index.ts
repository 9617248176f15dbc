// The stage adapters, one per STAGE_NAMES entry, in pipeline order. Each adapter calls its
// stage's job and writes into the run folder.
import type { Stage } from '../stage.ts';
import { decodeStage } from './decode.ts';
import { embedStage } from './embed.ts';
import { encodeStage } from './encode.ts';
import { evaluateStage } from './evaluate.ts';
import { generateStage } from './generate.ts';
import { libraryStage } from './library.ts';
import { reportStage } from './report.ts';
import { retrieveStage } from './retrieve.ts';
import { simulateStage } from './simulate.ts';

/** Every stage of the pipeline (test/pipeline/runPipeline.test.ts checks that none is missing). */
export function availableStages(): Stage[] {
  return [simulateStage, embedStage, decodeStage, libraryStage, retrieveStage, generateStage, encodeStage, evaluateStage, reportStage];
}
