/** Bump when the kernels of wasm-kernels.ts change what they compute: results made with them are then rebuilt. (Apart, so that a result's hash is found without loading TensorFlow.js.) */
export const WASM_KERNELS_VERSION = '1';
