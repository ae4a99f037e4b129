// Builds dist/ (load unpacked in Chrome or Firefox) and a store zip in web-ext-artifacts/.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';
import { execFileSync } from 'node:child_process';

const dist = new URL('../dist/', import.meta.url).pathname;
const root = new URL('../', import.meta.url).pathname;
const watch = process.argv.includes('--no-zip');

rmSync(dist, { recursive: true, force: true });
mkdirSync(`${dist}icons`, { recursive: true });

await build({
  entryPoints: {
    background: 'src/background/index.ts',
    content: 'src/content/index.ts',
    popup: 'src/popup/popup.ts',
    options: 'src/options/options.ts',
    dashboard: 'src/dashboard/dashboard.ts',
  },
  absWorkingDir: root,
  outdir: dist,
  bundle: true,
  format: 'iife',
  target: ['chrome120', 'firefox128'],
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});

const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const manifest = JSON.parse(readFileSync(`${root}manifest.json`, 'utf8'));
manifest.version = pkg.version;
writeFileSync(`${dist}manifest.json`, JSON.stringify(manifest, null, 2));
for (const page of ['popup', 'options', 'dashboard']) {
  cpSync(`${root}src/${page}/${page}.html`, `${dist}${page}.html`);
}
cpSync(`${root}src/shared/ui.css`, `${dist}ui.css`);

// Icons are drawn here (a ring in the brand colour) so the repo carries no binary files.
function png(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c) / (size / 2);
      const i = (y * size + x) * 4;
      const inRing = d <= 0.95 && d >= 0.55;
      const inDot = d <= 0.3;
      if (inRing || inDot) { rgba[i] = 0x0b; rgba[i + 1] = 0x57; rgba[i + 2] = 0xd0; rgba[i + 3] = 255; }
    }
  }
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 6;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
for (const size of [16, 32, 48, 128]) writeFileSync(`${dist}icons/icon-${size}.png`, png(size));

if (!watch) {
  execFileSync(`${root}node_modules/.bin/web-ext`, ['build', '--source-dir', dist, '--artifacts-dir', `${root}web-ext-artifacts`, '--overwrite-dest', '--filename', `reciprocity-${pkg.version}.zip`], { stdio: 'inherit' });
}
console.log('built dist/');
