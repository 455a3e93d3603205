import { describe, expect, it } from 'vitest';
import { distillGradF64, softmaxT } from '../../../src/nn/distill.js';
import { chooseTemperature, distillation, judgeDistillKl, klDirectionCheck } from '../../../src/lenses/information/distillation.js';
import { forwardNet64 as forward64, initNet64, lossAndGrad64, net64Params, softmaxRows } from '../../../src/nn/mlp64.js';
import { klDivergence } from '../../../src/lenses/information/measures.js';
import { mlpForwardReference } from '../../../src/nn/mlp.js';
import { Rng } from '../../../src/engine/rng.js';
import { initEngine } from '../../../src/engine/tf.js';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';

describe('distillation loss', () => {
  it('closed-form gradients of T²·KL(p‖q_T) and T²·KL(q_T‖p) match finite differences', () => {
    const rng = new Rng(2);
    const z = Float64Array.from(rng.normalArray(10, 2));
    const p = softmaxT(rng.normalArray(10, 3), 1);
    for (const T of [1, 4, 20]) {
      const { forward, reverse } = distillGradF64(z, p, T);
      const h = 1e-6;
      for (let i = 0; i < 10; i++) {
        const zp = Float64Array.from(z);
        const zm = Float64Array.from(z);
        zp[i]! += h;
        zm[i]! -= h;
        const fd = (T * T * (klDivergence(p, softmaxT(zp, T), 'nats') - klDivergence(p, softmaxT(zm, T), 'nats'))) / (2 * h);
        const fdr = (T * T * (klDivergence(softmaxT(zp, T), p, 'nats') - klDivergence(softmaxT(zm, T), p, 'nats'))) / (2 * h);
        expect(forward[i]).toBeCloseTo(fd, 5);
        expect(reverse[i]).toBeCloseTo(fdr, 5);
      }
    }
  });

  it('the tfjs loss is the forward direction KL(teacher‖student)', async () => {
    await initEngine();
    const rng = new Rng(4);
    const zs = Array.from({ length: 8 }, () => Float64Array.from(rng.normalArray(10, 2)));
    const ps = zs.map(() => softmaxT(rng.normalArray(10, 3), 4));
    const { forwardGap, reverseGap } = klDirectionCheck(zs, ps, 4);
    expect(forwardGap).toBeLessThan(1e-4);
    expect(reverseGap).toBeGreaterThan(0.05);
  });

  it('the float64 MLP: forward equals src/nn/mlp.ts reference, backward equals finite differences', () => {
    const rng = new Rng(5);
    for (const act of ['relu', 'tanh'] as const) {
      const net = initNet64([6, 5, 4, 3], act, rng);
      net.b.forEach((b) => b.forEach((_, i) => (b[i] = 0.1 * rng.normal())));
      const n = 4;
      const x = Float64Array.from(rng.normalArray(n * 6));
      const ref = mlpForwardReference({ sizes: net.sizes, activation: act }, net64Params(net), x, n);
      const ours = forward64(net, x, n).logits;
      for (let i = 0; i < ref.length; i++) expect(ours[i]).toBeCloseTo(ref[i]!, 12);
      const labels = Int32Array.from([0, 2, 1, 2]);
      const soft = softmaxRows(rng.normalArray(n * 3, 2), n, 3, 1);
      const spec = { T: 3, alpha: 0.7 };
      const { dW, db } = lossAndGrad64(net, x, labels, soft, n, spec);
      const h = 1e-6;
      for (const [arr, grad] of [
        [net.W[1]!, dW[1]!],
        [net.b[0]!, db[0]!],
        [net.W[0]!, dW[0]!],
      ] as const) {
        for (let i = 0; i < Math.min(arr.length, 6); i++) {
          const v = arr[i]!;
          arr[i] = v + h;
          const lp = lossAndGrad64(net, x, labels, soft, n, spec).loss;
          arr[i] = v - h;
          const lm = lossAndGrad64(net, x, labels, soft, n, spec).loss;
          arr[i] = v;
          expect(grad[i]).toBeCloseTo((lp - lm) / (2 * h), 6);
        }
      }
    }
  });

  it('info.distill-kl: a paired interval above 0 → reproduced; a mean gain inside the noise → partly; no gain → not reproduced', () => {
    const labelErrors = [30, 32, 35, 31, 33];
    expect(judgeDistillKl({ labelErrors, distilledErrors: [24, 25, 28, 26, 27], chosenT: 8 }).verdict).toBe('reproduced');
    expect(judgeDistillKl({ labelErrors, distilledErrors: [31, 25, 36, 34, 29], chosenT: 8 }).verdict).toBe('partly');
    expect(judgeDistillKl({ labelErrors, distilledErrors: [34, 36, 38, 35, 37], chosenT: 8 }).verdict).toBe('not-reproduced');
  });

  it('the temperature is chosen on validation errors alone', () => {
    expect(chooseTemperature({ 'T=1': [10, 12], 'T=4': [8, 9], 'T=20': [9, 9] }, [1, 4, 20])).toBe(4);
  });

  it('quick preset runs: teacher better than label-trained student; T chosen among the candidates; GPT-3 numbers untestable', async () => {
    const r = await runExperiment(distillation as never, nodeHost(), { preset: 'quick', seed: 1 });
    const m = Object.fromEntries(r.metrics.map((x) => [x.name, x.value]));
    expect(m.teacher_errors_mean).toBeLessThan(m.student_label_errors_mean!);
    expect(m.chosen_T).toBe(4);
    expect(r.verdicts.map((v) => v.verdict).slice(1)).toEqual(['untestable', 'untestable']);
  });
});
