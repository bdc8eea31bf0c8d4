import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { memberNamed, parseJsonTree, type JsonNode } from '../../../../src/core/fixes/jsonTree';

/** The plain value of a tree, to compare with JSON.parse. */
function plain(node: JsonNode): unknown {
  if (node.type === 'object') return Object.fromEntries(node.members.map((member) => [member.name, plain(member.value)]));
  if (node.type === 'array') return node.items.map(plain);
  return node.value;
}

describe('parseJsonTree', () => {
  it('parses what JSON.parse parses, to the same value, with each value\'s exact range', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const tree = parseJsonTree(text);
        assert.ok(tree);
        assert.deepEqual(plain(tree), JSON.parse(text));
        assert.deepEqual(JSON.parse(text.slice(tree.start, tree.end)), JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps where every member begins and ends', () => {
    const text = '{\n  "env": {\n    "A": "x",\n    "B": [1, 2]\n  }\n}\n';
    const root = parseJsonTree(text);
    assert.equal(root?.type, 'object');
    const env = memberNamed(root as Extract<JsonNode, { type: 'object' }>, 'env')!.value as Extract<JsonNode, { type: 'object' }>;
    assert.deepEqual(env.members.map((member) => text.slice(member.start, member.end)), ['"A": "x"', '"B": [1, 2]']);
  });

  it('refuses what is not strict JSON instead of guessing: comments, trailing commas, single quotes, junk after', () => {
    for (const text of ['{ // c\n}', '{"a": 1,}', "{'a': 1}", '{"a": 1} x', '{"a": 01}', '{"a": "\u0001"}', '', '{"a"']) {
      assert.equal(parseJsonTree(text), undefined, text);
    }
  });

  it('accepts a byte order mark before the value', () => assert.equal(parseJsonTree('\uFEFF{}')?.type, 'object'));

  it('refuses nesting deeper than any settings file, without exhausting the stack', () => {
    assert.equal(parseJsonTree('['.repeat(100_000) + ']'.repeat(100_000)), undefined);
    assert.equal(parseJsonTree('['.repeat(200) + ']'.repeat(200))?.type, 'array');
  });

  it('takes the last of duplicate members, as JSON.parse does', () => {
    const root = parseJsonTree('{"a": 1, "a": 2}') as Extract<JsonNode, { type: 'object' }>;
    assert.equal((memberNamed(root, 'a')!.value as { value: number }).value, 2);
  });
});
