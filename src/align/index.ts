// fMRI-to-window alignment: hemodynamic lag, test-repeat averaging, window means, CV groups.
export type { AlignableResponses, AlignOptions, ClampRecord, Split } from './responses.ts';
export { planClipScans, type ClipScanPlan } from './planClipScans.ts';
export { clipScans, type ClipScans } from './clipScans.ts';
export { windowScanRange, type TimeWindow, type ScanRange } from './windowScanRange.ts';
export { windowResponses, type WindowResponses } from './windowResponses.ts';
export { alignWindows, type AlignedWindows } from './alignWindows.ts';
