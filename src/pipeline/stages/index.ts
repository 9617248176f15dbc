// The stage adapters this build has, in pipeline order. Each adapter calls one stage's public
// index.ts and writes into the run folder; a stage missing here is reported as unavailable.
import type { Stage } from '../stage.ts';
import { reportStage } from './report.ts';

/** Every implemented stage. */
export function availableStages(): Stage[] {
  return [reportStage];
}
