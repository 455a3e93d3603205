/**
 * `fivelens path [--know TOPIC,...] [--goal TOPIC] [--hours-per-week H] [--lang zh|en] [--json]`
 *
 * A study plan through the atlas: the topics still missing on the way to the goal (default: all
 * five lenses), in an order that respects every prerequisite, each with what to read, which
 * experiment to run and the hours; then the weeks at the given pace. An unknown topic gets one
 * line with the nearest names and exit code 2.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { readCatalog } from '../../experiments/catalog.js';
import { cite, citePaper, TOPIC_BY_ID, TOPICS } from '../../atlas/index.js';
import { DEFAULT_GOAL, planStudy, UnknownTopicError, type StudyPlan } from '../../atlas/planner.js';
import { UsageError } from '../errors.js';

export interface PathCommandOptions {
  know?: string;
  goal?: string;
  hoursPerWeek?: string | number;
  lang?: 'zh' | 'en';
  json?: boolean;
}

/** Build the plan from CLI-style options; throws UsageError on bad input. */
/** The language of the system (LC_ALL, LC_MESSAGES, LANG, LANGUAGE), as the lab follows the browser's: zh or en. */
export function systemLang(env: NodeJS.ProcessEnv = process.env): 'zh' | 'en' {
  const l = env.LC_ALL || env.LC_MESSAGES || env.LANG || env.LANGUAGE || '';
  return /^zh(?:[_.@-]|$)/i.test(l) ? 'zh' : 'en'; // zh_CN.UTF-8, zh-TW, zh
}

export function planFromOptions(o: PathCommandOptions, registered?: readonly string[]): StudyPlan {
  const hpw = o.hoursPerWeek === undefined ? 8 : Number(o.hoursPerWeek);
  if (!Number.isFinite(hpw) || hpw <= 0 || hpw > 168) throw new UsageError(`--hours-per-week ${o.hoursPerWeek}: expected a number of hours in (0, 168]`);
  const know = (o.know ?? '')
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    return planStudy({ know, goal: o.goal ?? DEFAULT_GOAL, hoursPerWeek: hpw, ...(registered ? { registered: [...registered] } : {}) });
  } catch (err) {
    if (err instanceof UnknownTopicError) {
      const flag = know.includes(err.topic) ? '--know' : '--goal';
      throw new UsageError(`${flag} ${err.topic}: unknown topic; nearest: ${err.suggestions.join(', ')} (fivelens path --list shows all)`);
    }
    throw err;
  }
}

/** The plan as JSON-ready data. */
export function planJson(plan: StudyPlan, lang: 'zh' | 'en' = 'en'): Record<string, unknown> {
  return {
    goal: plan.goal.id,
    hoursPerWeek: plan.hoursPerWeek,
    known: plan.known,
    assumed: plan.assumed,
    totalHours: plan.totalHours,
    weeks: plan.weeks,
    steps: plan.steps.map((s, i) => ({
      order: i + 1,
      topic: s.topic.id,
      name: s.topic.name[lang],
      kind: s.topic.kind,
      requires: s.topic.requires,
      hours: s.hours,
      weeks: [s.startWeek, s.endWeek],
      why: s.topic.why[lang],
      read: s.topic.readings.map((r) => ({ book: r.book, citation: cite(r.book, lang), chapters: r.chapters })),
      papers: s.topic.papers.map((p) => ({ id: p, citation: citePaper(p) })),
      run: s.experiments.map((e) => ({ id: e.id, status: e.registered ? 'registered' : 'planned' })),
    })),
  };
}

/** The plan as text lines. */
export function planText(plan: StudyPlan, lang: 'zh' | 'en' = 'en'): string[] {
  const zh = lang === 'zh';
  const name = (id: string) => `${TOPIC_BY_ID.get(id)?.name[lang] ?? id} (${id})`;
  const out: string[] = [];
  out.push(
    zh
      ? `学习计划 → 目标：${name(plan.goal.id)}；${plan.steps.length} 个主题，共 ${plan.totalHours} 小时，每周 ${plan.hoursPerWeek} 小时约需 ${plan.weeks} 周。`
      : `Study plan → goal: ${name(plan.goal.id)}; ${plan.steps.length} topics, ${plan.totalHours} h, about ${plan.weeks} weeks at ${plan.hoursPerWeek} h/week.`,
  );
  if (plan.known.length) out.push(zh ? `已掌握：${plan.known.map(name).join('、')}` : `Known: ${plan.known.map(name).join(', ')}`);
  if (plan.assumed.length)
    out.push(zh ? `视为已掌握（已掌握主题的前置）：${plan.assumed.join('、')}` : `Assumed known (prerequisites of what you know): ${plan.assumed.join(', ')}`);
  if (plan.steps.length === 0) {
    out.push(zh ? '目标的全部前置都已掌握，没有需要学习的主题。' : 'You already know everything the goal needs; nothing to study.');
    return out;
  }
  out.push('');
  plan.steps.forEach((s, i) => {
    const t = s.topic;
    const weeks = s.startWeek === s.endWeek ? (zh ? `第 ${s.startWeek} 周` : `week ${s.startWeek}`) : zh ? `第 ${s.startWeek}–${s.endWeek} 周` : `weeks ${s.startWeek}–${s.endWeek}`;
    out.push(`${String(i + 1).padStart(2)}. ${t.name[lang]} [${t.id}] — ${s.hours} h, ${weeks}`);
    if (t.requires.length) out.push(`    ${zh ? '前置' : 'after'}: ${t.requires.join(', ')}`);
    for (const r of t.readings) out.push(`    ${zh ? '读' : 'read'}: ${cite(r.book, lang)} — ${r.chapters}`);
    for (const p of t.papers.slice(0, 3)) out.push(`    ${zh ? '论文' : 'paper'}: ${citePaper(p)}`);
    if (t.papers.length > 3) out.push(`    ${zh ? `另有 ${t.papers.length - 3} 篇论文（--json 查看）` : `+${t.papers.length - 3} more (see --json)`}`);
    for (const e of s.experiments)
      out.push(`    ${zh ? '运行' : 'run'}: fivelens run ${e.id}${e.registered ? '' : zh ? '（尚未实现，计划中）' : '  (planned, not yet available)'}`);
  });
  return out;
}

export function register(program: Command): void {
  program
    .command('path')
    .description('a study plan through the five sciences: what to read and run, in prerequisite order, with hours and weeks')
    .option('--know <topics>', 'topics you already know, comma-separated (e.g. calculus,linear-algebra)')
    .option('--goal <topic>', `the topic to reach (default ${DEFAULT_GOAL})`)
    .option('--hours-per-week <h>', 'study hours per week', '8')
    .addOption(new Option('--lang <lang>', 'language of the plan (default: the system language, from LANG)').choices(['zh', 'en']))
    .option('--list', 'list the topic ids and exit')
    .option('--json', 'print the plan as JSON')
    .action(async (opts: { know?: string; goal?: string; hoursPerWeek?: string; lang?: 'zh' | 'en'; list?: boolean; json?: boolean }) => {
      const o = { ...opts, lang: opts.lang ?? systemLang() };
      const print = (s: string) => process.stdout.write(s + '\n');
      if (o.list) {
        for (const t of TOPICS) print(`${t.id.padEnd(24)} ${t.kind.padEnd(13)} ${t.name[o.lang]}`);
        return;
      }
      const plan = planFromOptions(o, (await readCatalog()).map((e) => e.id));
      if (o.json) print(JSON.stringify(planJson(plan, o.lang), null, 2));
      else for (const l of planText(plan, o.lang)) print(l);
    });
}
