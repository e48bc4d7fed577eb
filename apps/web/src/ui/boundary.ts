/**
 * The decision boundary of a 2-D classifier: the class probabilities on a grid, painted as a blend of
 * the class colours (paler where the model is unsure), with the training points on top.
 */
import type { PointsView } from '../protocol.js';
import { h } from './dom.js';
import { colour, rgb } from './format.js';

export class BoundaryView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly cells = document.createElement('canvas');
  private train?: PointsView;
  private test?: PointsView;
  private classes = 2;
  private showTest = false;
  private hasGrid = false;
  private frame = 0;

  constructor() {
    this.canvas = h('canvas', {
      class: 'boundary',
      role: 'img',
      'aria-label': 'Decision boundary: no model yet',
      'data-testid': 'boundary',
    });
    this.element = this.canvas;
    new ResizeObserver(() => this.schedule()).observe(this.canvas);
  }

  /** The points of the current data set. */
  setPoints(train: PointsView | undefined, test: PointsView | undefined, classes: number): void {
    this.train = train;
    this.test = test;
    this.classes = classes;
    this.hasGrid = false;
    this.schedule();
  }

  setShowTest(show: boolean): void {
    this.showTest = show;
    this.schedule();
  }

  /** New probabilities: `size × size` cells, `classes` values each, top row first. */
  setGrid(size: number, probs: Float32Array, testAccuracy: number): void {
    const k = this.classes;
    this.cells.width = size;
    this.cells.height = size;
    const ctx = this.cells.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(size, size);
    const colours = Array.from({ length: k }, (_, i) => rgb(colour(i)));
    for (let cell = 0; cell < size * size; cell++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let top = 0;
      for (let c = 0; c < k; c++) {
        const p = probs[cell * k + c] as number;
        const [cr, cg, cb] = colours[c] as [number, number, number];
        r += p * cr;
        g += p * cg;
        b += p * cb;
        top = Math.max(top, p);
      }
      // Confidence 0 (uniform) .. 1 (certain) sets how far the colour stands out from white.
      const confidence = k > 1 ? (top - 1 / k) / (1 - 1 / k) : 1;
      const alpha = 0.18 + 0.5 * confidence;
      image.data[cell * 4] = 255 + (r - 255) * alpha;
      image.data[cell * 4 + 1] = 255 + (g - 255) * alpha;
      image.data[cell * 4 + 2] = 255 + (b - 255) * alpha;
      image.data[cell * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    this.hasGrid = true;
    this.canvas.setAttribute(
      'aria-label',
      `Decision boundary over ${k} classes; test accuracy ${(100 * testAccuracy).toFixed(1)}%`,
    );
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const { canvas } = this;
    const dpr = window.devicePixelRatio || 1;
    const size = canvas.clientWidth;
    if (size === 0) return;
    canvas.width = Math.round(size * dpr);
    canvas.height = Math.round(size * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#f7f8fa';
    ctx.fillRect(0, 0, size, size);
    if (this.hasGrid) {
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(this.cells, 0, 0, size, size);
    }
    const drawPoints = (view: PointsView | undefined, test: boolean) => {
      if (!view) return;
      const [x0, x1, y0, y1] = view.extent;
      const radius = Math.max(2.5, size / 130);
      for (let i = 0; i < view.y.length; i++) {
        const px = (((view.x[2 * i] as number) - x0) / (x1 - x0)) * size;
        const py = (1 - ((view.x[2 * i + 1] as number) - y0) / (y1 - y0)) * size;
        ctx.beginPath();
        ctx.arc(px, py, radius, 0, 2 * Math.PI);
        ctx.fillStyle = test ? '#ffffff' : colour(view.y[i] as number);
        ctx.fill();
        ctx.lineWidth = test ? 2 : 1;
        ctx.strokeStyle = test ? colour(view.y[i] as number) : 'rgba(255,255,255,0.9)';
        ctx.stroke();
      }
    };
    drawPoints(this.train, false);
    if (this.showTest) drawPoints(this.test, true);
  }
}
