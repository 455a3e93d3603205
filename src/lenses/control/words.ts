/** The verdict words of the control lens's findings, in both languages. */
import type { Bilingual, Verdict } from '../../experiments/contract.js';

export const VERDICT_WORD: Record<Verdict, Bilingual> = {
  reproduced: { en: 'Reproduced', zh: '复现' },
  partly: { en: 'Partly', zh: '部分复现' },
  'not-reproduced': { en: 'Not reproduced', zh: '未能复现' },
  untestable: { en: 'Untestable', zh: '无法检验' },
};
