import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readYaml, sentence } from '../../../src/bench/config/issue-location.js';
import { UsageError } from '../../../src/errors.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;

/** A small schema worded as issue-location expects: accepted phrases, a hint, a sentence, strict mappings. */
const port = z.unknown().transform((input, ctx) => {
  if (typeof input === 'number' && Number.isInteger(input)) return input;
  const hint = typeof input === 'string' && /^\d+$/.test(input) ? 'write it without quotes' : undefined;
  ctx.addIssue({ code: 'custom', message: 'a whole number', params: { hint } });
  return z.NEVER;
});
const strict = <Shape extends z.ZodRawShape>(shape: Shape) => {
  const keys = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? keys : `a mapping with the fields ${keys}`),
  });
};
const schema = strict({
  name: z.string({ error: 'a string' }),
  server: strict({ host: z.string({ error: 'a string' }), port }).optional(),
  tags: z.array(z.string({ error: 'a string' }), { error: 'a list of strings' }).optional(),
  note: z.unknown().optional(),
}).superRefine((value, ctx) => {
  if (value.tags?.includes(value.name)) sentence(ctx, ['tags'], 'tags must not repeat the name');
});

function problem(text: string): string {
  const yaml = readYaml(text, 'c.yaml');
  const result = schema.safeParse(yaml.data);
  if (result.success) throw new Error('expected the schema to refuse the file');
  return yaml.problem(result.error.issues, 'the file');
}

describe('readYaml: where each value is written', () => {
  const yaml = readYaml(
    lines(
      'name: api',
      'server:',
      '  host: localhost',
      '  port: 6379',
      'tags: [a, b]',
      'base: &base { host: h }',
      'copy: *base',
    ),
    'c.yaml',
  );

  it('reads the document as plain data, aliases resolved', () => {
    expect(yaml.empty).toBe(false);
    expect(yaml.data).toMatchObject({ name: 'api', server: { host: 'localhost', port: 6379 }, copy: { host: 'h' } });
  });

  it('points at a value, nested or in a list, by line and column', () => {
    expect(yaml.where(['name'])).toBe('c.yaml:1:7');
    expect(yaml.where(['server', 'port'])).toBe('c.yaml:4:9');
    expect(yaml.where(['tags', 1])).toBe('c.yaml:5:11');
  });

  it('points at the alias where an aliased value is used, and through it at the aliased nodes', () => {
    expect(yaml.where(['copy'])).toBe('c.yaml:7:7');
    expect(yaml.where(['copy', 'host'])).toBe('c.yaml:6:21');
  });

  it('points at the deepest node on the way when the path is not there, and at the start for the root', () => {
    expect(yaml.where(['server', 'user'])).toBe('c.yaml:3:3');
    expect(yaml.where([])).toBe('c.yaml:1:1');
  });

  it('says that a file with no document is empty', () => {
    const empty = readYaml('# nothing here\n', 'e.yaml');
    expect(empty).toMatchObject({ empty: true, data: undefined });
    expect(empty.where([])).toBe('e.yaml:1:1');
  });

  it('refuses a syntax error with a UsageError at its place', () => {
    expect(() => readYaml(lines('name: a', 'name: b'), 'c.yaml')).toThrow(
      new UsageError('c.yaml:2:1: invalid YAML: Map keys must be unique'),
    );
    expect(() => readYaml(lines('name: "a', 'x: 1'), 'c.yaml')).toThrow(/^c\.yaml:3:1: invalid YAML: Missing closing/);
  });

  it('refuses an alias bomb, which the parser accepts but cannot expand', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const level of 'bcdefg') {
      const previous = String.fromCharCode(level.charCodeAt(0) - 1);
      bomb.push(`${level}: &${level} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    expect(() => readYaml(lines(...bomb), 'c.yaml')).toThrow(/^c\.yaml:1:1: invalid YAML: .*alias/i);
  });
});

describe('YamlFile.problem: a zod issue as one line at its place', () => {
  it('a wrong value: the field, what it must be, what it got, and the hint', () => {
    expect(problem(lines('name: api', 'server: { host: h, port: many }'))).toBe(
      'c.yaml:2:26: server.port must be a whole number (got "many")',
    );
    expect(problem(lines('name: api', 'server: { host: h, port: "6379" }'))).toBe(
      'c.yaml:2:26: server.port must be a whole number (got "6379"); write it without quotes',
    );
    expect(problem(lines('name: api', 'tags: [a, 7]'))).toBe('c.yaml:2:11: tags[1] must be a string (got 7)');
  });

  it('shows a list or a mapping by its kind, and cuts a long value', () => {
    expect(problem(lines('name: [a]'))).toBe('c.yaml:1:7: name must be a string (got a list)');
    expect(problem(lines('name: { a: 1 }'))).toBe('c.yaml:1:7: name must be a string (got a mapping)');
    expect(problem(lines('name: api', `server: { host: h, port: "${'9'.repeat(80)}x" }`))).toMatch(
      /\(got "9{56}\.\.\.\)$/,
    );
  });

  it('the root by the name it is given', () => {
    expect(problem(lines('- a'))).toBe(
      'c.yaml:1:1: the file must be a mapping with the fields name, server, tags, note (got a list)',
    );
  });

  it('an unknown field at its key, with the closest accepted name', () => {
    expect(problem(lines('name: api', 'server: { host: h, prot: 1 }'))).toBe(
      'c.yaml:2:20: unknown field "prot" in server; did you mean "port"? (accepted: host, port)',
    );
    expect(problem(lines('name: api', 'colour: red'))).toBe(
      'c.yaml:2:1: unknown field "colour" (accepted: name, server, tags, note)',
    );
  });

  it('a missing field at the mapping that lacks it, after every other problem', () => {
    expect(problem(lines('name: api', 'server:', '  port: 1'))).toBe(
      'c.yaml:3:3: missing field "server.host"; it must be a string',
    );
    expect(problem(lines('server:', '  port: 1', 'tags: [1]'))).toBe('c.yaml:3:8: tags[0] must be a string (got 1)');
  });

  it('a sentence as it is written, at its path', () => {
    expect(problem(lines('name: a', 'tags: [a]'))).toBe('c.yaml:2:7: tags must not repeat the name');
  });

  it('the problem that comes first in the file, not first in the schema', () => {
    expect(problem(lines('tags: [1]', 'name: 5'))).toBe('c.yaml:1:8: tags[0] must be a string (got 1)');
  });
});
