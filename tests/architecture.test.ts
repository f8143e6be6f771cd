import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { areaLevels, requestStatuses, staffRoles } from '../api/contract/vocabulary.ts';

// The shape the code keeps (issue 13, docs/architecture.md): one vocabulary, one client, routes
// imported only by the app, and an API that needs nothing of the web. Read from the files, so a
// change that breaks the shape fails here with the file and line.

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return /\.(ts|svelte)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

const lines = (file: string) => readFileSync(join(root, file), 'utf8').split('\n').map((text, i) => ({ file, line: i + 1, text }));
const code = [...sources('api'), ...sources('web/src'), ...sources('scripts')];

/** Lines that write two or more words of one list next to each other: a copy of the list. */
function listsOf(words: readonly string[]) {
  const word = `'(?:${words.join('|')})'`;
  const pair = new RegExp(`${word}\\s*[,|]\\s*${word}`);
  return code.filter((f) => !f.startsWith('api/contract/') && !f.startsWith('api/db/migrations/'))
    .flatMap(lines).filter((l) => pair.test(l.text)).map((l) => `${relative(root, join(root, l.file))}:${l.line}`);
}

describe('the shape of the code', () => {
  it('writes the status list only in the vocabulary (demo history writes steps, not lists)', () => {
    expect(listsOf(requestStatuses).filter((at) => !at.startsWith('api/demo/history.ts'))).toEqual([]);
  });

  it('writes the area levels only in the vocabulary', () => {
    expect(listsOf(areaLevels)).toEqual([]);
  });

  it('writes the staff roles only in the vocabulary', () => {
    expect(listsOf(staffRoles)).toEqual([]);
  });

  it('lets the API import nothing from the web app', () => {
    const offending = sources('api').flatMap(lines).filter((l) => /from '[^']*\/web\//.test(l.text));
    expect(offending.map((l) => `${l.file}:${l.line}`)).toEqual([]);
  });

  it('calls the API from the web only through the typed client and the live stream', () => {
    const allowed = new Set(['web/src/lib/api/client.ts', 'web/src/lib/api/live.svelte.ts']);
    const offending = sources('web/src').filter((f) => !allowed.has(f)).flatMap(lines)
      .filter((l) => /\bfetch\(|new EventSource\(/.test(l.text));
    expect(offending.map((l) => `${l.file}:${l.line}`)).toEqual([]);
  });

  it('imports route files only from the app', () => {
    const offending = code.filter((f) => f !== 'api/app.ts').flatMap(lines).filter((l) => /from '[^']*routes\/[a-z-]+\.ts'/.test(l.text));
    expect(offending.map((l) => `${l.file}:${l.line}`)).toEqual([]);
  });

  it('imports from the API in the web only the shared contract, and the app for its route types', () => {
    const target = (l: { file: string; text: string }) => {
      const from = /from '(\.[^']*)'/.exec(l.text)?.[1];
      return from ? relative(root, join(root, dirname(l.file), from)) : null;
    };
    const offending = sources('web/src').flatMap(lines)
      .filter((l) => target(l)?.startsWith('api/'))
      .filter((l) => !target(l)!.startsWith('api/contract/') && !(target(l) === 'api/app.ts' && /^\s*import type /.test(l.text)));
    expect(offending.map((l) => `${l.file}:${l.line}: ${l.text.trim()}`)).toEqual([]);
  });
});
