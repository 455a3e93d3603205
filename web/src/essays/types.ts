/**
 * An essay per lens: the lab's teaching text. Each lens page reads top to bottom as prose woven with
 * figures — per mechanism: what the seed answer claims, the idea with its formula, a live figure
 * the reader drags (or the committed full-preset figure), what we measured and the verdict with its
 * criteria (read from results/, never typed here), and what it means for training an LLM.
 * Chinese and English are written for a learner, each in its own right (not word-for-word).
 *
 * Paragraph markup: `**bold**`, `*italic*`, inline TeX between `$…$`, and `[text](#/route)` links.
 */
import type { Bilingual, Lens } from '../../../src/experiments/contract.js';

export interface EssaySection {
  /** anchor id, unique in the essay, e.g. `momentum` */
  id: string;
  title: Bilingual;
  /** the experiment whose committed result (results/<id>.json) this section shows, if any */
  experiment?: string;
  /** the claims of the seed this section discusses (ids of src/atlas/claim-ids.ts); verdicts come from results/ */
  claims?: string[];
  /** what the seed answer claims here, in the learner's words */
  seed?: Bilingual;
  /** the idea, as paragraphs */
  body: Bilingual[];
  /** display formulas (KaTeX), each with a short label */
  formulas?: { tex: string; label: Bilingual }[];
  /** a live figure (id from web/src/live/) shown after the body */
  live?: string;
  /** figure ids of the experiment's committed result to show (default: its first figure) */
  figures?: string[];
  /** what it means for training an LLM */
  llm: Bilingual;
  /** atlas topic ids to read next */
  topics?: string[];
}

export interface Essay {
  lens: Exclude<Lens, 'gpt'>;
  /** why an LLM researcher needs this science: the opening paragraphs */
  intro: Bilingual[];
  sections: EssaySection[];
  /** closing paragraphs: what to study next, with textbooks (ids of src/atlas/textbooks.ts) */
  outro: Bilingual[];
  textbooks?: string[];
}
