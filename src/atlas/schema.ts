/**
 * The atlas's data shapes, as zod schemas. The data modules (`topics.ts`, `textbooks.ts`,
 * `papers.ts`, `claims.ts`) are plain TypeScript arrays; `index.ts` parses each through these
 * schemas when it is loaded, so a malformed record fails at import, not in a learner's browser.
 *
 * Cross-references (a topic naming a book, a claim naming a paper…) are checked by
 * `checkAtlas` in `index.ts`, against the lists here and against the experiment registry.
 */
import { z } from 'zod';
import { LENSES } from '../experiments/contract.js';
import { CLAIM_IDS } from './claim-ids.js';

export const Bilingual = z.object({
  zh: z.string().min(1).describe('Chinese text'),
  en: z.string().min(1).describe('English text'),
});

/** kebab-case ids for topics, books and papers */
export const Slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case id');

/** experiment ids look like `lens.name` */
export const ExperimentId = z.string().regex(/^(information|control|optimization|compression|perception|gpt)\.[a-z0-9-]+$/, 'lens.name');

// ---------------------------------------------------------------------------------------------
// Textbooks

export const Textbook = z.object({
  id: Slug,
  authors: z.array(z.string().min(1)).min(1),
  title: z.string().min(1),
  /** year of the edition cited */
  year: z.number().int().min(1900).max(2030),
  /** e.g. "2nd"; omitted for a first (or only) edition */
  edition: z.string().optional(),
  publisher: z.string().min(1),
  /** the Chinese edition, only where one is known to exist; fields we could not confirm are omitted */
  zh: z
    .object({
      title: z.string().min(1),
      publisher: z.string().optional(),
      year: z.number().int().optional(),
      translators: z.array(z.string()).optional(),
    })
    .optional(),
  /** true for books written in Chinese (the `title` is then the Chinese title) */
  chinese: z.boolean().optional(),
  /** a free, legal online copy, if the authors provide one */
  url: z.string().url().optional(),
  /** why it is on the list, or what to know about it */
  note: Bilingual.optional(),
});
export type Textbook = z.infer<typeof Textbook>;

// ---------------------------------------------------------------------------------------------
// Papers (and the few primary sources that are not papers: a benchmark page, a Distill article)

export const Paper = z.object({
  id: Slug,
  /** "Shannon", "Hinton, Vinyals, Dean" — surnames, "et al." after three */
  authors: z.string().min(1),
  title: z.string().min(1),
  /** journal, conference or medium, e.g. "ICLR", "Bell System Technical Journal", "arXiv" */
  venue: z.string().min(1),
  year: z.number().int().min(1900).max(2030),
  /** arXiv id or DOI when known */
  ref: z.string().optional(),
  url: z.string().url().optional(),
  /** the published numbers the lab stands beside (see ../shared/ANCHORS.md) */
  numbers: z.string().optional(),
});
export type Paper = z.infer<typeof Paper>;

// ---------------------------------------------------------------------------------------------
// Topics: a DAG of prerequisites

export const TopicKind = z.enum(['prerequisite', 'science', 'part', 'capstone', 'goal']);

export const Reading = z.object({
  book: Slug,
  /** chapters or sections, as printed in the edition cited, e.g. "ch. 2, 4; §10.3" */
  chapters: z.string().min(1),
});

export const Topic = z.object({
  id: Slug,
  kind: TopicKind,
  /** the lens it belongs to (sciences and their parts) */
  lens: z.enum(LENSES).optional(),
  name: Bilingual,
  /** why it matters for LLMs, pointing to the experiments that show it */
  why: Bilingual,
  /** topic ids that must come first (edges of the DAG) */
  requires: z.array(Slug),
  /** experiment ids (registered, or planned in `EXPERIMENT_PLAN`) */
  experiments: z.array(ExperimentId),
  readings: z.array(Reading),
  papers: z.array(Slug),
  /** estimated study hours for this topic alone (reading + exercises + running the experiments) */
  hours: z.number().positive(),
});
export type Topic = z.infer<typeof Topic>;

// ---------------------------------------------------------------------------------------------
// Claims of the seed answer

export const ClaimIdSchema = z.enum(CLAIM_IDS);

export const Claim = z.object({
  id: ClaimIdSchema,
  lens: z.enum(['information', 'control', 'optimization', 'compression', 'perception']),
  /** the seed's section heading (zh) */
  section: z.string().min(1),
  /** the sentence(s) of the seed, quoted verbatim (whitespace aside) */
  quote: z.string().min(1),
  /** English paraphrase */
  en: z.string().min(1),
  /** the seed's citation markers on that sentence, e.g. [1, 3] */
  seedCites: z.array(z.number().int().positive()),
  /** the number the seed states, if any, e.g. "1/40 of the size, ≥ 90% of the performance" */
  seedNumber: z.string().optional(),
  /** the published reference number beside which the measurement stands, if any */
  published: z.string().optional(),
  /** experiments that test it (registered or planned) */
  experiments: z.array(ExperimentId),
  /** papers (and books) that bear on it */
  papers: z.array(Slug),
  /** the literature note: what the sources really say, where the seed's number comes from */
  note: Bilingual,
  /** why no experiment can decide it (or not at our scale); required when `experiments` is empty */
  untestable: Bilingual.optional(),
});
export type Claim = z.infer<typeof Claim>;
