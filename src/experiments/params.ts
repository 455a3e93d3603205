/**
 * Parameters: schema defaults, then the preset, then `--set key=value` overrides, all checked by
 * the experiment's zod schema. Errors are one line naming the key, the expected type and range.
 */
import { z } from 'zod';
import type { Experiment, PresetName } from './contract.js';
import { nearest } from './registry-names.js';

/** A JSON-schema view of one parameter (for --set messages, `list --json` and the web panel). */
export interface ParamInfo {
  key: string;
  type: 'number' | 'integer' | 'boolean' | 'string' | 'enum' | 'array' | 'unknown';
  description?: string;
  /** the Chinese description, from the field's `.meta({ zh })` */
  zh?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
}

type JsonSchema = {
  type?: string | string[];
  description?: string;
  zh?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
};

export function describeParams(schema: z.ZodObject<z.ZodRawShape>): ParamInfo[] {
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return Object.entries(js.properties ?? {}).map(([key, p]) => {
    const type: ParamInfo['type'] = p.enum
      ? 'enum'
      : p.type === 'integer'
        ? 'integer'
        : p.type === 'number'
          ? 'number'
          : p.type === 'boolean'
            ? 'boolean'
            : p.type === 'string'
              ? 'string'
              : p.type === 'array'
                ? 'array'
                : 'unknown';
    const info: ParamInfo = { key, type };
    if (p.description) info.description = p.description;
    if (typeof p.zh === 'string') info.zh = p.zh;
    if (p.default !== undefined) info.default = p.default;
    const min = p.minimum ?? p.exclusiveMinimum;
    const max = p.maximum ?? p.exclusiveMaximum;
    if (min !== undefined) info.minimum = min;
    if (max !== undefined) info.maximum = max;
    if (p.enum) info.enum = p.enum;
    return info;
  });
}

/** "an integer in [1, 12]", "one of quick, full", … */
export function expectedText(p: ParamInfo): string {
  const range =
    p.minimum !== undefined || p.maximum !== undefined ? ` in [${p.minimum ?? '−∞'}, ${p.maximum ?? '∞'}]` : '';
  switch (p.type) {
    case 'integer':
      return `an integer${range}`;
    case 'number':
      return `a number${range}`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${(p.enum ?? []).join(', ')}`;
    case 'array':
      return 'a comma-separated list';
    default:
      return 'a string';
  }
}

export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamError';
  }
}

/** Parse `key=value` strings against the schema into a partial parameter object. */
export function parseSets(exp: Experiment, sets: readonly string[]): Record<string, unknown> {
  const infos = describeParams(exp.params);
  const out: Record<string, unknown> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new ParamError(`--set "${s}": expected key=value`);
    const key = s.slice(0, eq).trim();
    const raw = s.slice(eq + 1).trim();
    const info = infos.find((p) => p.key === key);
    if (!info) {
      const near = nearest(key, infos.map((p) => p.key));
      throw new ParamError(
        `--set ${key}: unknown parameter of ${exp.id}; known: ${infos.map((p) => p.key).join(', ')}${near.length ? ` (did you mean ${near[0]}?)` : ''}`,
      );
    }
    let value: unknown = raw;
    if (info.type === 'number' || info.type === 'integer') {
      value = raw === '' ? NaN : Number(raw);
    } else if (info.type === 'boolean') {
      value = raw === 'true' ? true : raw === 'false' ? false : raw;
    } else if (info.type === 'array') {
      value = raw.split(',').map((x) => (x.trim() !== '' && !Number.isNaN(Number(x)) ? Number(x) : x.trim()));
    } else if (info.type === 'enum' && info.enum?.every((e) => typeof e === 'number')) {
      value = Number(raw);
    }
    const fieldSchema = exp.params.shape[key] as z.ZodType;
    const r = fieldSchema.safeParse(value);
    if (!r.success) throw new ParamError(`--set ${key}=${raw}: expected ${expectedText(info)}`);
    out[key] = r.data;
  }
  return out;
}

/** Defaults ← preset ← overrides, validated. Throws ParamError with one line on failure. */
export function resolveParams(
  exp: Experiment,
  preset: PresetName,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const merged = { ...exp.presets[preset], ...overrides };
  const r = exp.params.safeParse(merged);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const key = issue.path.join('.');
    const info = describeParams(exp.params).find((p) => p.key === key);
    throw new ParamError(`${exp.id}: parameter ${key || '(root)'}: ${info ? `expected ${expectedText(info)}` : issue.message}`);
  }
  return r.data as Record<string, unknown>;
}

/**
 * A parameter's description in the chosen language: in zh, the schema field's own `.meta({ zh })`
 * text (the English if a field has none); in en, the schema's `.describe()` text.
 */
export function paramText(p: ParamInfo, lang: 'zh' | 'en'): string | undefined {
  return lang === 'zh' ? (p.zh ?? p.description) : p.description;
}
