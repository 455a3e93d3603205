/** The live figures, by id (an essay section names one in `live`); a lens page shows its lens's. */
import type { Lens } from '../../../src/experiments/contract.js';
import { clipping, momentum, pid, schedules } from './control.js';
import { stepSize } from './optimization.js';
import { entropyKl } from './information.js';
import { ompPhase, quantization } from './compression.js';
import { attentionTemperature } from './perception.js';
import type { LiveFigure } from './types.js';

export type { LiveFigure } from './types.js';

export const LIVE: readonly LiveFigure[] = [entropyKl, attentionTemperature, momentum, stepSize, pid, schedules, clipping, quantization, ompPhase];

export function liveFigure(id: string): LiveFigure | undefined {
  return LIVE.find((f) => f.id === id);
}

export function liveOfLens(lens: Lens): LiveFigure[] {
  return LIVE.filter((f) => f.lens === lens);
}

/** the default slider values of a figure */
export function defaults(f: LiveFigure): Record<string, number> {
  return Object.fromEntries(f.controls.map((c) => [c.key, c.value]));
}
