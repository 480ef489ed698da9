import * as assert from 'node:assert/strict';
import type { PackagedTarget } from '../../src/extension/platform/packagedTarget';
import { checkNativeParts, runningTarget } from '../../src/extension/platform/packagedTarget';

const LINUX_X64: PackagedTarget = {
  target: 'linux-x64',
  nativeParts: [
    { name: 'sharp (libvips)', path: 'node_modules/@img/sharp-linux-x64', required: true, fallback: 'no image can be read' },
    { name: 'ONNX Runtime', path: 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node', required: false, fallback: 'scoring runs on TensorFlow.js instead' },
    { name: 'Dawn (WebGPU)', path: 'node_modules/webgpu/dist/linux-x64/dawn.node', required: false, fallback: 'no GPU backend; training and scoring run on the CPU' },
  ],
  absent: [],
};

describe('activation check of a platform VSIX (dist/target.json)', () => {
  it('names the machine\'s target, alpine for musl Linux', () => {
    assert.equal(runningTarget('darwin', 'arm64', false), 'darwin-arm64');
    assert.equal(runningTarget('linux', 'x64', true), 'alpine-x64');
    assert.equal(runningTarget('linux', 'x64', false), 'linux-x64');
    assert.equal(runningTarget('win32', 'x64', true), 'win32-x64');
  });

  it('is silent on the machine it was built for, with every part present', () => {
    assert.deepEqual(checkNativeParts(LINUX_X64, 'linux-x64', () => true), { notes: [] });
  });

  it('tells the user on another machine which package to install', () => {
    const report = checkNativeParts(LINUX_X64, 'darwin-arm64', (file) => !file.includes('linux'));
    assert.match(report.error ?? '', /^this package is for linux-x64; install the one for darwin-arm64/);
  });

  it('lets the engine fall back without an error when an optional part is gone, and logs what it falls back to', () => {
    const report = checkNativeParts(LINUX_X64, 'linux-x64', (file) => !file.includes('onnxruntime'));
    assert.equal(report.error, undefined);
    assert.deepEqual(report.notes, ['ONNX Runtime is missing (node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node): scoring runs on TensorFlow.js instead']);
  });

  it('is an error when sharp is gone, since no image could be read', () => {
    const report = checkNativeParts(LINUX_X64, 'linux-x64', (file) => !file.includes('sharp'));
    assert.match(report.error ?? '', /^sharp \(libvips\) missing from this linux-x64 package .*reinstall/);
  });

  it('logs the parts a platform has no build of', () => {
    const alpine: PackagedTarget = { target: 'alpine-x64', nativeParts: [LINUX_X64.nativeParts[0]], absent: ['onnxruntime-node: its prebuilt library links glibc, and Alpine has musl'] };
    assert.deepEqual(checkNativeParts(alpine, 'alpine-x64', () => true).notes, ['not in the alpine-x64 package: onnxruntime-node: its prebuilt library links glibc, and Alpine has musl']);
  });
});
