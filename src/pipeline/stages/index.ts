// The stage adapters this build has, in pipeline order. Each adapter calls one stage's public
// index.ts and writes into the run folder; a stage missing here is reported as unavailable.
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

/** Every implemented stage. */
export function availableStages(): Stage[] {
  return [simulateStage, embedStage, decodeStage, libraryStage, retrieveStage, generateStage, encodeStage, evaluateStage, reportStage];
}
