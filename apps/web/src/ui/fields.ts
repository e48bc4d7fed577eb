/** Labelled form controls: every control has a visible <label> tied to it, so it works by keyboard and screen reader. */
import { h, uniqueId } from './dom.js';

export interface Option<T> {
  value: T;
  label: string;
}

/** A labelled <select>; `onChange` gets the chosen option's value. */
export function selectField<T extends string | number>(
  label: string,
  options: ReadonlyArray<Option<T>>,
  value: T,
  onChange: (value: T) => void,
  attrs: Record<string, unknown> = {},
): { element: HTMLElement; control: HTMLSelectElement; set(value: T): void } {
  const id = uniqueId('f');
  const control = h(
    'select',
    { id, ...attrs },
    ...options.map((o, i) => h('option', { value: String(i), selected: o.value === value }, o.label)),
  );
  control.addEventListener('change', () => onChange((options[Number(control.value)] as Option<T>).value));
  const set = (v: T) => {
    const i = options.findIndex((o) => o.value === v);
    if (i >= 0) control.value = String(i);
  };
  return { element: h('div', { class: 'field' }, h('label', { for: id }, label), control), control, set };
}

/** A labelled number input, committed on change (Enter or leaving the field). */
export function numberField(
  label: string,
  value: number,
  limits: { min: number; max: number; step?: number },
  onChange: (value: number) => void,
  attrs: Record<string, unknown> = {},
): { element: HTMLElement; control: HTMLInputElement; set(value: number): void } {
  const id = uniqueId('f');
  const control = h('input', {
    id,
    type: 'number',
    inputmode: 'numeric',
    min: limits.min,
    max: limits.max,
    step: limits.step ?? 1,
    value,
    ...attrs,
  });
  control.addEventListener('change', () => {
    const v = Number(control.value);
    if (control.value === '' || !Number.isFinite(v) || v < limits.min || v > limits.max) {
      control.setAttribute('aria-invalid', 'true');
      return;
    }
    control.removeAttribute('aria-invalid');
    onChange(v);
  });
  return {
    element: h('div', { class: 'field' }, h('label', { for: id }, label), control),
    control,
    set: (v) => {
      control.value = String(v);
    },
  };
}

/** A labelled range slider showing its value; `onChange` fires when the slider is let go. */
export function rangeField(
  label: string,
  value: number,
  limits: { min: number; max: number; step: number },
  format: (v: number) => string,
  onChange: (value: number) => void,
  attrs: Record<string, unknown> = {},
): { element: HTMLElement; control: HTMLInputElement; set(value: number): void } {
  const id = uniqueId('f');
  const output = h('output', { for: id }, format(value));
  const control = h('input', {
    id,
    type: 'range',
    min: limits.min,
    max: limits.max,
    step: limits.step,
    value,
    ...attrs,
  });
  control.setAttribute('aria-valuetext', format(value));
  control.addEventListener('input', () => {
    output.textContent = format(Number(control.value));
    control.setAttribute('aria-valuetext', format(Number(control.value)));
  });
  control.addEventListener('change', () => onChange(Number(control.value)));
  return {
    element: h('div', { class: 'field' }, h('label', { for: id }, label, ' ', output), control),
    control,
    set: (v) => {
      control.value = String(v);
      output.textContent = format(v);
      control.setAttribute('aria-valuetext', format(v));
    },
  };
}

/** A labelled checkbox. */
export function checkboxField(
  label: string,
  checked: boolean,
  onChange: (checked: boolean) => void,
  attrs: Record<string, unknown> = {},
): { element: HTMLElement; control: HTMLInputElement; set(checked: boolean): void } {
  const id = uniqueId('f');
  const control = h('input', { id, type: 'checkbox', checked, ...attrs });
  control.addEventListener('change', () => onChange(control.checked));
  return {
    element: h('div', { class: 'field check' }, control, h('label', { for: id }, label)),
    control,
    set: (v) => {
      control.checked = v;
    },
  };
}
