import { describe, expect, it } from 'vitest';
import { englishOnlyTexts, localizeSpec } from '../../src/report/i18n.js';
import { lineChart } from '../../src/report/charts.js';
import { renderSvg } from '../../src/report/svg.js';

const spec = lineChart({
  title: { en: 'Loss against step', zh: '损失随步数变化' },
  data: [
    { step: 0, loss: 2, run: { en: 'with clipping', zh: '有裁剪' } },
    { step: 1, loss: 1, run: { en: 'with clipping', zh: '有裁剪' } },
  ],
  x: { field: 'step', title: { en: 'step', zh: '步数' } },
  y: { field: 'loss', title: 'loss (nats)' },
  color: { field: 'run', title: { en: 'run', zh: '运行' } },
});

describe('bilingual figures', () => {
  it('localizes titles, axes, legends and label values, and leaves numbers alone', () => {
    const zh = localizeSpec(spec, 'zh') as Record<string, any>;
    expect(zh.title).toBe('损失随步数变化');
    expect(JSON.stringify(zh)).not.toContain('with clipping');
    expect(JSON.stringify(zh)).toContain('有裁剪');
    expect(JSON.stringify(localizeSpec(spec, 'en'))).toContain('with clipping');
  });
  it('finds English-only text a learner would read', () => {
    expect(englishOnlyTexts(spec)).toEqual(['loss (nats)']);
    const plain = lineChart({ title: 'λ', data: [{ step: 0, loss: 1, run: 'no clipping' }, { step: 0, loss: 1, run: 'Adam' }, { step: 0, loss: 1, run: 'h.0.attn.weight' }, { step: 0, loss: 1, run: 'tanh' }, { step: 0, loss: 1, run: 'theory' }], x: { field: 'step', title: 'η' }, y: { field: 'loss', title: 'L' }, color: { field: 'run', title: 'λ' } });
    expect(englishOnlyTexts(plain)).toEqual(['no clipping', 'theory']);
  });
  it('renders the chosen language to SVG', async () => {
    const svg = await renderSvg(spec, 'zh');
    expect(svg).toContain('损失随步数变化');
    expect(svg).not.toContain('Loss against step');
  });
});
