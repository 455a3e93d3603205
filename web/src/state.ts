/**
 * The lab's state lives in the URL hash, so any view is a shareable link:
 *   #/<page>?exp=<id>&preset=quick&seed=1337&p.<key>=<value>&lang=zh&topic=<id>
 * page: home | atlas | claims | gpt | information | control | optimization | compression | perception
 */
export type Lang = 'zh' | 'en';

export interface LabState {
  page: string;
  exp?: string;
  preset?: 'quick' | 'full';
  seed?: number;
  params: Record<string, string>;
  /** live-figure slider values: `l.<figure>.<key>` in the URL, keyed `<figure>.<key>` */
  live?: Record<string, string>;
  /** the seed as written in the URL when it is not an integer (shown as an error, never replaced) */
  badSeed?: string;
  /** the preset as written in the URL when it is neither quick nor full */
  badPreset?: string;
  lang: Lang;
  topic?: string;
  lens?: string;
  verdict?: string;
  backend?: string;
}

export function detectLang(): Lang {
  try {
    const saved = localStorage.getItem('fivelens.lang');
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    /* storage may be blocked */
  }
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  return langs.some((l) => /^zh\b/i.test(l ?? '')) ? 'zh' : 'en';
}

export function parseHash(hash: string): LabState {
  const h = hash.replace(/^#\/?/, '');
  const [pagePart = '', query = ''] = h.split('?');
  const q = new URLSearchParams(query);
  const params: Record<string, string> = {};
  const live: Record<string, string> = {};
  for (const [k, v] of q) {
    if (k.startsWith('p.')) params[k.slice(2)] = v;
    else if (k.startsWith('l.')) live[k.slice(2)] = v;
  }
  const lang = q.get('lang');
  const seed = q.get('seed');
  const preset = q.get('preset');
  return {
    page: pagePart || 'home',
    exp: q.get('exp') ?? undefined,
    preset: preset === 'full' || preset === 'quick' ? preset : undefined,
    seed: seed !== null && seed !== '' && Number.isInteger(Number(seed)) ? Number(seed) : undefined,
    badSeed: seed !== null && !(seed !== '' && Number.isInteger(Number(seed))) ? seed : undefined,
    badPreset: preset !== null && preset !== 'quick' && preset !== 'full' ? preset : undefined,
    params,
    live,
    lang: lang === 'zh' || lang === 'en' ? lang : detectLang(),
    topic: q.get('topic') ?? undefined,
    lens: q.get('lens') ?? undefined,
    verdict: q.get('verdict') ?? undefined,
    backend: q.get('backend') ?? undefined,
  };
}

export function toHash(s: Partial<LabState> & { page: string; lang: Lang }): string {
  const q = new URLSearchParams();
  if (s.exp) q.set('exp', s.exp);
  if (s.preset) q.set('preset', s.preset);
  else if (s.badPreset !== undefined) q.set('preset', s.badPreset);
  if (s.seed !== undefined) q.set('seed', String(s.seed));
  else if (s.badSeed !== undefined) q.set('seed', s.badSeed);
  for (const [k, v] of Object.entries(s.params ?? {})) q.set(`p.${k}`, v);
  for (const [k, v] of Object.entries(s.live ?? {})) q.set(`l.${k}`, v);
  if (s.topic) q.set('topic', s.topic);
  if (s.lens) q.set('lens', s.lens);
  if (s.verdict) q.set('verdict', s.verdict);
  if (s.backend) q.set('backend', s.backend);
  q.set('lang', s.lang);
  return `#/${s.page}?${q.toString()}`;
}

let current: LabState = parseHash(location.hash);

export function state(): LabState {
  return current;
}

/** Navigate (a new history entry, re-renders the page). */
export function go(next: Partial<LabState>): void {
  const s = { ...current, ...next };
  location.hash = toHash(s);
}

/** Change the URL without re-rendering (parameter edits). */
export function replace(next: Partial<LabState>): void {
  current = { ...current, ...next };
  history.replaceState(null, '', toHash(current));
}

export function syncFromLocation(): LabState {
  current = parseHash(location.hash);
  try {
    localStorage.setItem('fivelens.lang', current.lang);
  } catch {
    /* ignore */
  }
  return current;
}

/** A link to a page, keeping the language. */
export function href(page: string, extra: Partial<LabState> = {}): string {
  return toHash({ page, lang: current.lang, params: {}, ...extra });
}
