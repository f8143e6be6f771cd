import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMasterKey, nameIndex, seal, unseal, type CareKeys } from './seal.ts';

const keysOf = (key: Buffer): CareKeys => ({
  seal: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'gridmap care seal v1', 32)),
  index: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'gridmap care name index v1', 32)),
  source: 'test',
});

describe('the care ledger\u2019s key and seal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'care-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the key file on first use, 0600 in a 0700 folder, and reads the same key after', () => {
    const file = join(dir, 'keys', 'care.key');
    const first = loadMasterKey({ CARE_KEY_FILE: file });
    expect(first.key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    expect(loadMasterKey({ CARE_KEY_FILE: file }).key.equals(first.key)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.key.toString('hex'));
  });

  it('takes CARE_KEY before any file, and refuses a key of the wrong length', () => {
    const key = randomBytes(32);
    expect(loadMasterKey({ CARE_KEY: key.toString('hex') }).key.equals(key)).toBe(true);
    expect(loadMasterKey({ CARE_KEY: key.toString('base64') }).key.equals(key)).toBe(true);
    expect(() => loadMasterKey({ CARE_KEY: 'abcd' })).toThrow(/32 bytes/);
  });

  it('seals to text that holds nothing of the plain text, and opens only with its key and field', () => {
    const keys = keysOf(randomBytes(32));
    const sealed = seal('王桂芳 139-0000-1234', 'name', keys);
    expect(sealed).not.toMatch(/王|139/);
    expect(seal('王桂芳', 'name', keys)).not.toBe(seal('王桂芳', 'name', keys)); // a fresh IV each time
    expect(unseal(sealed, 'name', keys)).toBe('王桂芳 139-0000-1234');
    expect(unseal(sealed, 'phone', keys)).toBeNull(); // a sealed name does not pass for a phone
    expect(unseal(sealed, 'name', keysOf(randomBytes(32)))).toBeNull(); // another server's key
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = body.slice(0, -2) + (body.at(-2) === 'A' ? 'B' : 'A') + body.at(-1);
    expect(unseal([v, iv, tag, flipped].join('.'), 'name', keys)).toBeNull(); // tampered
  });

  it('indexes names by a keyed HMAC, the same for the same name, unguessable without the key', () => {
    const keys = keysOf(randomBytes(32));
    expect(nameIndex('王 桂芳', keys)).toBe(nameIndex('王桂芳', keys));
    expect(nameIndex('王桂芳', keys)).not.toBe(nameIndex('王桂英', keys));
    expect(nameIndex('王桂芳', keys)).not.toBe(createHmac('sha256', '').update('王桂芳').digest('base64url'));
  });
});
