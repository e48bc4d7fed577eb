/**
 * tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` kernel, so any gradient through a convolution's
 * weights fails there ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"). To compare with
 * tfjs-wasm at all, the harness registers one built from the backend's own (XNNPACK) convolution:
 *
 *   dW[kh, kw, ci, co] = Σ_{n, oh, ow} xPadded[n, oh + kh, ow + kw, ci] · dy[n, oh, ow, co]
 *
 * is a stride-1 'valid' convolution of xPadded transposed to [ci, H, W, n] (batch ci, channels n) with dy
 * transposed to [oh, ow, n, co] (a filter of spatial size oh × ow), giving [ci, kh, kw, co]. It is exact
 * (checked against tfjs-cpu to 1e-4) and was the fastest of the forms tried (im2col + one matMul was ~10×
 * slower), so tfjs-wasm is measured at its best. Only stride 1 and dilation 1 are supported, which is all
 * the workloads use.
 */
import type { TfjsModule } from '../types.js';

type Tensor4D = import('@tensorflow/tfjs').Tensor4D;

interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
  filterShape: [number, number, number, number];
}

/** Registers the kernel for the 'wasm' backend unless the backend already has one. */
export function registerWasmConvFilterGrad(tf: TfjsModule): boolean {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return false;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      // The engine passes the op's input tensors through; no copies are made.
      const x = inputs.x as Tensor4D;
      const dy = inputs.dy as Tensor4D;
      const a = attrs as unknown as FilterGradAttrs;
      if ((a.dataFormat ?? 'NHWC') !== 'NHWC') throw new Error('bench conv-filter shim: NHWC only');
      const info = tf.backend_util.computeConv2DInfo(
        x.shape,
        a.filterShape,
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
        false,
        'channelsLast',
      );
      if (info.strideHeight !== 1 || info.strideWidth !== 1)
        throw new Error('bench conv-filter shim: stride 1 only');
      const [kh, kw, ci, co] = a.filterShape;
      return tf.tidy(() => {
        const p = info.padInfo;
        const xp = tf.pad(x, [
          [0, 0],
          [p.top, p.bottom],
          [p.left, p.right],
          [0, 0],
        ]);
        const asBatchOfChannels = tf.transpose(xp, [3, 1, 2, 0]);
        const dyAsFilter = tf.transpose(dy, [1, 2, 0, 3]);
        const r = tf.conv2d(asBatchOfChannels as Tensor4D, dyAsFilter as Tensor4D, 1, 'valid');
        return tf.transpose(tf.slice(r, [0, 0, 0, 0], [ci, kh, kw, co]), [1, 2, 0, 3]);
      });
    },
  });
  return true;
}
