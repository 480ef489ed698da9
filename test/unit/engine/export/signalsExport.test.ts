import * as assert from 'node:assert/strict';
import { buildOutlierExport, toCsv, validateOutlierExport } from '../../../../src/engine/export';
import type { ScoredImage } from '../../../../src/protocol/scanResults';

const measures = { brightness: 0, entropy: 0, sharpness: 0, greyAsRgb: null, sourceWidth: 28, sourceHeight: 28, pixelHash: 'aa', perceptualHash: '0'.repeat(16), thumbnail: '00'.repeat(64) };
const base = { semanticLogProb: -100, backgroundLogProb: -90, size: 1, mtimeMs: 0 };
const items: ScoredImage[] = [
  { ...base, relativePath: 'blank.png', instanceScore: -40, outlierScore: 12.5, reasons: ['low-information', 'blurry', 'exact-duplicate'], tailProbabilities: { llr: 0.9, information: 1e-13 }, measures },
  { ...base, relativePath: 'shirt.png', instanceScore: 3, outlierScore: 0.4, reasons: [], tailProbabilities: { llr: 0.2, information: 0.5 } },
  { ...base, relativePath: 'digit.png', instanceScore: 80, outlierScore: 2.6, reasons: ['llr'], tailProbabilities: { llr: 5e-4, information: 0.4 } },
];
const input = {
  detector: { name: 'd', manifestSha256: 'a'.repeat(64) },
  folder: '/data',
  threshold: { method: 'absolute' as const, value: 50 },
  items,
  failures: [{ relativePath: 'bad.png', reason: 'truncated PNG' }],
  signals: ['llr', 'checks', 'duplicates'] as const,
  duplicates: { exact: [['blank.png', 'blank-2.png']], near: [] },
};

describe('the export with signals (format 2)', () => {
  it('ranks and flags by the calibrated verdict, carrying every signal and reason, and validates', () => {
    const exported = buildOutlierExport({ ...input, calibrated: { signals: ['llr', 'information'], calibration: 'training hold-out' } });
    assert.equal(exported.formatVersion, 2);
    assert.equal(exported.verdict.kind, 'calibrated');
    assert.deepEqual(exported.items.map((item) => [item.path, item.isOutlier, item.llr]), [['blank.png', true, -40], ['digit.png', true, 80], ['shirt.png', false, 3]]);
    assert.deepEqual(exported.items[0].reasons, ['low-information', 'blurry', 'exact-duplicate']);
    assert.deepEqual(validateOutlierExport(JSON.parse(JSON.stringify(exported))), []);
    const csv = toCsv(exported).split('\n');
    assert.match(csv[0], /^rank,path,score,is_outlier,llr,semantic_log_prob,background_log_prob,reasons,p_llr,p_typicality,p_brightness,p_information,p_sharpness,brightness,/);
    assert.match(csv[1], /^1,blank\.png,12\.5,1,-40,-100,-90,low-information;blurry;exact-duplicate,0\.9,,,1e-13,,0,0,0,,28,28,aa,0{16},$/);
    assert.equal(csv[4].split(',').length, csv[0].split(',').length);
  });

  it('falls back to the LLR threshold without a calibrated verdict (a detector without calibration, or only duplicates asked for)', () => {
    const exported = buildOutlierExport(input);
    assert.equal(exported.verdict.kind, 'llr-threshold');
    assert.deepEqual(exported.items.map((item) => [item.path, item.isOutlier]), [['digit.png', true], ['shirt.png', false], ['blank.png', false]]);
    assert.deepEqual(validateOutlierExport(exported), []);
  });

  it('tells a reader of an older version to update, and finds a flag that disagrees with the verdict', () => {
    const exported = buildOutlierExport({ ...input, calibrated: { signals: ['llr'], calibration: 'x' } });
    assert.deepEqual(validateOutlierExport({ ...exported, formatVersion: 3 }), ['export format version 3 is newer than this Outlier Lens reads (1–2): update Outlier Lens']);
    const tampered = { ...exported, items: exported.items.map((item, i) => (i === 2 ? { ...item, isOutlier: true } : item)) };
    assert.deepEqual(validateOutlierExport(tampered), ['items[2].isOutlier disagrees with the verdict']);
  });
});
