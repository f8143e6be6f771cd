import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { numeralVariants, tokenize } from '../../api/contract/address.ts';

describe('reading what people type', () => {
  it('splits building and unit numbers out of running text', () => {
    expect(tokenize('十号院3号楼2单元')).toEqual([
      { kind: 'text', text: '十号院' },
      { kind: 'building', number: '3', raw: '3号楼' },
      { kind: 'unit', number: '2', raw: '2单元' },
    ]);
  });

  it('understands 三号楼, 3栋, full-width digits and the riders\u2019 3-2', () => {
    expect(tokenize('三号楼')).toEqual([{ kind: 'building', number: '3', raw: '3号楼' }]);
    expect(tokenize('3栋 2单元').map((t) => t.kind)).toEqual(['building', 'unit']);
    expect(tokenize('３号楼')).toEqual([{ kind: 'building', number: '3', raw: '3号楼' }]);
    expect(tokenize('3-2')).toEqual([
      { kind: 'building', number: '3', raw: '3号楼' }, { kind: 'unit', number: '2', raw: '2单元' },
    ]);
  });

  it('keeps a compound\u2019s own number as text (42号院 is a name, not building 42)', () => {
    expect(tokenize('友谊路42号院')).toEqual([{ kind: 'text', text: '友谊路42号院' }]);
  });
});

describe('numerals written both ways', () => {
  it('reads Chinese numerals as digits and digits as Chinese numerals, up to 二十三 and beyond ten', () => {
    expect(numeralVariants('10号院')).toEqual(['10号院', '十号院']);
    expect(numeralVariants('十号院')).toEqual(['十号院', '10号院']);
    expect(numeralVariants('11号院')).toContain('十一号院');
    expect(numeralVariants('二十三号院')).toContain('23号院');
    expect(numeralVariants('23号院')).toContain('二十三号院');
    expect(numeralVariants('２０号院')).toEqual(['20号院', '二十号院']);
  });
});

describe.each(modes())('searching places on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });
  const search = async (q: string, extra = '') => (await t.get(`/api/search?q=${encodeURIComponent(q)}${extra}`)).json();

  it('puts the building first for a compound and a building number with a space', async () => {
    const { results } = await search('十号院 3号楼');
    expect(results[0]).toMatchObject({ type: 'building', label: '十号院 3号楼', compoundId: 'MS-C001' });
    expect(typeof results[0].lon).toBe('number');
  });

  it.each([['10号院', '十号院'], ['１０号院', '十号院'], ['23号院', '二十三号院'], ['十一号院', '十一号院'], ['友谊路三十号院', '友谊路30号院']])(
    'finds the compound for %s however its numerals are written (%s)', async (q, name) => {
      const { results } = await search(q);
      expect(results[0]).toMatchObject({ type: 'compound', name });
    });

  it('tells apart places of the same name by the grid they lie in, and lists each place once', async () => {
    const { results } = await search('3号楼', '&limit=20');
    expect(results.length).toBeGreaterThan(4);
    for (const r of results) expect(r.area).toMatch(/社区/);
    const rows = results.map((r: any) => `${r.label} ${r.area}`);
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('finds the unit entrance for 3号楼2单元 typed without spaces', async () => {
    const { results } = await search('十号院3号楼2单元');
    expect(results[0]).toMatchObject({ type: 'entrance', name: '2单元', label: '十号院 3号楼 2单元' });
  });

  it('does not take 13号楼 for 3号楼', async () => {
    const { results } = await search('3号楼', '&limit=50');
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.label).not.toMatch(/(^|[^0-9])1[0-9]*3号楼/);
    expect(results.every((r: any) => /(^|[^0-9])3号楼/.test(r.label))).toBe(true);
  });

  it('ranks the road named exactly before places that only start with its name', async () => {
    const { results } = await search('学生路');
    expect(results[0]).toMatchObject({ type: 'road', name: '学生路' });
    expect(results.some((r: any) => r.type === 'area' && r.name === '学生路社区')).toBe(true);
    const rank = (r: any) => (r.name === '学生路' ? 0 : r.name.startsWith('学生路') ? 1 : 2);
    const ranks = results.map(rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('matches part of a name in the middle', async () => {
    const { results } = await search('食堂');
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r: any) => r.label.includes('食堂'))).toBe(true);
  });

  it('treats %, _, quotes and backslashes as plain characters', async () => {
    for (const q of ['%', '_', '%%', "'", '"', "' OR 1=1 --", '\\', '十号院%', '_号楼']) {
      const res = await t.get(`/api/search?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect((await res.json()).results, q).toEqual([]);
    }
  });

  it('answers 400 for an empty, blank or overlong query and a bad limit', async () => {
    for (const path of ['/api/search', '/api/search?q=', '/api/search?q=%20%20', `/api/search?q=${'楼'.repeat(101)}`, '/api/search?q=a&limit=0', '/api/search?q=a&limit=x']) {
      const res = await t.get(path);
      expect(res.status, path).toBe(400);
    }
  });

  it('honours the limit', async () => {
    const { results } = await search('号楼', '&limit=3');
    expect(results).toHaveLength(3);
  });
});
