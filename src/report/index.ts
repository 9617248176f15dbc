// The HTML report of a run folder and the local read-only server for it.
export { serveRun, serveFolder, sendJson, parseRequestPath, LOOPBACK, type ApiHandler, type ServeFolderOptions } from './serveRun.ts';
export { buildReport, REPORT_ASSETS, type ReportSummary } from './buildReport.ts';
export { collectRun, type RunContents, type SubjectContents, type IdentificationMatrix, type WrittenMap, type GeneratedSample } from './collectRun.ts';
export { renderReport, rowZscores, CLIP_ROWS_SHOWN, type ClipRow, type ClipMedia, type SubjectView } from './renderReport.ts';
export { writeBrainData, type BrainData, type BrainMapInfo } from './brainData.ts';
export { subjectResult, subjectSentence, summaryTable, ci95Of, type SubjectResult } from './resultSummary.ts';
export { conditioningCaption } from './conditioningCaption.ts';
export { genreOrder } from './genreOrder.ts';
export { tsvLink, type TsvRow } from './tsvLink.ts';
export { encodePng, crc32 } from './png.ts';
export { spectrogramImage, type SpectrogramImage } from './spectrogramImage.ts';
export { heatmapSvg } from './heatmapSvg.ts';
export { barChartSvg, type Bar } from './barChartSvg.ts';
export type { RunServer } from './serveRun.ts';
export { prepareListening, readListeningAnswers, LISTEN_PAGE_VERSION, type ListeningSessionInput } from './listenSession.ts';
export { serveListening, checkAnswerPost, LISTENER_NAME } from './listenServer.ts';
export { renderListenPage } from './listenPage.ts';
export { listeningScores, listeningLines, listeningSection, proportionText, agreementText } from './listeningScores.ts';
