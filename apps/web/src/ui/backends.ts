/**
 * The backend chooser: one radio button per backend, with what core's listBackends() says about it —
 * its description where it runs, the reason where it cannot run in this browser.
 */
import type { BackendStatus } from '../protocol.js';
import { h } from './dom.js';

const TITLES: Record<string, string> = {
  cpu: 'CPU',
  worker: 'Worker threads',
  webgpu: 'WebGPU',
};

export class BackendPicker {
  readonly element: HTMLFieldSetElement;
  private readonly list = h('div', { class: 'backend-list' });
  private statuses: BackendStatus[] = [];
  private switching = false;

  constructor(private readonly onSwitch: (name: string) => Promise<boolean>) {
    this.element = h(
      'fieldset',
      { class: 'panel backends', 'data-testid': 'backends' },
      h('legend', {}, 'Backend'),
      this.list,
      h(
        'p',
        { class: 'hint' },
        'Switch at any time: the weights move to the new backend and training goes on.',
      ),
    );
    this.list.textContent = 'Looking for backends…';
  }

  /** The active backend's name. */
  get active(): string | undefined {
    return this.statuses.find((s) => s.active)?.name;
  }

  update(statuses: BackendStatus[]): void {
    this.statuses = statuses;
    const hadFocus = this.list.contains(document.activeElement);
    this.list.replaceChildren(
      ...statuses.map((s) => {
        const id = `backend-${s.name}`;
        const input = h('input', {
          type: 'radio',
          name: 'backend',
          id,
          value: s.name,
          checked: s.active,
          disabled: !s.available,
          'aria-describedby': `${id}-note`,
          'data-testid': id,
        });
        input.addEventListener('change', () => void this.choose(s.name));
        const note = s.available
          ? (s.description ?? '').replace(/^\w+:\s*/, '')
          : `unavailable: ${s.reason ?? 'unknown reason'}`;
        return h(
          'div',
          { class: `backend${s.available ? '' : ' unavailable'}${s.active ? ' active' : ''}` },
          input,
          h('label', { for: id }, TITLES[s.name] ?? s.name),
          h('p', { class: 'note', id: `${id}-note` }, note),
        );
      }),
    );
    // Re-rendering must not drop the keyboard focus of someone moving through the radio group.
    if (hadFocus) this.list.querySelector<HTMLInputElement>('input:checked')?.focus();
  }

  private async choose(name: string): Promise<void> {
    if (this.switching) return;
    this.switching = true;
    this.element.setAttribute('aria-busy', 'true');
    const ok = await this.onSwitch(name);
    this.switching = false;
    this.element.removeAttribute('aria-busy');
    // On failure the old choice stays checked.
    this.update(ok ? this.statuses.map((s) => ({ ...s, active: s.name === name })) : this.statuses);
  }
}
