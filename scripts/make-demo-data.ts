// Writes the deterministic demo data set to data/demo/ (see docs/data-contract.md).
// Run: npx tsx scripts/make-demo-data.ts

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemoFiles } from './demo/generate.ts';

export const DEMO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'demo');

const files = generateDemoFiles();
mkdirSync(DEMO_DIR, { recursive: true });
for (const [name, content] of Object.entries(files)) {
  writeFileSync(join(DEMO_DIR, name), content);
  const lines = content.split('\n').length;
  console.log(`${name.padEnd(20)} ${String(Buffer.byteLength(content)).padStart(9)} bytes  ${lines} lines`);
}
