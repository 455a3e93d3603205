/** The lab's shell: header navigation, language switch, router, footer with the backend. */
import './style.css';
import { LENSES, type Lens } from '../../src/experiments/contract.js';
import { h } from './dom.js';
import { LENS_INFO, t, tr } from './i18n.js';
import { go, href, state, syncFromLocation } from './state.js';
import { lab } from './client.js';
import type { Page } from './pages/page.js';
import { lensPage } from './pages/lens.js';
import { homePage } from './pages/home.js';
import { atlasPage } from './pages/atlas.js';
import { claimsPage } from './pages/claims.js';
import { gptPage } from './pages/gpt.js';

const app = document.getElementById('app')!;
let current: Page | undefined;
let renderToken = 0;

function nav(): HTMLElement {
  const s = state();
  const link = (page: string, label: string, extra = '') =>
    h('a', { href: href(page), class: `${s.page === page ? 'active' : ''} ${extra}`, 'data-nav': page }, label);
  return h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: href('home') }, h('span', { class: 'brand-mark' }, '5'), h('span', null, t('appName'))),
    h(
      'nav',
      { class: 'main-nav' },
      link('home', t('home')),
      link('atlas', t('atlas')),
      h(
        'span',
        { class: 'lens-links' },
        LENSES.filter((l) => l !== 'gpt').map((l) => {
          const a = link(l, tr(LENS_INFO[l].name), 'lens-link');
          a.style.setProperty('--lens', LENS_INFO[l].color);
          return a;
        }),
      ),
      link('gpt', t('gpt')),
      link('claims', t('claims')),
    ),
    h(
      'button',
      {
        class: 'lang-switch',
        type: 'button',
        'data-action': 'lang',
        title: 'Language / 语言',
        onclick: () => go({ lang: state().lang === 'zh' ? 'en' : 'zh' }),
      },
      t('language'),
    ),
  );
}

const backendEl = h('span', { class: 'backend', 'data-backend': '' });
function updateFooter(): void {
  const b = lab.backend;
  if (lab.backendError) {
    backendEl.textContent = `${t('backend')}: ✗ ${lab.backendError}`;
    backendEl.setAttribute('data-backend', 'error');
  } else if (!b) {
    backendEl.textContent = `${t('backend')}: ${t('starting')}`;
  } else {
    const zh = state().lang === 'zh';
    const threads = b.name === 'wasm' ? ` · ${[b.simd ? 'SIMD' : '', b.threads ? (zh ? '多线程' : 'threads') : zh ? '单线程' : 'single thread'].filter(Boolean).join('+')}` : '';
    const speed = lab.gflops !== undefined ? ` · ${lab.gflops.toFixed(1)} GFLOP/s` : '';
    backendEl.textContent = `${t('backend')}: ${b.name}${threads}${speed}`;
    backendEl.title = b.reason + (b.glRenderer ? `\nWebGL: ${b.glRenderer}` : '') + (b.gpuAdapter ? `\nWebGPU: ${b.gpuAdapter}` : '');
    backendEl.setAttribute('data-backend', b.name);
  }
}

function footer(): HTMLElement {
  updateFooter();
  return h('footer', { class: 'bottom' }, backendEl, h('span', { class: 'muted' }, t('footerOffline')), h('span', { class: 'muted' }, 'fivelens 0.1.0'));
}

function pageFor(page: string): Page | Promise<Page> {
  if ((LENSES as readonly string[]).includes(page) && page !== 'gpt') return lensPage(page as Lens);
  switch (page) {
    case 'atlas':
      return atlasPage();
    case 'claims':
      return claimsPage();
    case 'gpt':
      return gptPage();
    default:
      return homePage();
  }
}

async function render(): Promise<void> {
  const token = ++renderToken;
  const prevPage = state().page;
  const s = syncFromLocation();
  document.documentElement.lang = s.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `fivelens · ${t('appName')}`;
  current?.dispose?.();
  current = undefined;
  const main = h('main', { class: 'content' });
  app.replaceChildren(nav(), main, footer());
  let page: Page;
  try {
    page = await pageFor(s.page);
  } catch (err) {
    page = { el: h('pre', { class: 'error' }, String((err as Error)?.stack ?? err)) };
  }
  if (token !== renderToken) {
    page.dispose?.();
    return;
  }
  current = page;
  main.append(page.el);
  if (prevPage !== s.page) window.scrollTo(0, 0);
  document.body.setAttribute('data-ready', s.page);
}

window.addEventListener('hashchange', () => void render());
lab.subscribe(updateFooter);
lab.start(state().backend);
void render();
