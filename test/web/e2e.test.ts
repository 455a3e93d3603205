/**
 * End-to-end test of the browser lab: build and serve it (bin/start.mjs, PORT=0), drive Debian's
 * chromium through playwright-core, and walk a learner's path: Home → switch language → a lens →
 * run a quick experiment and see its figure and verdict → cancel a long run → reload and find the
 * result again → train a GPT, reload, and find the model restored (sampling and scoring work without
 * retraining), then forget it. Screenshots of every page go to test-output/screenshots/.
 *
 * Without /usr/bin/chromium the test is skipped locally but FAILS when CI=true.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, CHROMIUM, chromiumAvailable, launchChromium, startServer, type Chrome, type Server } from './harness.js';

const SHOTS = path.join(ROOT, 'test-output', 'screenshots');
const CI = process.env.CI === 'true';
const available = chromiumAvailable();

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.body.classList.add('shot'));
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  await page.evaluate(() => document.body.classList.remove('shot'));
}

async function ready(page: Page, pageName: string): Promise<void> {
  await page.waitForSelector(`body[data-ready="${pageName}"]`, { timeout: 30_000 });
}

describe.skipIf(!available && !CI)('browser lab (chromium)', () => {
  let server: Server | undefined;
  let chrome: Chrome | undefined;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run must install chromium`);
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ noBuild: process.env.FIVELENS_E2E_NO_BUILD === '1' });
    chrome = await launchChromium('en-US');
    page = await chrome.context.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
  }, 180_000);

  afterAll(async () => {
    await chrome?.close();
    await server?.stop();
  });

  it('walks Home → language → lens → run → cancel → reload, and every page renders', async () => {
    // ---- Home, in English (the browser's language), then switched to Chinese
    await page.goto(server!.url);
    await ready(page, 'home');
    expect(await page.textContent('header.top')).toContain('Home');
    await page.waitForSelector('footer [data-backend]:not([data-backend=""])', { timeout: 60_000 });
    const backend = await page.getAttribute('footer .backend', 'data-backend');
    expect(backend).not.toBe('error');
    await shot(page, '01-home-en');

    await page.click('button[data-action=lang]');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await ready(page, 'home');
    expect(await page.textContent('header.top')).toContain('首页');
    expect(page.url()).toContain('lang=zh');
    await shot(page, '02-home-zh');

    // ---- open a lens from the navigation; pick a quick experiment
    await page.click('a[data-nav=information]');
    await ready(page, 'information');
    const ids = await page.$$eval('.exp-list a[data-exp]', (as) => as.map((a) => a.getAttribute('data-exp')!));
    expect(ids.length).toBeGreaterThan(0);
    const expId = ids.includes('information.entropy-rate') ? 'information.entropy-rate' : ids[0]!;
    await page.click(`.exp-list a[data-exp="${expId}"]`);
    await page.waitForSelector(`article.experiment[data-exp="${expId}"]`);
    await page.waitForSelector('.formula .katex', { timeout: 10_000 }).catch(() => undefined);
    await page.waitForSelector('button[data-action=run]:not([disabled])', { timeout: 60_000 });
    // in Chinese the parameters are described in Chinese (each schema field's .meta({ zh })), the English as a tooltip
    const descs = await page.$$eval('.param-desc', (ds) => ds.map((d) => d.textContent ?? ''));
    expect(descs.length).toBeGreaterThan(0);
    expect(descs.filter((d) => /[\u4e00-\u9fff]/.test(d)).length).toBeGreaterThan(0); // full coverage: test/foundation/param-text-zh.test.ts
    await shot(page, '03-lens-before-run');

    // ---- run the quick preset: figure, verdict
    await page.click('button[data-action=run]');
    await page.waitForSelector('.progress[data-status=done]', { timeout: 120_000 });
    await page.waitForSelector(`.result-box .result[data-result="${expId}"] .figure.rendered svg`, { timeout: 30_000 });
    const verdicts = await page.$$eval('.result-box .result .verdict .badge', (bs) => bs.map((b) => b.getAttribute('data-verdict')));
    // a quick run is a preview, and says so beside its verdicts
    expect(await page.$$('.result-box .result[data-preset=quick] .preview-note')).toHaveLength(1);
    expect(await page.$$('.result-box .verdict .preset-tag[data-preset=quick]')).not.toHaveLength(0);
    expect(verdicts.length).toBeGreaterThan(0);
    expect(await page.$$('.result .figure.broken')).toHaveLength(0);
    await shot(page, '04-lens-quick-result');

    // ---- a long run, cancelled
    await page.selectOption('select[name=preset]', 'full');
    const maxed = await page.$('input[data-param=maxChars]');
    if (maxed) await maxed.fill('2000000');
    await page.click('button[data-action=run]');
    await page.waitForSelector('.progress[data-status=running]', { timeout: 10_000 });
    await page.waitForTimeout(700);
    await page.click('button[data-action=cancel]');
    await page.waitForSelector('.progress[data-status=cancelled]', { timeout: 15_000 });
    await shot(page, '05-lens-cancelled');

    // ---- reload with the quick run's URL: the stored result is found again
    await page.selectOption('select[name=preset]', 'quick');
    await page.reload();
    await ready(page, 'information');
    await page.waitForSelector(`.result-box .result[data-result="${expId}"] .figure.rendered svg`, { timeout: 30_000 });
    expect(await page.$('.result-box .result .notice:not(.preview-note)')).toBeNull(); // exact match, not an older run
    expect(await page.$$('.result-box .result .verdict')).not.toHaveLength(0);

    // ---- the GPT page: a short training run with a live curve and samples, then compress a text
    await page.goto(`${server!.url}#/gpt?lang=en`);
    await ready(page, 'gpt');
    await page.waitForSelector('footer [data-backend]:not([data-backend=""])', { timeout: 60_000 });
    await page.selectOption('select[name=config]', 'nano');
    await page.fill('input[name=steps]', '40');
    await page.click('button[data-action=train]');
    await page.waitForSelector('[data-gpt-status=running]', { timeout: 10_000 });
    // switching the language re-renders the page; the training keeps going
    await page.click('button[data-action=lang]');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.waitForSelector('[data-gpt-status=done]', { timeout: 90_000 });
    expect(await page.$$('svg[data-chart=loss] polyline')).not.toHaveLength(0);
    expect((await page.textContent('pre.samples'))!.length).toBeGreaterThan(20);
    await page.waitForSelector('.attn-box .figure.rendered', { timeout: 30_000 });
    await page.click('button[data-action=score]');
    await page.waitForSelector('[data-score=bpc]', { timeout: 30_000 });
    const bpc = Number(await page.textContent('[data-score=bpc]'));
    expect(bpc).toBeGreaterThan(0.5);
    expect(bpc).toBeLessThan(8);
    // the real `fivelens zip` codec ran in the browser and decoded byte for byte
    expect(await page.textContent('[data-score=roundtrip]')).toBe('✓');
    await shot(page, '06-gpt-trained');

    // ---- the trained model is kept across a reload (IndexedDB): loaded, not retrained; sampling and
    // scoring work at once, and the same weights give the same bpc. Then forget it.
    await page.waitForSelector('.model-line[data-model-state=saved]', { timeout: 10_000 });
    const trainedAt = await page.getAttribute('.model-line', 'data-trained-at');
    await page.reload();
    await ready(page, 'gpt');
    await page.waitForSelector('.model-line[data-model-state=loaded]', { timeout: 30_000 });
    expect(await page.getAttribute('.model-line', 'data-trained-at')).toBe(trainedAt);
    expect(await page.textContent('.model-line [data-model-text]')).toContain('已载入'); // still in Chinese
    expect(await page.getAttribute('[data-gpt-status]', 'data-gpt-status')).toBe('idle'); // nothing was trained
    await page.waitForSelector('.attn-box .figure.rendered', { timeout: 30_000 });
    const before = (await page.textContent('pre.samples'))!;
    expect(before.length).toBeGreaterThan(20);
    await page.click('button[data-action=sample]');
    await page.waitForFunction((b) => { const t = document.querySelector('pre.samples')?.textContent ?? ''; return t !== b && t.length > 100; }, before, { timeout: 20_000 });
    await page.click('button[data-action=score]');
    await page.waitForSelector('[data-score=bpc]', { timeout: 30_000 });
    expect(Number(await page.textContent('[data-score=bpc]'))).toBe(bpc);
    await shot(page, '06b-gpt-reloaded');
    await page.click('button[data-action=forget-model]');
    await page.waitForSelector('.model-line[data-model-state=forgotten]', { timeout: 10_000 });
    expect(await page.$('button[data-action=sample]:not([disabled])')).toBeNull();
    // gone from IndexedDB too, so the next reload finds nothing (checked in the store, without a third reload)
    const kept = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const req = indexedDB.open('fivelens');
          req.onsuccess = () => {
            const r = req.result.transaction('models', 'readonly').objectStore('models').count();
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          };
          req.onerror = () => reject(req.error);
        }),
    );
    expect(kept).toBe(0);

    // ---- the atlas: click a topic for its materials; plan a path that skips what is known
    await page.goto(`${server!.url}#/atlas?lang=en`);
    await ready(page, 'atlas');
    await page.waitForSelector('.node[data-topic]');
    const topic = await page.getAttribute('.node[data-topic]:nth-child(3)', 'data-topic');
    await page.click(`.node[data-topic="${topic}"]`);
    await page.waitForFunction((id) => location.hash.includes(`topic=${id}`), topic);
    expect(await page.$(`.node.selected[data-topic="${topic}"]`)).not.toBeNull();
    const stepsBefore = (await page.$$('.path-steps li')).length;
    await page.check('.planner input[type=checkbox] >> nth=0');
    await page.click('button[data-action=plan]');
    const stepsAfter = (await page.$$('.path-steps li')).length;
    expect(stepsBefore).toBeGreaterThan(0);
    expect(stepsAfter).toBeLessThan(stepsBefore);
    await shot(page, '07-atlas-en');

    // ---- every page renders (screenshots), Chinese then one in English
    for (const p of ['home', 'atlas', 'claims', 'gpt', 'control', 'optimization', 'compression', 'perception']) {
      await page.goto(`${server!.url}#/${p}?lang=zh`);
      await ready(page, p);
      await page.waitForTimeout(p === 'atlas' || p === 'home' || p === 'claims' ? 800 : 300);
      await shot(page, `10-${p}-zh`);
    }
    await page.goto(`${server!.url}#/claims?lang=en`);
    await ready(page, 'claims');
    await page.waitForTimeout(500);
    await shot(page, '11-claims-en');

    expect(errors, errors.join('\n')).toEqual([]);
  }, 240_000);

  it('reads on a phone in both languages, draws committed and live figures, and refuses bad input', async () => {
    const p = await chrome!.context.newPage();
    const errs: string[] = [];
    p.on('pageerror', (e) => errs.push(`pageerror: ${e.message}`));
    await p.setViewportSize({ width: 390, height: 844 });

    // ---- home on a first visit: a committed full-preset figure per lens, no click, no compute
    await p.goto(`${server!.url}#/home?lang=en`);
    await ready(p, 'home');
    if (existsSync(path.join(ROOT, 'results'))) {
      await p.waitForFunction(() => document.querySelectorAll('.lens-card .figure.rendered svg').length >= 3, null, { timeout: 30_000 });
      expect(await p.textContent('.lens-card')).toMatch(/full preset/);
    } else await p.waitForSelector('[data-no-results]');

    // ---- 390 px: no page scrolls sideways, in either language
    for (const lang of ['en', 'zh']) {
      for (const pg of ['home', 'information', 'control', 'optimization', 'compression', 'perception', 'gpt', 'claims', 'atlas']) {
        await p.goto(`${server!.url}#/${pg}?lang=${lang}`);
        await ready(p, pg);
        await p.waitForTimeout(pg === 'home' || pg === 'information' ? 1500 : 400);
        const { sw, vw } = await p.evaluate(() => ({ sw: document.documentElement.scrollWidth, vw: document.documentElement.clientWidth }));
        expect(sw, `${pg} (${lang}) is ${sw}px wide at 390px`).toBeLessThanOrEqual(vw);
        if (pg === 'home' || pg === 'information') await shot(p, `20-${pg}-${lang}-390`);
      }
    }

    // ---- a Chinese chart: its axis titles are Chinese
    await p.goto(`${server!.url}#/information?lang=zh`);
    await ready(p, 'information');
    const fig = '.live-figure[data-live="entropy-kl"]';
    await p.waitForSelector(`${fig}.rendered svg`, { timeout: 20_000 });
    const axisTitles = await p.$$eval(`${fig} svg .role-axis-title text`, (ts) => ts.map((x) => x.textContent ?? ''));
    expect(axisTitles.length).toBeGreaterThan(0);
    for (const x of axisTitles) expect(x).toMatch(/[\u4e00-\u9fff]/);

    // ---- a slider redraws its figure (no Run button), within 100 ms, and lands in the URL; keyboard works too
    const before = await p.$eval(`${fig} svg`, (s) => s.innerHTML);
    await p.$eval(`${fig} input[name="entropy-kl.a"]`, (el) => {
      (el as HTMLInputElement).value = '0';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await p.waitForFunction((b) => document.querySelector('.live-figure[data-live="entropy-kl"] svg')?.innerHTML !== b, before, { timeout: 5_000 });
    await p.waitForSelector(`${fig}[data-redraw-ms]`);
    expect(Number(await p.getAttribute(fig, 'data-redraw-ms'))).toBeLessThan(100);
    expect(p.url()).toContain('l.entropy-kl.a=0');
    await p.focus(`${fig} input[name="entropy-kl.b"]`);
    await p.keyboard.press('ArrowRight');
    expect(await p.$eval(`${fig} input[name="entropy-kl.b"]`, (el) => (el as HTMLInputElement).value)).not.toBe('4');

    // ---- honest inputs: a bad seed, a negative order and an unknown parameter in the URL are errors beside their fields; nothing runs
    await p.goto(`${server!.url}#/information?exp=information.entropy-rate&seed=abc&p.maxOrder=-5&p.nosuch=1&lang=en`);
    await ready(p, 'information');
    expect(await p.textContent('[data-error=seed]')).toContain('abc');
    expect(await p.$eval('input[data-param=maxOrder]', (el) => el.closest('label')?.querySelector('.param-error')?.textContent ?? '')).toContain('-5');
    expect(await p.textContent('[data-error=unknown]')).toContain('nosuch');
    await p.waitForSelector('button[data-action=run]:not([disabled])', { timeout: 60_000 });
    await p.click('button[data-action=run]');
    await p.waitForSelector('[data-error=run-blocked]:not([hidden])');
    expect(await p.$('.progress[data-status=running]')).toBeNull();
    await p.close();
    expect(errs, errs.join('\n')).toEqual([]);
  }, 150_000);
});
