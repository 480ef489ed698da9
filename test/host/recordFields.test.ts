// Reading a record's index fields without parsing it whole: the same values JSON.parse gives, for
// records with escapes, non-ASCII paths and nested keys of the same names; null for lines that are
// not one object.
import * as assert from 'assert';
import { FieldReader, fieldSource } from '../../src/extension/results/recordFields';
import { INDEX_FIELDS } from '../../src/extension/results/resultStore';

const reader = new FieldReader(INDEX_FIELDS);

function readLine(line: string): ReturnType<typeof reader.read> {
  // Inside a chunk, as the store reads it: other lines before and after.
  const bytes = Buffer.from(`{"before":1}\n${line}\n{"after":2}`, 'utf8');
  const start = Buffer.byteLength('{"before":1}\n', 'utf8');
  return reader.read(fieldSource(bytes), start, start + Buffer.byteLength(line, 'utf8'));
}

/** The index fields as JSON.parse of the whole line gives them. */
function expected(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(INDEX_FIELDS).flatMap((name) => (name in record ? [[name, record[name]]] : [])));
}

describe('record fields read without parsing the record', () => {
  it('gives what JSON.parse gives for the index fields, whatever else the record holds', () => {
    const paths = ['a/b.png', 'naïve/日本/ü.png', 'quote"and\\backslash.png', 'tab\there\nnewline.png', 'brace}{[.png', 'emoji-😀.png', 'x'];
    let checked = 0;
    for (const [i, relativePath] of paths.entries()) {
      for (const order of [0, 1]) {
        const fields: Array<[string, unknown]> = [
          ['kind', 'scored'],
          ['relativePath', relativePath],
          ['instanceScore', [-1.5e-7, 0, 123.456, -9007199254740991, 1e300][i % 5]],
          ['semanticLogProb', -1800.25],
          // Nested objects and arrays whose keys are the index's own names must not be read as them.
          ['measures', { size: 99, relativePath: 'nested', arr: [1, [2, { mtimeMs: 3 }], '}"'], pixelHash: 'ab\\"cd' }],
          ['size', 300 + i],
          ['mtimeMs', 1_765_000_000_000.5 + i],
          ['reasons', ['llr', 'blank']],
          ['greyAsRgb', null],
          ['flag', true],
          ...(i % 2 === 0 ? [['contentDigest', `digest-${i}`] as [string, unknown]] : []),
        ];
        const record = Object.fromEntries(order === 0 ? fields : [...fields].reverse());
        for (const text of [JSON.stringify(record), JSON.stringify(record, null, 2).replace(/\n/g, ' ')]) {
          assert.deepStrictEqual(readLine(text), expected(JSON.parse(text) as Record<string, unknown>), text);
          checked++;
        }
      }
    }
    assert.strictEqual(checked, paths.length * 4);
  });

  it('leaves out a field whose value is of another kind, and reads an empty object', () => {
    assert.deepStrictEqual(readLine('{"kind":"scored","relativePath":7,"instanceScore":"1","size":null,"mtimeMs":[1],"contentDigest":{"a":1}}'), { kind: 'scored' });
    assert.deepStrictEqual(readLine('{}'), {});
    assert.deepStrictEqual(readLine(' { } '), {});
  });

  it('gives null for a line that is not one object: cut, unclosed, trailing text, missing colon or comma, an array', () => {
    const whole = JSON.stringify({ kind: 'scored', relativePath: 'a.png', instanceScore: 1, size: 2, mtimeMs: 3, measures: { a: [1, 2] } });
    for (let cut = 1; cut < whole.length; cut++) assert.strictEqual(readLine(whole.slice(0, cut)), null, whole.slice(0, cut));
    for (const bad of [`${whole}x`, `${whole}{}`, '{"kind" "scored"}', '{"kind":"scored" "size":1}', '[1,2]', '', 'null', '{"kind":"scored",}', '{kind:"scored"}']) {
      assert.strictEqual(readLine(bad), null, bad);
    }
  });
});
