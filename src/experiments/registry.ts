/**
 * The registry: every experiment of the lab, collected from each lens's `index.ts`. The CLI,
 * the tests (quick presets), the audit and the web lab all read this one list.
 */
import type { Experiment, Lens } from './contract.js';
import { experiments as information } from '../lenses/information/index.js';
import { experiments as control } from '../lenses/control/index.js';
import { experiments as optimization } from '../lenses/optimization/index.js';
import { experiments as compression } from '../lenses/compression/index.js';
import { experiments as perception } from '../lenses/perception/index.js';
import { experiments as gpt } from '../gpt/experiments.js';

export const EXPERIMENTS: readonly Experiment[] = [
  ...information,
  ...control,
  ...optimization,
  ...compression,
  ...perception,
  ...gpt,
];

export function getExperiment(id: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.id === id);
}

export function experimentsOfLens(lens: Lens): Experiment[] {
  return EXPERIMENTS.filter((e) => e.lens === lens);
}

export { nearest, editDistance } from './registry-names.js';
