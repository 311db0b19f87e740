// A trunk post-build hook (see Trunk.toml): shortens the names by which the wasm and
// its JavaScript glue call each other. wasm-bindgen names each import after the
// function it wraps plus a hash (`__wbg_appendChild_e8d3a5f2b7c1d9e0`), and each name
// is written twice, in the wasm and in the glue: some 200 of them, whose hashes gzip
// cannot compress. Binaryen's `--minify-imports-and-exports-and-modules` renames them
// (`$a`, `Ab`…) in the wasm and prints the mapping; this script applies the same
// mapping to the glue, then writes the integrity hashes of both files into index.html
// again. Release builds only; a dev build keeps wasm-bindgen's names.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('minify-names: run by trunk as a post_build hook (TRUNK_STAGING_DIR unset)');
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const wasmFile = path.join(staging, 'raft-playground_bg.wasm');
const jsFile = path.join(staging, 'raft-playground.js');
const htmlFile = path.join(staging, 'index.html');
const wasmOpt = path.join(here, '..', 'node_modules', '.bin', 'wasm-opt');

// Renamed and optimized once more, with the passes trunk's wasm-opt ran (a rewritten
// module otherwise loses its stack-IR tuning; and a second round finds a little more).
const out = `${wasmFile}.min`;
const passes = ['--minify-imports-and-exports-and-modules', '--flatten', '--rereloop', '-Oz', '--gufa', '-Oz'];
const printed = execFileSync(wasmOpt, [wasmFile, ...passes, '-o', out],
  { encoding: 'utf8', maxBuffer: 1 << 24 });
const map = JSON.parse(printed.slice(printed.indexOf('{')));

let js = fs.readFileSync(jsFile, 'utf8');
const ident = (s) => s.replace(/[$]/g, '$$$$');
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const count = (re) => (js.match(re) || []).length;
const modules = new Map();
for (const [module, name, short] of map.imports) {
  // In the glue's imports object, each import is a key: `name:function(…)`.
  const re = new RegExp(`([{,])${escape(name)}:`, 'g');
  if (count(re) !== 1) throw new Error(`minify-names: import ${name} found ${count(re)} times in the glue`);
  js = js.replace(re, `$1${ident(short)}:`);
  modules.set(module, true);
}
for (const [name, short] of map.exports) {
  // The glue calls exports as `wasm.name`.
  const re = new RegExp(`\\bwasm\\.${escape(name)}(?![\\w$])`, 'g');
  js = js.replace(re, `wasm.${ident(short)}`);
}
if (/\bwasm\.(wasm_bindgen__|__wbindgen_|__wbg_|__externref_|playground_)/.test(js)) {
  throw new Error('minify-names: an export of the wasm is still called by its old name in the glue');
}
// The module names are renamed too, but not printed: read them from the new module.
const newImports = WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(out)));
for (const module of modules.keys()) {
  const renamed = map.imports.find(([m]) => m === module)[2];
  const short = newImports.find((i) => i.name === renamed)?.module;
  if (short === undefined) throw new Error(`minify-names: no short name for module ${module}`);
  const re = new RegExp(`"${escape(module)}":`, 'g');
  if (count(re) !== 1) throw new Error(`minify-names: module ${module} found ${count(re)} times`);
  js = js.replace(re, `${JSON.stringify(short)}:`);
}
fs.renameSync(out, wasmFile);
fs.writeFileSync(jsFile, js);

// The integrity hashes trunk wrote for the two files.
let html = fs.readFileSync(htmlFile, 'utf8');
for (const file of [wasmFile, jsFile]) {
  const base = path.basename(file);
  const sri = `sha384-${crypto.createHash('sha384').update(fs.readFileSync(file)).digest('base64')}`;
  const re = new RegExp(`(href=["']?\\./${escape(base)}["']?[^>]*?integrity=["']?)sha384-[A-Za-z0-9+/=]+|(integrity=["']?)sha384-[A-Za-z0-9+/=]+(["']?[^>]*?href=["']?\\./${escape(base)})`);
  if (!re.test(html)) throw new Error(`minify-names: no integrity for ${base} in index.html`);
  html = html.replace(re, (m, a, b, c) => (a ? `${a}${sri}` : `${b}${sri}${c}`));
}
fs.writeFileSync(htmlFile, html);
console.log(`minify-names: ${map.imports.length} imports and ${map.exports.length} exports renamed`);
