// Images the user labels inliers join the detector's calibration: labelling what is normal in this
// folder moves the verdict of the rest (issue #30: "the labels file … feeds the ROC and the calibration").
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEBIAN_FASHION_MNIST_FOLDER, loadDataset } from '../../src/engine/data';
import { calibrationWithInliers, judgeImage } from '../../src/engine/signals';
import type { DetectorCalibration } from '../../src/engine/signals';
import type { DetectorSummary } from '../../src/extension/detectors/detectorSummary';
import { GroundTruthRules } from '../../src/extension/groundTruth/groundTruthRules';
import { ResultSet } from '../../src/extension/results/resultSet';
import { ResultStore } from '../../src/extension/results/resultStore';
import { writePanelExport } from '../../src/extension/workflows/panelExport';
import { NO_FOLDER_FINDINGS } from '../../src/extension/results/folderFindings';
import type { OutlierExport } from '../../src/engine/export/outlierExport';
import { CALIBRATED_SIGNALS } from '../../src/protocol/scanResults';
import type { ScoredImage } from '../../src/protocol/scanResults';
import { SIDE, pixelsOf, standInCalibration, standInScan } from './support/standInCalibration';

describe('labelled inliers feed the calibration', function () {
  this.timeout(120_000);
  let calibration: DetectorCalibration;
  let images: ScoredImage[];
  let detector: DetectorSummary;
  let folder: string;

  before(async function () {
    if (!fs.existsSync(DEBIAN_FASHION_MNIST_FOLDER)) this.skip(); // needs `apt-get install dataset-fashion-mnist`
    const dataset = await loadDataset('fashion-mnist', 'test');
    calibration = standInCalibration(dataset, 'training hold-out');
    // This folder's garments were photographed on a light background: every pixel lifted by 120 grey levels.
    const lifted = (pixels: Uint8Array): Uint8Array => pixels.map((level) => Math.min(255, level + 120));
    const scanned = [
      ...Array.from({ length: 300 }, (_, i) => ({ name: `light/${String(i).padStart(4, '0')}.png`, pixels: lifted(pixelsOf(dataset, i)) })),
      { name: 'blank/0.png', pixels: new Uint8Array(SIDE * SIDE) },
    ];
    images = standInScan(scanned, calibration);
    detector = { folder: '/detector', manifestSha256: 'a'.repeat(64), manifest: { name: 'fashion', threshold: null, calibration } } as unknown as DetectorSummary;
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'label-calibration-'));
  });
  after(() => {
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  const labelled = (count: number): GroundTruthRules =>
    GroundTruthRules.forFolder('/folder', [], images.slice(0, count).map((image, index) => ({ relativePath: image.relativePath, label: 'inlier' as const, line: index + 1 })));
  const flaggedLight = (set: ResultSet): number => set.slotsByScore().filter((slot) => set.pathAt(slot).startsWith('light/') && set.scoreAt(slot) > 2).length;

  it('labelling 100 of the folder\'s light garments inliers stops most of the rest being flagged, keeps the blank image flagged, and matches the engine\'s tails', async () => {
    const set = new ResultSet('scan', '/folder', detector, ResultStore.create(path.join(folder, 'a.jsonl'), { kind: 'test' }));
    set.add(images, []);
    set.finish();
    const before = flaggedLight(set);
    console.log(`      flagged light garments: ${before} of 300 against the detector's inliers`);
    assert.ok(before > 100, `against the detector's inliers about half the light garments are flagged (${before} of 300)`);
    assert.ok((set.reasonCounts().light ?? 0) > 100);

    set.setGroundTruth(labelled(100));
    assert.equal(set.calibration.labelledInliers, 100);
    assert.match(set.calibration.current?.source ?? '', /^training hold-out and 100 images labelled inliers in this folder$/);
    // Each image's tails are what the engine gives against the detector's inliers and the labelled ones.
    const extended = calibrationWithInliers(calibration, images.slice(0, 100), 'extended');
    for (const image of images) {
      const engine = judgeImage({ ...image, tailProbabilities: undefined, outlierScore: undefined, reasons: undefined }, extended, CALIBRATED_SIGNALS);
      const slot = set.slotsByScore().find((candidate) => set.pathAt(candidate) === image.relativePath) as number;
      assert.equal(set.scoreAt(slot), engine.outlierScore, image.relativePath);
      assert.deepEqual(set.reasonsOf(set.imageAt(slot)) ?? [], engine.reasons ?? [], image.relativePath);
    }
    const unlabelledFlagged = set.slotsByScore().filter((slot) => /^light\/0(1|2)\d\d/.test(set.pathAt(slot)) && set.scoreAt(slot) > 2).length;
    console.log(`      with 100 labelled inliers: ${unlabelledFlagged} of the 200 unlabelled light garments flagged`);
    assert.ok(unlabelledFlagged < 20, `of the 200 unlabelled light garments ${unlabelledFlagged} stay flagged (${before} of 300 before)`);
    assert.ok(set.scoreAt(set.slotsByScore()[0]) > 2 && set.pathAt(set.slotsByScore()[0]) === 'blank/0.png', 'the blank image still heads the ranking');

    // The panel's export says where its known inliers came from and carries the tails in force.
    const file = path.join(folder, 'export.json');
    await writePanelExport(file, { resultSet: set, threshold: { value: 2, method: 'absolute' }, rows: 'all', format: 'json', findings: NO_FOLDER_FINDINGS });
    const exported = JSON.parse(fs.readFileSync(file, 'utf8')) as OutlierExport;
    assert.equal(exported.verdict.kind === 'calibrated' && exported.verdict.calibration, 'training hold-out and 100 images labelled inliers in this folder');
    assert.equal(exported.counts.outliers, set.slotsByScore().filter((slot) => set.scoreAt(slot) > 2).length);

    // Taking the labels away gives back the scan's own tails, bit for bit.
    set.setGroundTruth(GroundTruthRules.none);
    assert.equal(set.calibration.labelledInliers, 0);
    assert.equal(flaggedLight(set), before);
    for (const image of images) {
      const slot = set.slotsByScore().find((candidate) => set.pathAt(candidate) === image.relativePath) as number;
      assert.equal(set.scoreAt(slot), image.outlierScore);
    }
    set.dispose();
  });

  it('takes labels in while a scan streams only when it ends, and re-tails images that arrive after', () => {
    const set = new ResultSet('scan', '/folder', detector, ResultStore.create(path.join(folder, 'b.jsonl'), { kind: 'test' }));
    set.add(images.slice(0, 150), []);
    set.setGroundTruth(labelled(100));
    assert.equal(set.calibration.labelledInliers, 0, 'not while results stream');
    set.finish();
    assert.equal(set.calibration.labelledInliers, 100);
    set.add(images.slice(150), []);
    const extended = calibrationWithInliers(calibration, images.slice(0, 100), 'extended');
    const late = images[250];
    const slot = set.slotsByScore().find((candidate) => set.pathAt(candidate) === late.relativePath) as number;
    assert.equal(set.scoreAt(slot), judgeImage({ ...late, tailProbabilities: undefined, outlierScore: undefined, reasons: undefined }, extended, CALIBRATED_SIGNALS).outlierScore);
    set.dispose();
  });
});
