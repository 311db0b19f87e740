// <raft-playground>: the playground as a custom element, for course pages without an
// iframe. One line loads it:
//
//   <script type="module" src="raft/raft-playground-element.js"></script>
//   <raft-playground scene="split" lang="fr" nodes="5"></raft-playground>
//
// The playground lives in the element's Shadow DOM with its own style sheet, so the
// page's CSS cannot restyle it. Attributes are the JavaScript API's options (scene,
// lang, nodes, seed, speed, autoplay, embed, bubbles) and are observed: changing
// `scene` moves the tour there, changing any other starts the playground again with
// the new options. Events come as DOM events (`leader`, `commit`, `scene`, with the
// API's object as `detail`), and `element.playground` is the API's handle.
import init, { mount } from './raft-playground.js';

const here = (file) => new URL(file, import.meta.url).href;
const ready = init({ module_or_path: here('./raft-playground_bg.wasm') });
const OPTIONS = ['scene', 'lang', 'nodes', 'seed', 'speed', 'autoplay', 'embed', 'bubbles'];
const EVENTS = ['leader', 'commit', 'scene'];

/** The element's attributes as the API's options (numbers and flags as such). */
function optionsOf(el) {
  const o = {};
  for (const name of OPTIONS) {
    const v = el.getAttribute(name);
    if (v === null) continue;
    if (['nodes', 'seed', 'speed'].includes(name)) o[name] = Number(v);
    else if (['autoplay', 'embed', 'bubbles'].includes(name)) o[name] = !['0', 'false', 'no', 'off'].includes(v);
    else o[name] = v;
  }
  if (!('embed' in o)) o.embed = true;
  return o;
}

class RaftPlaygroundElement extends HTMLElement {
  static get observedAttributes() { return OPTIONS; }

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = here('./style.css');
    this.box = document.createElement('div');
    this.box.className = 'raft-host';
    this.error = document.createElement('p');
    this.error.className = 'raft-error';
    this.error.setAttribute('role', 'alert');
    root.append(css, this.box, this.error);
    this.playground = null;
  }

  connectedCallback() { this.start(); }

  disconnectedCallback() { this.stop(); }

  attributeChangedCallback(name, old, value) {
    if (old === value || !this.isConnected) return;
    if (name === 'scene' && value && this.playground) {
      try { this.playground.goToScene(value); } catch (e) { this.fail(e); }
    } else {
      this.stop();
      this.start();
    }
  }

  async start() {
    // Only the latest start mounts (attributes may change while the wasm loads).
    this.generation = (this.generation ?? 0) + 1;
    const mine = this.generation;
    await ready;
    if (mine !== this.generation || this.playground || !this.isConnected) return;
    this.error.textContent = '';
    const inner = document.createElement('div');
    inner.style.height = '100%';
    this.box.replaceChildren(inner);
    try {
      this.playground = mount(inner, optionsOf(this));
    } catch (e) {
      this.fail(e);
      return;
    }
    for (const type of EVENTS) {
      this.playground.on(type, (detail) => this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true })));
    }
  }

  stop() {
    this.generation = (this.generation ?? 0) + 1;
    if (this.playground) {
      this.playground.destroy();
      this.playground = null;
    }
  }

  fail(e) {
    // A wrong attribute says what is wrong, as text (never as HTML).
    this.error.textContent = e.message;
  }
}

if (!customElements.get('raft-playground')) customElements.define('raft-playground', RaftPlaygroundElement);
