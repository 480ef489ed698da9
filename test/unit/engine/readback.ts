import type * as tf from '@tensorflow/tfjs-core';

// The webgpu backend cannot read a tensor back synchronously in Node (dataSync throws), so the
// engine suites read every result with these, on every backend alike.

/** A float32 tensor's values, read without blocking; the tensor is disposed afterwards. */
export async function readFloats(tensor: tf.Tensor): Promise<Float32Array> {
  try {
    return (await tensor.data<'float32'>()) as Float32Array;
  } finally {
    tensor.dispose();
  }
}

/** A numeric tensor's values as plain numbers, read without blocking; the tensor is disposed afterwards. */
export async function readNumbers(tensor: tf.Tensor): Promise<number[]> {
  try {
    return Array.from(await tensor.data<'float32' | 'int32'>());
  } finally {
    tensor.dispose();
  }
}

/** The first value of a (scalar) tensor, read without blocking; the tensor is disposed afterwards. */
export async function readScalar(tensor: tf.Tensor): Promise<number> {
  return (await readFloats(tensor))[0];
}

/** A tensor's values as nested arrays, read without blocking; the tensor is disposed afterwards. */
export async function readArray<T>(tensor: tf.Tensor): Promise<T> {
  try {
    return (await tensor.array()) as T;
  } finally {
    tensor.dispose();
  }
}
