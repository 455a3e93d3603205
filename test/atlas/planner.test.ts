import { describe, expect, it } from 'vitest';
import { ancestorsOf, TOPIC_BY_ID, TOPICS } from '../../src/atlas/index.js';
import { planStudy, resolveTopic, UnknownTopicError } from '../../src/atlas/planner.js';
import { planFromOptions, planJson, planText } from '../../src/cli/commands/path.js';
import { UsageError } from '../../src/cli/errors.js';

/** every edge u → t among the planned topics has u earlier */
function respectsEdges(ids: string[]): boolean {
  const pos = new Map(ids.map((id, i) => [id, i] as const));
  return ids.every((id) => TOPIC_BY_ID.get(id)!.requires.every((r) => !pos.has(r) || pos.get(r)! < pos.get(id)!));
}

describe('study planner', () => {
  it('from nothing to all five lenses: every topic once, in an order that respects every edge', () => {
    const plan = planStudy({ hoursPerWeek: 10 });
    const ids = plan.steps.map((s) => s.topic.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(TOPICS.length);
    expect(respectsEdges(ids)).toBe(true);
    expect(ids.at(-1)).toBe('five-lenses');
    expect(plan.totalHours).toBe(TOPICS.reduce((s, t) => s + t.hours, 0));
    expect(plan.weeks).toBe(Math.ceil(plan.totalHours / 10));
  });

  it('skips known topics and their prerequisites, and plans only what the goal needs', () => {
    const plan = planStudy({ know: ['deep-learning'], goal: 'control', hoursPerWeek: 5 });
    const ids = plan.steps.map((s) => s.topic.id);
    for (const skip of ['deep-learning', 'machine-learning', 'calculus', 'linear-algebra', 'numerical-methods']) expect(ids).not.toContain(skip);
    expect(plan.assumed).toContain('calculus');
    const needed = new Set([...ancestorsOf('control'), 'control']);
    for (const id of ids) expect(needed.has(id), id).toBe(true);
    expect(respectsEdges(ids)).toBe(true);
    expect(ids).toContain('lyapunov');
    expect(ids).toContain('convex-analysis'); // optimal control needs it, and deep learning does not imply it
    expect(ids.indexOf('feedback-stability')).toBeLessThan(ids.indexOf('lyapunov'));
  });

  it('weeks: steps are contiguous and the last ends at the total', () => {
    const plan = planStudy({ goal: 'information', hoursPerWeek: 7 });
    let cum = 0;
    for (const s of plan.steps) {
      expect(s.startWeek).toBe(Math.floor(cum / 7) + 1);
      cum += s.hours;
      expect(s.endWeek).toBeGreaterThanOrEqual(s.startWeek);
    }
    expect(plan.steps.at(-1)!.endWeek).toBe(plan.weeks);
  });

  it('a known goal gives an empty plan', () => {
    const plan = planStudy({ know: ['control'], goal: 'lyapunov' });
    expect(plan.steps).toEqual([]);
    expect(planText(plan, 'en').join('\n')).toMatch(/nothing to study/);
  });

  it('resolves ids and names in both languages; unknown topics get the nearest names', () => {
    expect(resolveTopic('Calculus').id).toBe('calculus');
    expect(resolveTopic('信息论').id).toBe('information');
    try {
      resolveTopic('calclus');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UnknownTopicError);
      expect((err as UnknownTopicError).suggestions[0]).toBe('calculus');
    }
  });

  it('the CLI front: unknown topic or bad hours → UsageError (exit 2) with one line', () => {
    const bad = (o: Parameters<typeof planFromOptions>[0]) => {
      try {
        planFromOptions(o);
      } catch (err) {
        return err as UsageError;
      }
      throw new Error('expected a UsageError');
    };
    const e1 = bad({ know: 'calculus,lineer-algebra' });
    expect(e1).toBeInstanceOf(UsageError);
    expect(e1.exitCode).toBe(2);
    expect(e1.message).toMatch(/--know lineer-algebra: unknown topic; nearest: linear-algebra/);
    expect(e1.message).not.toContain('\n');
    expect(bad({ goal: 'controll' }).message).toMatch(/--goal controll.*control/);
    expect(bad({ hoursPerWeek: '0' }).message).toMatch(/--hours-per-week/);
  });

  it('JSON and text name what to read and which experiment to run', () => {
    const plan = planFromOptions({ know: 'transformers', goal: 'compression', hoursPerWeek: '6' });
    const j = planJson(plan, 'zh') as { steps: { topic: string; read: { citation: string }[]; run: { id: string }[] }[]; weeks: number };
    const sensing = j.steps.find((s) => s.topic === 'sparse-recovery')!;
    expect(sensing.read.some((r) => r.citation.includes('Foucart'))).toBe(true);
    expect(sensing.run.map((r) => r.id)).toContain('compression.sensing');
    expect(j.weeks).toBe(plan.weeks);
    const zh = planText(plan, 'zh').join('\n');
    expect(zh).toContain('学习计划');
    expect(zh).toContain('fivelens run compression.sensing');
  });
});

describe('fivelens path (the binary)', () => {
  it('prints a plan (exit 0) and rejects an unknown topic with one line and exit 2', async () => {
    const { spawnSync } = await import('node:child_process');
    const path = await import('node:path');
    const BIN = path.resolve(__dirname, '../../bin/fivelens.mjs');
    const ok = spawnSync(process.execPath, [BIN, 'path', '--know', 'deep-learning', '--goal', 'perception', '--lang', 'en', '--json'], { encoding: 'utf8', timeout: 120_000 });
    expect(ok.status, ok.stderr).toBe(0);
    const plan = JSON.parse(ok.stdout) as { goal: string; steps: { topic: string }[] };
    expect(plan.goal).toBe('perception');
    expect(plan.steps.map((s) => s.topic)).not.toContain('deep-learning');
    const bad = spawnSync(process.execPath, [BIN, 'path', '--goal', 'percepton'], { encoding: 'utf8', timeout: 120_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/percepton.*perception/);
  });
});
