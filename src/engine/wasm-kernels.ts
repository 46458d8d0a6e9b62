import type * as tfjs from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

// Kernels that training a small CNN needs and @tensorflow/tfjs-backend-wasm
// 4.22 lacks (Conv2DBackpropFilter), gets wrong (MaxPoolGrad: a window whose
// maximum is negative loses its gradient, as if the running maximum started
// at 0 instead of -Infinity), or runs slowly (Conv2DBackpropInput: a plain
// C++ loop, 4-7x slower than the matmul + col2im below).
//
// Both convolution gradients go through the backend's own BatchMatMul with
// neither operand transposed: only that path reaches XNNPACK, and its
// transposed paths are 3-7x slower on these shapes. Operands are therefore
// laid out in the wasm heap so that no transpose flag is needed.

type Tf = typeof tfjs;

/** a[m,k] · b[k,n] on the wasm backend's XNNPACK matmul; the caller owns the result. */
function matMul(tf: Tf, backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  const kernel = tf.getKernel('BatchMatMul', 'wasm');
  if (!kernel) throw new Error('the wasm backend has no BatchMatMul kernel');
  return kernel.kernelFunc({
    inputs: { a, b },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as TensorInfo;
}

function checkFloatNhwc(kernel: string, dataFormat: string | undefined, ...ts: TensorInfo[]): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports only NHWC, not ${dataFormat}`);
  }
  for (const t of ts) {
    if (t.dtype !== 'float32') throw new Error(`${kernel} on wasm supports only float32, not ${t.dtype}`);
  }
}

function conv2DBackpropFilter(tf: Tf): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = backend as BackendWasm;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    checkFloatNhwc('Conv2DBackpropFilter', dataFormat, x, dy);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const { top, left } = info.padInfo;
    const rows = batchSize * outHeight * outWidth;
    const depth = filterHeight * filterWidth * inChannels;

    // dW[kh,kw,ci,co] = colsᵀ · dy, where cols is the im2col patch matrix,
    // written here already transposed: [kh·kw·ci, n·oh·ow].
    const cols = wasm.makeOutput([depth, rows], 'float32');
    // Views are taken after every allocation: a heap growth detaches them.
    const out = wasm.typedArrayFromHeap(cols) as Float32Array;
    const xs = wasm.typedArrayFromHeap(x) as Float32Array;
    const rowStride = inWidth * inChannels;
    const colStride = strideWidth * inChannels;
    let dst = 0;
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        // Output columns whose tap lands inside the input, so the copy loop
        // below needs no bounds test.
        const owStart = Math.min(outWidth, Math.max(0, Math.ceil((left - kw) / strideWidth)));
        const owEnd = Math.max(owStart, Math.min(outWidth, Math.ceil((inWidth + left - kw) / strideWidth)));
        for (let c = 0; c < inChannels; c++) {
          for (let n = 0; n < batchSize; n++) {
            const xBatch = n * inHeight * rowStride + c + (kw - left) * inChannels;
            for (let oh = 0; oh < outHeight; oh++) {
              const ih = oh * strideHeight - top + kh;
              if (ih < 0 || ih >= inHeight) {
                out.fill(0, dst, dst + outWidth);
                dst += outWidth;
                continue;
              }
              if (owStart > 0) out.fill(0, dst, dst + owStart);
              let src = xBatch + ih * rowStride + owStart * colStride;
              for (let ow = owStart; ow < owEnd; ow++) {
                out[dst + ow] = xs[src];
                src += colStride;
              }
              if (owEnd < outWidth) out.fill(0, dst + owEnd, dst + outWidth);
              dst += outWidth;
            }
          }
        }
      }
    }

    const dy2: TensorInfo = { dataId: dy.dataId, shape: [rows, outChannels], dtype: 'float32' };
    const product = matMul(tf, wasm, cols, dy2);
    wasm.disposeData(cols.dataId);
    return { dataId: product.dataId, shape: filterShape, dtype: 'float32' };
  };
}

function conv2DBackpropInput(tf: Tf): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = backend as BackendWasm;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    checkFloatNhwc('Conv2DBackpropInput', dataFormat, dy, filter);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const { top, left } = info.padInfo;
    const rows = batchSize * outHeight * outWidth;
    const depth = filterHeight * filterWidth * inChannels;

    // cols = dy · Wᵀ is the gradient of every patch; col2im then adds each
    // patch back where it was taken from. Wᵀ is small, so it is built here.
    const wt = wasm.makeOutput([outChannels, depth], 'float32');
    const wtv = wasm.typedArrayFromHeap(wt) as Float32Array;
    const f = wasm.typedArrayFromHeap(filter) as Float32Array;
    for (let k = 0; k < depth; k++) {
      for (let o = 0; o < outChannels; o++) wtv[o * depth + k] = f[k * outChannels + o];
    }
    const dy2: TensorInfo = { dataId: dy.dataId, shape: [rows, outChannels], dtype: 'float32' };
    const cols = matMul(tf, wasm, dy2, wt);
    wasm.disposeData(wt.dataId);

    const dxInfo = wasm.makeOutput(inputShape, 'float32');
    const dx = wasm.typedArrayFromHeap(dxInfo) as Float32Array;
    const cs = wasm.typedArrayFromHeap({ ...cols, shape: [rows, depth] }) as Float32Array;
    dx.fill(0);
    const rowSpan = filterWidth * inChannels;
    let src = 0;
    for (let n = 0; n < batchSize; n++) {
      const xBatch = n * inHeight * inWidth * inChannels;
      for (let oh = 0; oh < outHeight; oh++) {
        const ih0 = oh * strideHeight - top;
        for (let ow = 0; ow < outWidth; ow++) {
          const iw0 = ow * strideWidth - left;
          for (let kh = 0; kh < filterHeight; kh++) {
            const ih = ih0 + kh;
            if (ih < 0 || ih >= inHeight) {
              src += rowSpan;
              continue;
            }
            const xRow = xBatch + ih * inWidth * inChannels;
            for (let kw = 0; kw < filterWidth; kw++) {
              const iw = iw0 + kw;
              if (iw < 0 || iw >= inWidth) {
                src += inChannels;
                continue;
              }
              let dst = xRow + iw * inChannels;
              for (let c = 0; c < inChannels; c++) dx[dst++] += cs[src++];
            }
          }
        }
      }
    }
    wasm.disposeData(cols.dataId);
    return dxInfo;
  };
}

function maxPoolGrad(tf: Tf): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = backend as BackendWasm;
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
    checkFloatNhwc('MaxPoolGrad', undefined, input, dy);
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const { top, left } = info.padInfo;
    const dxInfo = wasm.makeOutput(input.shape, 'float32');
    const dx = wasm.typedArrayFromHeap(dxInfo) as Float32Array;
    const xs = wasm.typedArrayFromHeap(input) as Float32Array;
    const g = wasm.typedArrayFromHeap(dy) as Float32Array;
    dx.fill(0);
    // Ties go to the first maximum, as on the cpu backend and in TensorFlow.
    const rowStride = inWidth * inChannels;
    let gi = 0;
    for (let n = 0; n < batchSize; n++) {
      const xBatch = n * inHeight * rowStride;
      for (let oh = 0; oh < outHeight; oh++) {
        const h0 = Math.max(0, oh * strideHeight - top);
        const h1 = Math.min(inHeight, oh * strideHeight - top + filterHeight);
        for (let ow = 0; ow < outWidth; ow++) {
          const w0 = Math.max(0, ow * strideWidth - left);
          const w1 = Math.min(inWidth, ow * strideWidth - left + filterWidth);
          const corner = xBatch + h0 * rowStride + w0 * inChannels;
          for (let c = 0; c < inChannels; c++, gi++) {
            // Starting from the window's first tap, not -Infinity, so a window
            // of NaN or -Infinity still sends its gradient somewhere.
            let where = corner + c;
            let best = xs[where];
            for (let h = h0; h < h1; h++) {
              let at = xBatch + h * rowStride + w0 * inChannels + c;
              for (let w = w0; w < w1; w++, at += inChannels) {
                if (xs[at] > best) {
                  best = xs[at];
                  where = at;
                }
              }
            }
            if (h1 > h0 && w1 > w0) dx[where] += g[gi];
          }
        }
      }
    }
    return dxInfo;
  };
}

export { WASM_KERNELS_VERSION } from './wasm-kernels-version.ts';

// Our kernel functions, so a second call can tell them from the backend's.
const ours = new WeakSet<KernelFunc>();

/** Registers, once, the wasm kernels that CNN training lacks, or has wrong or slow. */
export function registerMissingWasmKernels(tf: Tf): void {
  const missing: Array<[string, KernelFunc]> = [['Conv2DBackpropFilter', conv2DBackpropFilter(tf)]];
  for (const [kernelName, kernelFunc] of missing) {
    if (!tf.getKernel(kernelName, 'wasm')) {
      ours.add(kernelFunc);
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    }
  }
  const replaced: Array<[string, KernelFunc]> = [
    ['MaxPoolGrad', maxPoolGrad(tf)],
    ['Conv2DBackpropInput', conv2DBackpropInput(tf)],
  ];
  for (const [kernelName, kernelFunc] of replaced) {
    const existing = tf.getKernel(kernelName, 'wasm');
    if (existing && ours.has(existing.kernelFunc)) continue;
    if (existing) tf.unregisterKernel(kernelName, 'wasm');
    ours.add(kernelFunc);
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
}
