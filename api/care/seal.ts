import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// The care ledger's personal fields (name, ID number, phone, room, notes, findings) are sealed with
// AES-256-GCM (node:crypto) under a key the database never holds, so a leaked backup alone reveals
// none of them (docs/care.md). The key, 32 bytes, comes from:
//   1. CARE_KEY: 64 hex characters or base64 of 32 bytes, or else
//   2. the key file CARE_KEY_FILE, by default `<DATA_DIR>.keys/care.key` — BESIDE the data directory,
//      not in it, since an embedded backup is a tarball of the data directory — made on first start
//      (mode 0600, its folder 0700). Lose it and the sealed fields are lost: back it up apart.
// Two keys are derived from it (HKDF-SHA256): one seals, one makes the blind index of names (a keyed
// HMAC, so a name is found by exact match without the table holding anything readable).

const version = 'v1';

export type CareKeys = { seal: Buffer; index: Buffer; source: string };

/** The default key file: beside the data directory (DATA_DIR, default .data), never inside it. */
export const defaultKeyFile = (dataDir = process.env.DATA_DIR) => `${resolve(dataDir || '.data')}.keys/care.key`;

function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error(`${where} must be 32 bytes, as 64 hex characters or base64 (openssl rand -hex 32)`);
  return key;
}

/** Reads the master key from the environment or the key file, making the file on first use. */
export function loadMasterKey(env = process.env): { key: Buffer; source: string } {
  if (env.CARE_KEY) return { key: parseKey(env.CARE_KEY, 'CARE_KEY'), source: 'CARE_KEY' };
  const file = env.CARE_KEY_FILE ? resolve(env.CARE_KEY_FILE) : defaultKeyFile();
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // 'wx': never overwrite a key another process just made
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return { key: parseKey(readFileSync(file, 'utf8'), file), source: file };
}

let cached: CareKeys | null = null;

/** The sealing key and the name index key of a master key (HKDF-SHA256). */
export function deriveKeys(key: Buffer, source: string): CareKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));
  return { seal: derive('gridmap care seal v1'), index: derive('gridmap care name index v1'), source };
}

/** The keys of this process, read once. */
export function careKeys(): CareKeys {
  if (!cached) {
    const { key, source } = loadMasterKey();
    cached = deriveKeys(key, source);
  }
  return cached;
}

/** A master key as written in a key file or CARE_KEY (64 hex characters or base64 of 32 bytes); throws naming `where` otherwise. */
export const readMasterKey = (text: string, where: string) => parseKey(text, where);

/** `v1.<iv>.<tag>.<ciphertext>` in base64url; `field` is bound in as associated data, so a sealed phone cannot pass for a name. */
export function seal(plain: string, field: string, keys = careKeys()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.seal, iv);
  cipher.setAAD(Buffer.from(field));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [version, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export const sealOptional = (plain: string | null | undefined, field: string, keys = careKeys()) =>
  plain ? seal(plain, field, keys) : null;

/** The plain text, or null when there is none or it was sealed under another key (a restore without its key file). */
export function unseal(sealed: string | null, field: string, keys = careKeys()): string | null {
  if (!sealed) return null;
  const [v, iv, tag, body] = sealed.split('.');
  if (v !== version || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.seal, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(field));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** The blind index of a name: HMAC-SHA256 under the index key, of the name without spaces. */
export const nameIndex = (name: string, keys = careKeys()) =>
  createHmac('sha256', keys.index).update(name.replace(/\s+/g, '')).digest('base64url');
