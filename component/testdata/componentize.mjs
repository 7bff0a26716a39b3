// componentize: builds a large real component (StarlingMonkey, about
// 12 MB) from a tiny JS file with componentize-js, for the Go benchmarks.
//
// usage: node componentize.mjs <componentize-js dir> <out.wasm>
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';

const [pkgDir, out] = process.argv.slice(2);
const { componentize } = await import(pathToFileURL(join(pkgDir, 'src', 'componentize.js')).href);
const dir = mkdtempSync(join(tmpdir(), 'witgo-cjs-'));
const src = join(dir, 'hello.js');
writeFileSync(src, 'export function hello(name) { return "Hello " + name; }\n');
const { component } = await componentize({
  sourcePath: src,
  witWorld: 'package local:hello; world hello { export hello: func(name: string) -> string; }',
});
writeFileSync(out, component);
