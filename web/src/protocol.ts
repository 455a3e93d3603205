/** Messages between the page and the experiment worker. */
import type { ExperimentResult, PresetName } from '../../src/experiments/contract.js';
import type { BackendInfo } from './backend.js';

export type ToWorker =
  | { type: 'init'; baseUrl: string; backend?: string }
  | { type: 'run'; runId: number; expId: string; preset: PresetName; seed: number; overrides: Record<string, unknown>; cancelFlag?: SharedArrayBuffer }
  | { type: 'cancel'; runId: number }
  | { type: 'probe' }
  | { type: 'task'; runId: number; task: string; args: unknown; cancelFlag?: SharedArrayBuffer };

export type FromWorker =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'init-error'; message: string }
  | { type: 'progress'; runId: number; fraction: number; message?: string }
  | { type: 'log'; runId: number; message: string }
  | { type: 'done'; runId: number; result: ExperimentResult }
  | { type: 'error'; runId: number; message: string; aborted: boolean }
  | { type: 'probe'; gflops: number }
  | { type: 'task-event'; runId: number; event: unknown }
  | { type: 'task-done'; runId: number; value: unknown };
