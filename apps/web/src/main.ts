/**
 * The web app: a playground that trains in a Web Worker on a switchable backend, and the lab's
 * experiments as pages. Routes are hashes (`#/`, `#/lab/<experiment>`), so the built site is static.
 */
import { EngineClient } from './client.js';
import { h, replaceChildren } from './ui/dom.js';
import { LabPage } from './ui/lab.js';
import { Playground } from './ui/playground.js';
import './styles.css';

const main = document.getElementById('main') as HTMLElement;
const navLinks = [...document.querySelectorAll<HTMLAnchorElement>('header nav a')];

function fatal(message: string): void {
  replaceChildren(main, h('div', { class: 'alert fatal', role: 'alert' }, message));
}

if (typeof Worker === 'undefined') {
  fatal('This browser cannot run Web Workers, which the playground needs.');
} else {
  const client = new EngineClient();
  const playground = new Playground(client);
  const lab = new LabPage(client, () => playground.pause());
  client.on('fatal', ({ error }) => fatal(error));

  const route = () => {
    const [page, name] = location.hash.replace(/^#\/?/, '').split('/');
    const isLab = page === 'lab';
    for (const a of navLinks) {
      const current = (a.getAttribute('href') === '#/lab') === isLab;
      if (current) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = isLab ? 'Lab · Myelin' : 'Playground · Myelin';
    replaceChildren(main, isLab ? lab.element : playground.element);
    if (isLab) lab.show(name);
  };
  window.addEventListener('hashchange', route);
  route();

  (async () => {
    const hello = await client.request({ kind: 'hello' });
    const note = document.getElementById('isolation');
    if (note) {
      note.textContent = hello.isolated
        ? 'cross-origin isolated'
        : 'not cross-origin isolated: no worker backend';
      note.classList.toggle('bad', !hello.isolated);
    }
    await lab.load();
    route();
    await playground.start(hello.backends);
    document.body.dataset.ready = 'true';
  })().catch((e: Error) => fatal(`The app could not start: ${e.message}`));
}
