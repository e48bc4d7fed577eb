/**
 * A pad to draw a digit on, turned into the 8×8 input of the digits model the way the UCI optdigits
 * data were made: the ink's bounding box scaled into a 32×32 bitmap, then the "on" pixels of each 4×4
 * block counted (0..16, here divided by 16 like the training data).
 */
import { h } from './dom.js';

const PAD = 224;

export class DrawPad {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly preview: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private drawing = false;
  private last: [number, number] | undefined;
  private ink = false;

  constructor(
    private readonly onInput: (pixels: Float32Array) => void,
    onExample: () => void,
  ) {
    this.canvas = h('canvas', {
      class: 'pad',
      width: PAD,
      height: PAD,
      role: 'img',
      'aria-label': 'Drawing pad: draw a digit with the mouse, a finger or a pen',
      'data-testid': 'draw-pad',
    });
    this.preview = h('canvas', {
      class: 'pad-preview',
      width: 8,
      height: 8,
      role: 'img',
      'aria-label': 'What the model sees: the drawing as 8 by 8 pixels',
    });
    this.ctx = this.canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
    this.clear();
    this.canvas.addEventListener('pointerdown', (e) => this.down(e));
    this.canvas.addEventListener('pointermove', (e) => this.move(e));
    this.canvas.addEventListener('pointerup', () => this.up());
    this.canvas.addEventListener('pointercancel', () => this.up());
    this.element = h(
      'div',
      { class: 'pad-wrap' },
      this.canvas,
      h(
        'div',
        { class: 'pad-side' },
        h('span', { class: 'hint' }, 'model input'),
        this.preview,
        h('button', { type: 'button', onclick: () => this.clear() }, 'Clear'),
        h('button', { type: 'button', onclick: onExample, 'data-testid': 'digit-example' }, 'Example digit'),
      ),
    );
  }

  clear(): void {
    this.ctx.fillStyle = '#fff';
    this.ctx.fillRect(0, 0, PAD, PAD);
    this.ink = false;
    this.showPreview(new Float32Array(64));
  }

  /** Shows 64 values in 0..1 on the pad and the preview (an example from the data set). */
  showPixels(pixels: Float32Array): void {
    this.ctx.fillStyle = '#fff';
    this.ctx.fillRect(0, 0, PAD, PAD);
    const cell = PAD / 8;
    for (let i = 0; i < 64; i++) {
      const v = 255 - Math.round(255 * Math.min(1, Math.max(0, pixels[i] as number)));
      this.ctx.fillStyle = `rgb(${v},${v},${v})`;
      this.ctx.fillRect((i % 8) * cell, Math.floor(i / 8) * cell, cell, cell);
    }
    this.ink = false;
    this.showPreview(pixels);
  }

  private point(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * PAD, ((e.clientY - r.top) / r.height) * PAD];
  }

  private down(e: PointerEvent): void {
    if (!this.ink) {
      // The first stroke after an example starts a fresh drawing.
      this.ctx.fillStyle = '#fff';
      this.ctx.fillRect(0, 0, PAD, PAD);
    }
    this.canvas.setPointerCapture(e.pointerId);
    this.drawing = true;
    this.last = this.point(e);
    this.stroke(this.last);
  }

  private move(e: PointerEvent): void {
    if (!this.drawing) return;
    this.stroke(this.point(e));
  }

  private up(): void {
    if (!this.drawing) return;
    this.drawing = false;
    this.last = undefined;
    const pixels = this.pixels();
    this.showPreview(pixels);
    this.onInput(pixels);
  }

  private stroke(p: [number, number]): void {
    const { ctx } = this;
    const from = this.last ?? p;
    ctx.strokeStyle = '#111';
    ctx.lineWidth = PAD / 8;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(p[0], p[1]);
    ctx.stroke();
    this.last = p;
    this.ink = true;
  }

  /** The drawing as the model's 64 inputs. */
  pixels(): Float32Array {
    const src = this.ctx.getImageData(0, 0, PAD, PAD).data;
    let x0 = PAD;
    let y0 = PAD;
    let x1 = -1;
    let y1 = -1;
    for (let y = 0; y < PAD; y++) {
      for (let x = 0; x < PAD; x++) {
        if ((src[(y * PAD + x) * 4] as number) < 128) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    const out = new Float32Array(64);
    if (x1 < 0) return out;
    // Fit the ink's box into 32×32, keeping its aspect ratio, centred.
    const bitmap = document.createElement('canvas');
    bitmap.width = 32;
    bitmap.height = 32;
    const b = bitmap.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
    b.fillStyle = '#fff';
    b.fillRect(0, 0, 32, 32);
    const w = x1 - x0 + 1;
    const hgt = y1 - y0 + 1;
    const scale = 32 / Math.max(w, hgt);
    const dw = w * scale;
    const dh = hgt * scale;
    b.drawImage(this.canvas, x0, y0, w, hgt, (32 - dw) / 2, (32 - dh) / 2, dw, dh);
    const bits = b.getImageData(0, 0, 32, 32).data;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        if ((bits[(y * 32 + x) * 4] as number) < 128) {
          const i = Math.floor(y / 4) * 8 + Math.floor(x / 4);
          out[i] = (out[i] as number) + 1 / 16;
        }
      }
    }
    return out;
  }

  private showPreview(pixels: Float32Array): void {
    const ctx = this.preview.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(8, 8);
    for (let i = 0; i < 64; i++) {
      const v = 255 - Math.round(255 * Math.min(1, Math.max(0, pixels[i] as number)));
      image.data.set([v, v, v, 255], i * 4);
    }
    ctx.putImageData(image, 0, 0);
  }
}
