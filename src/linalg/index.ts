// Dense linear algebra on row-major typed arrays. Imports nothing from other stages.
export { matrix, zeros, transpose, sliceRows, sliceCols, takeRows, toFloat32, toFloat64, type Matrix, type MatrixData } from './matrix.ts';
export type { GemmBackend, GemmOptions, GraphBackend, GraphFeed, QuadFormMode } from './backend.ts';
export { scaledQuadForms, scaledQuadFormsJs } from './scaledQuadForms.ts';
export { registerBackend, useBackend, getBackend, listBackends, forcedBackend, setLinalgWarningHandler, type BackendFactory } from './registry.ts';
export { matmul, SMALL_GEMM_FLOPS, type MatmulOptions } from './matmul.ts';
export { eigh, EIGH_BLOCKED_MIN_N, type EighResult, type EighResult32, type EighOptions } from './eigh.ts';
export { eighQl } from './eighQl.ts';
export { columnMeans, columnStds, zscoreColumns } from './columnStats.ts';
export { pearsonColumns } from './pearson.ts';
export { mulberry32, createRng, deriveSeed, hashString, randomNormal, type Rng } from './random.ts';
export { eighMany } from './eighMany.ts';
export { buildOnnxModel, ONNX_DOUBLE, ONNX_FLOAT, ONNX_INT64, type OnnxNode } from './backends/onnxModel.ts';
