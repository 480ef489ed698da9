#!/usr/bin/env bash
# The main job end to end on demo data: Fashion-MNIST images are the inliers, a few MNIST digits
# and two broken files are mixed in; a `fast` detector is trained on CPU (or GPU where there is
# one), the mixed folder is scanned, and the outlier list is exported and checked against the truth.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO=${DEMO_DIR:-.demo}
CLI="node dist/cli.js"
TRAIN_IMAGES=${DEMO_TRAIN_IMAGES:-6000}

# Fashion-MNIST comes from Debian's package (offline, no download at run time).
if [ ! -d /usr/share/datasets/fashion-mnist ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq dataset-fashion-mnist
fi

npm run --silent build
rm -rf "$DEMO" && mkdir -p "$DEMO/mixed"
$CLI data fashion-mnist --split train --limit "$TRAIN_IMAGES" -o "$DEMO/train"
$CLI data fashion-mnist --split test --limit 300 -o "$DEMO/mixed/fashion"
$CLI data mnist --split test --limit 30 -o "$DEMO/mixed/mnist"
printf 'this is not an image' > "$DEMO/mixed/notes.jpg"
head -c 300 "$DEMO/mixed/fashion/00000.png" > "$DEMO/mixed/truncated.png"

$CLI train "$DEMO/train" -o "$DEMO/detector" --preset fast --epochs "${DEMO_EPOCHS:-2}"
# Threshold: a 5% false-positive rate on known inliers (held-out Fashion-MNIST test images).
$CLI data fashion-mnist --split test --limit 1000 -o "$DEMO/known-inliers"
rm "$DEMO"/known-inliers/00{0,1,2}*.png  # keep the images of mixed/fashion out of the threshold set
$CLI threshold "$DEMO/detector" "$DEMO/known-inliers" --fpr 0.05
$CLI scan "$DEMO/mixed" -d "$DEMO/detector" --json "$DEMO/outliers.json" --csv "$DEMO/outliers.csv"

node -e '
const exported = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const items = exported.items;
const isDigit = (item) => item.path.startsWith("mnist/");
const digits = items.filter(isDigit).length;
const flagged = items.filter((item) => item.isOutlier);
const caught = flagged.filter(isDigit).length;
const auroc = (scoreOf) => {
  let wins = 0;
  for (const a of items) if (isDigit(a)) for (const b of items) if (!isDigit(b)) wins += scoreOf(a) > scoreOf(b) ? 1 : scoreOf(a) === scoreOf(b) ? 0.5 : 0;
  return wins / (digits * (items.length - digits));
};
const verdict = exported.verdict && exported.verdict.kind === "calibrated" ? "the calibrated verdict" : "the LLR threshold";
console.log(`\nDemo result (${exported.counts.images} images, ${exported.counts.errors} unreadable; flagged by ${verdict}):`);
console.log(`  AUROC of MNIST digits among Fashion-MNIST: ${auroc((item) => item.score).toFixed(3)} (outlier score), ${auroc((item) => item.llr ?? item.score).toFixed(3)} (LLR alone)`);
console.log(`  flagged ${flagged.length}: ${caught} of ${digits} digits (recall ${(caught / digits).toFixed(2)}), precision ${(caught / Math.max(1, flagged.length)).toFixed(2)}`);
for (const error of exported.errors) console.log(`  unreadable: ${error.path} (${error.reason})`);
console.log(`  export: ${process.argv[1]}`);
' "$DEMO/outliers.json"
