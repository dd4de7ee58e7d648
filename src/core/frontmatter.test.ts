import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseDocument, isMap, isSeq, isScalar, Node as YamlNode, Pair } from 'yaml';
import { readFrontMatter, keyRange, keyNameRange, itemRange, topLevelKeys, nestedKeyStart, FrontMatter, plainData } from './frontmatter';

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

describe('front matter: the js-yaml fast path', () => {
  const OPTS = { prettyErrors: false, uniqueKeys: true } as const;
  /** Pieces of scalars, chosen where YAML readers are known to part ways. */
  const PIECES = [
    'a',
    'Post 12',
    'outbox',
    ' ',
    '  ',
    ':',
    ': ',
    ' :',
    '#',
    ' #c',
    '-',
    '- ',
    '?',
    ' ?',
    ',',
    ', ',
    '[',
    ']',
    '{',
    '}',
    "'",
    "''",
    '"',
    '\\',
    '\\n',
    '\\u00e9',
    '&a',
    '*a',
    '!',
    '!!str',
    '|',
    '>',
    '%',
    '@',
    '`',
    '<<',
    '~',
    '.',
    '..',
    'true',
    'True',
    'TRUE',
    'yes',
    'No',
    'off',
    'null',
    'Null',
    'NULL',
    '0',
    '12',
    '-3',
    '+1',
    '012',
    '0o17',
    '0x1F',
    '0b11',
    '1_000',
    '1e3',
    '+.5e-3',
    '.5',
    '1.',
    '.inf',
    '-.Inf',
    '.NaN',
    '2026-03-05T09:00:00Z',
    '2026-03-05',
    '12:30',
    '1:20:03',
    '\u00e9',
    '\u{1F600}',
    '\u200F',
    '\u200B',
    '\t',
    '\r',
    '\u0085',
    '\uFEFF',
    '\ud800',
    '\udc00',
    '=',
    '<',
    'x y',
  ];
  const piece = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom('a', 'Post 12', 'outbox', ' ', 'x y', '\u00e9', '2026-03-05T09:00:00Z') },
    { weight: 1, arbitrary: fc.constantFrom(...PIECES) },
  );
  const scalar = fc.array(piece, { minLength: 0, maxLength: 4 }).map((a) => a.join(''));
  const quoted = scalar.map((s) => `"${s.replace(/["\\]/g, '')}"`);
  const single = scalar.map((s) => `'${s.replace(/'/g, "''")}'`);
  const value = fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: quoted }, { weight: 1, arbitrary: single });
  const flow = fc.array(value, { maxLength: 4 }).map((a) => `[${a.join(', ')}]`);
  const key = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom('title', 'channels', 'status', 'publish_at', 'tags', 'x-y', '_k', 'Title') },
    { weight: 1, arbitrary: fc.constantFrom('1', 'true', 'null', 'a b', '\u00e9', '"q"', '? k', '-') },
  );
  const item = fc.tuple(fc.constantFrom('  - ', '- ', '    - ', '  -', ' - '), value).map((t) => t.join(''));
  const entry = fc.oneof(
    {
      weight: 14,
      arbitrary: fc.tuple(key, fc.constantFrom(': ', ': ', ': ', ':', ':  ', ' : '), fc.oneof(value, flow)).map((t) => t.join('')),
    },
    {
      weight: 4,
      arbitrary: fc.tuple(key, fc.array(item, { minLength: 1, maxLength: 3 })).map(([k, items]) => `${k}:\n${items.join('\n')}`),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(' ', '  ', '    '), value).map((t) => t.join('')) },
    { weight: 1, arbitrary: fc.constantFrom('', '# comment', '  # c', '\r', '...', '---', '- stray') },
  );
  const doc = fc
    .tuple(fc.uniqueArray(entry, { maxLength: 6, selector: (e) => e.split(':')[0] }), fc.constantFrom('\n', '\r\n'))
    .map(([ls, eol]) => ls.join('\n').replace(/\n/g, eol) + eol);

  /** Well-formed lines only (unique plain keys, one indent per sequence): the scalars' reading is what is tested. */
  const wellFormed = fc
    .tuple(
      fc.uniqueArray(fc.constantFrom('title', 'channels', 'status', 'publish_at', 'tags', 'x-y', '_k', 'Title'), { maxLength: 5 }),
      fc.array(fc.oneof(value, flow, fc.array(value, { minLength: 1, maxLength: 3 })), { minLength: 5, maxLength: 5 }),
      fc.constantFrom('  ', '', '    '),
      fc.constantFrom('\n', '\r\n'),
    )
    .map(
      ([keys, values, indent, eol]) =>
        keys
          .map((k, i) => {
            const v = values[i];
            return Array.isArray(v) ? `${k}:${v.map((x) => `${eol}${indent}- ${x}`).join('')}` : `${k}: ${v}`;
          })
          .join(eol) + eol,
    );

  for (const [name, docs, minFast] of [
    ['any lines', doc, 1_500],
    ['well-formed lines', wellFormed, 5_000],
  ] as const)
    it(`takes the fast path only where \`yaml\` reads the same value, keys and order, with no error (property: ${name})`, () => {
      let fast = 0;
      let slow = 0;
      fc.assert(
        fc.property(docs, (yaml) => {
          const got = plainData(yaml);
          if (!got) return void slow++;
          fast++;
          const ref = parseDocument(yaml, OPTS);
          assert.deepEqual(
            ref.errors.map((e) => e.message),
            [],
            'yaml reports no error',
          );
          const js = ref.toJS() as Record<string, unknown>;
          assert.deepEqual(got.data, js);
          assert.deepEqual(
            got.keys,
            isMap(ref.contents) ? ref.contents.items.map((p) => String((p.key as { value?: unknown }).value)) : [],
          );
        }),
        { seed: 12, numRuns: 20_000 },
      );
      assert.ok(fast > minFast && slow > 1_000, `both paths were taken (fast ${fast}, slow ${slow})`);
    });

  it('reads a usual post on the fast path, and its ranges still come from the document', () => {
    const text =
      '---\ntitle: Spring timetable\nchannels: [bluesky, mastodon]\nstatus: scheduled\npublish_at: 2026-03-05T09:00:00+01:00\ntags:\n  - buses\n---\nBody.\n';
    const yaml = text.slice(4, text.indexOf('\n---', 4) + 1);
    assert.ok(plainData(yaml), 'fast path taken');
    const fm = readFrontMatter(text)!;
    const ref = reference(fm);
    assert.deepEqual(fm.data, ref.doc.toJS());
    assert.deepEqual(topLevelKeys(fm), ['title', 'channels', 'status', 'publish_at', 'tags']);
    assert.deepEqual(itemRange(fm, 'channels', 1), ref.itemRange('channels', 1));
    assert.equal(text.slice(keyRange(fm, 'publish_at')!.start, keyRange(fm, 'publish_at')!.end), '2026-03-05T09:00:00+01:00');
  });

  it('leaves to `yaml` what js-yaml would read differently or without its errors', () => {
    for (const yaml of [
      'n: +.5e-3\n',
      'n: 0b11\n',
      'n: 12\n',
      'a: 1\na: 2\n',
      'a: &x 1\nb: *x\n',
      'a: "t\\tb"\n',
      'a: |\n  x\n',
      'a:\n  b: c\n',
      'a: [x\n',
      '1: x\n',
      'a: ""\n',
    ])
      assert.equal(plainData(yaml), undefined, JSON.stringify(yaml));
  });
});
