import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
const require = createRequire(import.meta.url);
const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
console.log(dist);
setWasmPaths(dist + '/');
console.log(Object.keys(tf.engine().registryFactory));
await tf.setBackend('cpu');
let a = tf.randomNormal([1024,1024]), b = tf.randomNormal([1024,1024]);
let t0 = performance.now(); let c = tf.matMul(a,b); await c.data(); console.log('cpu 1024 ms', performance.now()-t0);
console.log(await tf.setBackend('wasm'), tf.getBackend());
console.log('simd', await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), 'mt', await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
a = tf.randomNormal([1024,1024]); b = tf.randomNormal([1024,1024]);
for (let i=0;i<3;i++){ t0 = performance.now(); c = tf.matMul(a,b); await c.data(); console.log('wasm 1024 ms', performance.now()-t0);}
for (const k of ['Conv2DBackpropFilter','Conv2DBackpropInput','MaxPoolGrad','ReluGrad' ,'Relu','MaxPool','Softmax','LogSoftmax','Conv2D','FusedConv2D','_FusedMatMul','BatchMatMul','Max','Sum','Exp','Log','OneHot','Step','Select','Greater','Maximum']) console.log(k, !!tf.getKernel(k,'wasm'));
