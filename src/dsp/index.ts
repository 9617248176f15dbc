// Signal processing on plain sample arrays: the Hann window, short-time power spectra, band
// spectrograms, band-limited resampling, excerpt cutting. Imports nothing but errors (io keeps
// the file formats; dsp keeps the maths of the samples).
export { hann } from './hann.ts';
export { powerSpectrogram, powerSpectrogramAt, type PowerSpectrogram } from './powerSpectrogram.ts';
export { bandSpectrogram, type BandSpectrogram } from './bandSpectrogram.ts';
export { resample, atRate } from './resample.ts';
export { cutExcerpt, type CutExcerptOptions } from './cutExcerpt.ts';
export { paddingSamples } from './paddingSamples.ts';
