import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseDocument, isMap, isSeq, isScalar, Node as YamlNode, Pair } from 'yaml';
import { readFrontMatter, keyRange, keyNameRange, itemRange, topLevelKeys, nestedKeyStart, FrontMatter } from './frontmatter';

/** The range helpers as they were when every front matter kept its document: read from a fresh parse. */
function reference(fm: FrontMatter) {
  const doc = parseDocument(fm.yaml, { prettyErrors: false, uniqueKeys: true });
  const find = (key: string): Pair | undefined =>
    isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
  const at = (range: readonly number[] | null | undefined) =>
    range ? { start: fm.yamlStart + range[0], end: fm.yamlStart + range[1] } : undefined;
  const keyRangeRef = (key: string) => {
    const pair = find(key);
    if (!pair) return undefined;
    const node = (pair.value as YamlNode | null) ?? (pair.key as YamlNode);
    return at(node?.range ?? (pair.key as YamlNode)?.range);
  };
  return {
    doc,
    keyRange: keyRangeRef,
    keyNameRange: (key: string) => at((find(key)?.key as YamlNode | undefined)?.range),
    itemRange: (key: string, i: number) => {
      const pair = find(key);
      if (!pair || !isSeq(pair.value)) return keyRangeRef(key);
      return at((pair.value.items[i] as YamlNode | undefined)?.range) ?? keyRangeRef(key);
    },
    topLevelKeys: () => (isMap(doc.contents) ? doc.contents.items.map((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key))) : []),
  };
}

describe('front matter: ranges from the outline kept instead of the document', () => {
  const KEYS = ['title', 'channels', 'status', 'publish_at', 'rules', 'x', '1', 'null', '"quoted"', '<<'];
  const VALUES = [
    ' A title',
    ' [outbox, bluesky]',
    ' [outbox, [x]]',
    ' []',
    '',
    ' ~',
    ' null',
    ' 12',
    ' "two\n  lines"',
    '\n  - a\n  - b',
    '\n  - \n  - c',
    '\n  sub: 1\n  other: two',
    ' &a [x, y]',
    ' *a',
    ' !!str 5',
    ' {a: 1, b: [2]}',
    ' |\n  text\n  more',
    ' # comment',
    ' bad: nested: colon',
    ' [unclosed',
  ];
  const line = fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES)).map(([k, v]) => `${k}:${v}`);
  const junk = fc.constantFrom('', '# c', '  indented: 1', '- item', 'plain text', '\t');
  it('gives the same ranges, keys and document as a fresh parse (property)', () => {
    let withErrors = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 6, arbitrary: line }, { weight: 1, arbitrary: junk }), { maxLength: 7 }), (lines) => {
        const text = `---\n${lines.join('\n')}\n---\nBody.\n`;
        const fm = readFrontMatter(text)!;
        const ref = reference(fm);
        if (fm.errors.length) withErrors++;
        assert.deepEqual(topLevelKeys(fm), ref.topLevelKeys());
        for (const k of ['title', 'channels', 'status', 'publish_at', 'rules', 'x', '1', 'null', 'quoted', '<<', 'missing']) {
          assert.deepEqual(keyRange(fm, k), ref.keyRange(k), k);
          assert.deepEqual(keyNameRange(fm, k), ref.keyNameRange(k), k);
          for (let i = 0; i < 3; i++) assert.deepEqual(itemRange(fm, k, i), ref.itemRange(k, i), `${k}[${i}]`);
        }
        const shown = (d: { toString(): string }) => {
          try {
            return d.toString();
          } catch (e) {
            return `throws ${(e as Error).message}`;
          }
        };
        assert.equal(shown(fm.doc), shown(ref.doc));
        assert.deepEqual(
          fm.doc.errors.map((e) => e.message),
          ref.doc.errors.map((e) => e.message),
        );
      }),
      { seed: 5, numRuns: 1500 },
    );
    assert.ok(withErrors > 50, `the property saw front matters with errors (${withErrors})`);
  });
  it('parses the document again only when asked for, and then keeps it', () => {
    const fm = readFrontMatter('---\ntitle: A\nrules:\n  institutional-voice: off\n---\n')!;
    assert.equal(fm.doc, fm.doc);
    assert.equal(nestedKeyStart(fm, 'rules', 'institutional-voice'), '---\ntitle: A\nrules:\n  '.length);
    assert.deepEqual(fm.data, { title: 'A', rules: { 'institutional-voice': 'off' } });
  });
  it('reads the outline of a front matter built by hand from its own document', () => {
    const yaml = '? [k]\n: 1\ntitle: T\nchannels: [a, b]\n';
    const fm: FrontMatter = {
      start: 0,
      end: 0,
      yamlStart: 4,
      yaml,
      doc: parseDocument(yaml),
      data: { title: 'T', channels: ['a', 'b'] },
      errors: [],
      closed: true,
    };
    assert.deepEqual(topLevelKeys(fm), ['["k"]', 'title', 'channels']);
    assert.deepEqual(topLevelKeys(fm), reference(fm).topLevelKeys());
    assert.deepEqual(itemRange(fm, 'channels', 1), { start: 4 + yaml.indexOf('b'), end: 5 + yaml.indexOf('b') });
  });
});
