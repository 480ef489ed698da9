#!/usr/bin/env bash
# Runs on the GPU machine (the `device` tool), from the repository root, with .gpu/ carried
# (scripts/gpu/prepare.sh) and $OUT set: it writes every log and JSON there, and at the end packs all
# but log.txt into $OUT/results.tar.gz. STAGES picks, in order:
#   bench        the model benchmark on webgpu: seed and fast presets at BATCHES, our kernels;
#   baseline     the same with tfjs's own filter gradient, seed preset at batch 32 and 256;
#   variants     the seed preset at BATCHES, one change at a time against `bench`: channel parts
#                apart in training, concat_elu or the gate or both as tfjs's ops (not the fused
#                kernels), the im2col filter gradient, 4 steps per read-back (run4 measured the
#                rest: bench/results/h200);
#   forward      the seed model's forward pass alone at batch 512, 1024 and 2048 (scoring batches);
#   speed        npm run bench:speed on webgpu: seed training at BATCHES, scoring, sampling 16
#                images, each against tfjs's own kernels (a child run) as a ratio;
#   profile      one seed training step at batch 64, kernel by kernel;
#   graph        the training step as one ONNX graph on ONNX Runtime's WebGPU provider against
#                tfjs-webgpu, both presets at BATCHES, side by side; again with Dawn's validation
#                off (ORT's validationMode=disabled, the skip_validation toggle's counterpart);
#   reproduction Fashion-MNIST → MNIST with the seed preset, its epochs cut to what fits
#                TRAIN_SECONDS at the training rate `bench` measured (the full protocol is 20 epochs);
#                REPRO_BATCH trains at another batch, REPRO_ARGS adds CLI flags (--learning-rate 1e-3).
# SMOKE=1 shrinks everything, to try the script on a CPU Vulkan driver first.
set -uo pipefail
OUT=${OUT:?the device tool sets OUT}
STAGES=${STAGES:-graph bench variants forward speed profile}
TRAIN_SECONDS=${TRAIN_SECONDS:-240}
BATCHES=${BATCHES:-32,64,256}
kit=$PWD/.gpu
log=$OUT/log.txt
quiet() { grep -v '^Warning: max\|artificially' | tr '\r' '\n' | grep -v 'ETA' | tee -a "$log"; }

for deb in "$kit"/*.deb; do dpkg -x "$deb" /; done
ldconfig
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json} XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
node=/tmp/outlier-lens-node
[ -x "$node" ] || { xz -dc "$kit/node.xz" > "$node" && chmod +x "$node"; }
[ -s "$kit/dawn.node" ] || xz -dc "$kit/dawn.node.xz" > "$kit/dawn.node"
(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true) | tee "$OUT/machine.txt"
"$node" --version | tee -a "$OUT/machine.txt"

if [ "${SMOKE:-0}" = 1 ]; then
  presets=fast BATCHES=4 seconds=0.5 baseline_batches=4 profile_batch=4 forward_batches=8,16 limits=(--train-limit 64 --test-limit 64) preset=fast
else
  presets=seed,fast seconds=2 baseline_batches=32,256 profile_batch=64 forward_batches=512,1024,2048 limits=() preset=seed
fi

# One model benchmark: its name (a folder under $OUT), then environment assignments for it.
model_bench() {
  local name=$1
  shift
  mkdir -p "$OUT/$name"
  env BENCH_BACKENDS=webgpu BENCH_SECONDS=$seconds BENCH_RESULTS_DIR="$OUT/$name" "$@" timeout "${limit:-90}" "$node" "$kit/modelBench.js" 2>&1 | quiet
}

for stage in $STAGES; do
  case $stage in
    bench)
      echo "== model benchmark, our kernels" | tee -a "$log"
      limit=170 model_bench bench BENCH_PRESETS=$presets BENCH_BATCHES=$BATCHES ;;
    variants)
      for variant in "separate BENCH_TRAIN_CHANNEL_PARTS=separate" "unfusedElu BENCH_FUSED_CONCAT_ELU=0" \
        "unfusedGate BENCH_FUSED_GATE=0" "unfused BENCH_FUSED_CONCAT_ELU=0 BENCH_FUSED_GATE=0" \
        "im2col BENCH_FILTER_GRADIENTS=im2col" "readEvery4 BENCH_STEPS_PER_READ=4"; do
        read -r name assignments <<< "$variant"
        echo "== model benchmark, seed preset, variant $name ($assignments)" | tee -a "$log"
        # Word splitting is wanted: one argument per assignment (the JSON has no spaces).
        # shellcheck disable=SC2086
        model_bench "variants/$name" BENCH_PRESETS=${presets%%,*} BENCH_BATCHES=$BATCHES $assignments
      done ;;
    forward)
      echo "== forward passes alone, seed preset, batches $forward_batches" | tee -a "$log"
      model_bench forward BENCH_PRESETS=${presets%%,*} BENCH_BATCHES=$forward_batches BENCH_FORWARD_ONLY=1 ;;
    baseline)
      echo "== model benchmark, tfjs's own filter gradient (baseline)" | tee -a "$log"
      mkdir -p "$OUT/builtin"
      BENCH_BACKENDS=webgpu BENCH_PRESETS=${presets%%,*} BENCH_BATCHES=$baseline_batches BENCH_SECONDS=$seconds BENCH_FILTER_GRADIENTS=builtin \
        BENCH_RESULTS_DIR=$OUT/builtin timeout 90 "$node" "$kit/modelBench.js" 2>&1 | quiet ;;
    speed)
      echo "== bench:speed: training, scoring, sampling against tfjs's own kernels" | tee -a "$log"
      [ "${SMOKE:-0}" = 1 ] && export SPEED_SCORE_IMAGES=256 SPEED_SAMPLE_PRESET=fast
      SPEED_BACKENDS=webgpu SPEED_BATCHES=$BATCHES SPEED_SECONDS=$seconds BENCH_RESULTS_DIR=$OUT \
        timeout 300 "$node" "$kit/speedBench.js" 2>&1 | quiet ;;
    profile)
      echo "== one training step, kernel by kernel" | tee -a "$log"
      PROFILE_BACKEND=webgpu PROFILE_PRESET=${presets%%,*} PROFILE_BATCH=$profile_batch BENCH_RESULTS_DIR=$OUT \
        timeout 90 "$node" "$kit/stepProfile.js" 2>&1 | quiet ;;
    graph)
      library=$kit/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1
      [ -s "$library" ] || xz -dc "$library.xz" > "$library"
      for validation in default disabled; do
        echo "== training step: ONNX graph on WebGPU against tfjs-webgpu, validation $validation" | tee -a "$log"
        mkdir -p "$OUT/graph-$validation"
        OUTLIER_LENS_WEBGPU_VALIDATION=$([ "$validation" = disabled ] && echo disabled) BENCH_TFJS_BACKEND=webgpu BENCH_GRAPH_PROVIDER=webgpu \
          BENCH_PRESETS=$presets BENCH_BATCHES=$BATCHES BENCH_SECONDS=$seconds BENCH_RESULTS_DIR="$OUT/graph-$validation" \
          timeout 240 "$node" "$kit/trainingGraph.js" 2>&1 | quiet
      done ;;
    reproduction)
      # Epochs (or, below one epoch, training images) that fit TRAIN_SECONDS for both models at the
      # smallest batch's measured training rate; 20,000 images if `bench` measured nothing.
      # REPRO_BATCH trains at that batch (its rate from `bench`) instead of the preset's.
      budget=($("$node" -e '
        const [file, preset, seconds, batch] = process.argv.slice(1);
        let rate = 0;
        try {
          const rows = require(file).rows.filter((row) => row.preset === preset && row.filterGradient === "registered");
          const row = batch ? rows.find((candidate) => candidate.batch === Number(batch)) : rows.sort((a, b) => a.batch - b.batch)[0];
          rate = row?.trainImagesPerSecond ?? 0;
        } catch {}
        const images = (Number(seconds) * rate) / 2;
        if (!(rate > 0)) console.log("--epochs 1 --train-limit 20000");
        else if (images >= 60000) console.log(`--epochs ${Math.floor(images / 60000)}`);
        else console.log(`--epochs 1 --train-limit ${Math.max(2000, Math.floor(images / 1000) * 1000)}`);
      ' "$OUT/bench/model-webgpu.json" "$preset" "$TRAIN_SECONDS" "${REPRO_BATCH:-}"))
      [ -n "${REPRO_BATCH:-}" ] && budget+=(--batch-size "$REPRO_BATCH")
      # REPRO_ARGS adds flags, e.g. a learning rate for a batch larger than the seed's 32.
      read -r -a extra <<< "${REPRO_ARGS:-}"
      budget+=("${extra[@]}")
      [ "${SMOKE:-0}" = 1 ] && budget=(--epochs 1)
      fashion=/tmp/fashion-mnist
      mkdir -p "$fashion" && cp "$kit"/fashion-mnist/*.gz "$fashion/"
      [ -s "$fashion/train-images-idx3-ubyte" ] || xz -dc "$kit/fashion-mnist/train-images-idx3-ubyte.xz" > "$fashion/train-images-idx3-ubyte"
      echo "== Fashion-MNIST → MNIST, $preset preset, ${budget[*]}" | tee -a "$log"
      timeout $((TRAIN_SECONDS + 120)) "$node" "$kit/cli.js" bench fmnist-mnist --preset "$preset" --backend webgpu "${budget[@]}" \
        --score-batch-size 500 --fashion-mnist-dir "$fashion" --mnist-dir "$kit/mnist" "${limits[@]}" \
        -o "$OUT/fmnist-mnist-$preset-webgpu.json" 2>&1 | quiet ;;
    *) echo "unknown stage $stage" | tee -a "$log" ;;
  esac
done
echo "== done" | tee -a "$log"
# The device tool brought back 8 files of run4's 14 (the rest "(count)"): everything but the log
# goes back as one archive.
(cd "$OUT" && tar czf /tmp/outlier-lens-results.tar.gz --exclude=./log.txt . && find . -mindepth 1 ! -name log.txt -delete &&
  mv /tmp/outlier-lens-results.tar.gz results.tar.gz)
