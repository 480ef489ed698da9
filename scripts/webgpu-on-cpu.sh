#!/usr/bin/env bash
# Runs the webgpu copies of the engine suites on a machine without a GPU, through lavapipe (Mesa's
# Vulkan driver on the CPU) under Dawn. Debian 12's Mesa 22 lacks a feature Dawn requires, so
# Mesa 25 comes from bookworm-backports, unpacked under .cache/lavapipe (nothing is installed
# but the Vulkan loader). Each suite runs in a process of its own: lavapipe's threads crashed a
# process that had run the cpu suites first ("futex facility returned an unexpected error code").
# Slow (lavapipe is a CPU: about 2.5 minutes), so not part of `npm test`; .ci/run runs it.
set -euo pipefail
cache=$PWD/.cache/lavapipe
icd=$cache/lvp_icd.json

# Debian's own Mesa brings the Vulkan loader and every library the newer lavapipe links against.
if ! dpkg -s mesa-vulkan-drivers > /dev/null 2>&1; then
  packages=(mesa-vulkan-drivers libvulkan1)
  apt-get install -y -qq --no-install-recommends "${packages[@]}" > /dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${packages[@]}" > /dev/null; }
fi
if [ ! -s "$icd" ]; then
  mkdir -p "$cache/lists/partial" "$cache/debs"
  echo 'deb http://deb.debian.org/debian bookworm-backports main' > "$cache/sources.list"
  o="-oDir::Etc::SourceList=$cache/sources.list -oDir::Etc::SourceParts=/dev/null -oDir::State::Lists=$cache/lists"
  apt-get $o update > /dev/null
  (cd "$cache/debs" && apt-get $o download mesa-vulkan-drivers/bookworm-backports libdrm2/bookworm-backports libdrm-amdgpu1/bookworm-backports > /dev/null 2>&1)
  for deb in "$cache"/debs/*.deb; do dpkg -x "$deb" "$cache/root"; done
  library=$cache/root/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so
  printf '{ "file_format_version": "1.0.0", "ICD": { "library_path": "%s", "api_version": "1.3.0" } }\n' "$library" > "$icd"
fi
export VK_DRIVER_FILES=$icd LD_LIBRARY_PATH=$cache/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

suites=(test/unit/engine/onnx/training/webgpuStep.test.ts test/unit/engine/backend/webgpuConvGradients.test.ts test/unit/engine/ops/*.test.ts test/unit/engine/pixelcnn/*.test.ts)
failed=0
for suite in "${suites[@]}"; do
  echo "== $suite"
  # Dawn warns about lavapipe's limits on every device it opens; the warnings say nothing about the tests.
  npx mocha "$suite" -g 'on webgpu' 2>&1 | grep -v 'artificially reduced\|^Warning: max' || failed=1
done
exit $failed
