// Builds what the package and the services ship, into dist/ (Node only: esbuild and tsc from
// devDependencies, pinned in package-lock.json):
//   dist/types/*.d.ts        TypeScript declarations generated from the JSDoc of src/ (tsc)
//   dist/<entry>.iife.js     one file per entry for a plain <script> tag (window.<Global>)
//   dist/sdk/index.json      what notification-store serves under /sdk/<version>/ ...
//   dist/sdk/<version>/      ... src/*.js as they are (native ES modules) and the IIFE files
// The entry points are package.json's `exports` that import a file of src/: adding one there
// (one line) builds its declarations, its IIFE and serves it from the store. An entry that
// imports a package (e.g. react, a peer dependency) has no IIFE: a script tag cannot import.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');

/** package.json's entry points: `{ subpath, file }` for each export whose `import` is in src/. */
export function entries(manifest = pkg) {
  return Object.entries(manifest.exports)
    .filter(([, target]) => typeof target === 'object' && /^\.\/src\/[^/]+\.js$/.test(target.import ?? ''))
    .map(([subpath, target]) => ({ subpath, file: target.import.slice('./src/'.length) }));
}

/** The global an entry's IIFE defines: herald.js → Herald, herald-inbox.js → HeraldInbox. */
export function globalName(file) {
  return basename(file, '.js').split(/[-_.]/).map(part => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

function declarations() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'pipe' });
  }
  catch (error) {
    throw new Error(`tsc could not generate the declarations:\n${error.stdout}${error.stderr}`);
  }
}

async function iife({ file }) {
  const peers = Object.keys(pkg.peerDependencies ?? {});
  const result = await esbuild.build({
    entryPoints: [join(root, 'src', file)],
    bundle: true,
    format: 'iife',
    globalName: globalName(file),
    platform: 'browser',
    target: 'es2020',
    external: peers,
    write: false,
    metafile: true,
    legalComments: 'none',
    banner: { js: `/* ${pkg.name} ${pkg.version}: ${file} for a <script> tag, as window.${globalName(file)} */` },
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0];
  if (output.imports.some(imported => imported.external)) {
    return null; // imports a package: ESM only
  }
  const name = `${basename(file, '.js')}.iife.js`;
  writeFileSync(join(dist, name), result.outputFiles[0].text);
  return name;
}

async function build() {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  for (const { subpath, file } of entries()) {
    if (!existsSync(join(root, 'src', file))) {
      throw new Error(`package.json exports["${subpath}"] names src/${file}, which does not exist`);
    }
  }
  declarations();
  const bundles = [];
  for (const entry of entries()) {
    const bundle = await iife(entry);
    if (bundle) {
      bundles.push(bundle);
    }
  }
  // What the store serves: the modules as they are (imports resolve within the folder) and the bundles.
  const served = join(dist, 'sdk', pkg.version);
  mkdirSync(served, { recursive: true });
  const modules = readdirSync(join(root, 'src')).filter(name => name.endsWith('.js')).sort();
  modules.forEach(name => copyFileSync(join(root, 'src', name), join(served, name)));
  bundles.forEach(name => copyFileSync(join(dist, name), join(served, name)));
  const index = { name: pkg.name, version: pkg.version, files: [...modules, ...bundles].sort() };
  writeFileSync(join(dist, 'sdk', 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  console.log(`built ${pkg.name} ${pkg.version}: ${entries().map(e => e.subpath).join(', ')}; `
    + `bundles ${bundles.join(', ')}; declarations in dist/types`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build();
}
