// wast2bin: compiles the component and module forms of a .wast file to
// binaries with the wasm-tools parser bundled in jco, for the Go tests.
//
// usage: node wast2bin.mjs <path to jco-transpile/vendor/wasm-tools.js> file.wast...
// prints one JSON object per form: {file, line, kind, hex?, error?, text?}
// kind is "module" (must be valid), "invalid" or "malformed".
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [toolsPath, ...files] = process.argv.slice(2);
const { tools, $init } = await import(pathToFileURL(toolsPath).href);
await $init;

// Split source into top-level s-expressions with their line numbers.
function topForms(src) {
  const forms = [];
  let depth = 0, start = -1, line = 1, startLine = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\n') line++;
    else if (c === ';' && src[i + 1] === ';') {
      while (i < src.length && src[i] !== '\n') i++;
      line++;
    } else if (c === '(' && src[i + 1] === ';') {
      let d = 0;
      for (; i < src.length; i++) {
        if (src[i] === '\n') line++;
        if (src[i] === '(' && src[i + 1] === ';') { d++; i++; }
        else if (src[i] === ';' && src[i + 1] === ')') { d--; i++; if (d === 0) break; }
      }
    } else if (c === '"') {
      for (i++; i < src.length && src[i] !== '"'; i++) {
        if (src[i] === '\\') i++;
        else if (src[i] === '\n') line++;
      }
    } else if (c === '(') {
      if (depth === 0) { start = i; startLine = line; }
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) forms.push({ text: src.slice(start, i + 1), line: startLine });
    }
  }
  return forms;
}

// Children of an s-expression (top level of its body).
function children(text) {
  return topForms(text.slice(1, -1)).map(f => f.text);
}

function decodeString(lit) {
  const out = [];
  const s = lit.slice(1, -1);
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\') { out.push(...Buffer.from(s[i])); continue; }
    const n = s[i + 1];
    const esc = { n: 10, t: 9, r: 13, '"': 34, "'": 39, '\\': 92 }[n];
    if (esc !== undefined) { out.push(esc); i++; }
    else if (n === 'u') { const j = s.indexOf('}', i); out.push(...Buffer.from(String.fromCodePoint(parseInt(s.slice(i + 3, j), 16)))); i = j; }
    else { out.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 2; }
  }
  return out;
}

// strings returns the string literals of text, skipping comments.
function strings(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ';' && text[i + 1] === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text[i] === '(' && text[i + 1] === ';') {
      const j = text.indexOf(';)', i);
      i = j < 0 ? text.length : j + 1;
    } else if (text[i] === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
      out.push(text.slice(i, j + 1));
      i = j;
    }
  }
  return out;
}

// compile turns a (component ...) or (module ...) form into bytes.
function compile(form) {
  let t = form.replace(/^\((component|module)\s+definition\b/, '($1');
  const m = t.match(/^\((component|module)(\s+\$[^\s()]+)?\s+(binary|quote)\b/);
  if (m && m[3] === 'binary') return Uint8Array.from(strings(t).flatMap(decodeString));
  if (m && m[3] === 'quote') t = `(${m[1]} ${strings(t).map(s => Buffer.from(decodeString(s)).toString()).join(' ')})`;
  return tools.parse(t);
}

for (const file of files) {
  for (const { text, line } of topForms(readFileSync(file, 'utf8'))) {
    const head = text.match(/^\(\s*([a-z_]+)/)[1];
    let kind, body, msg;
    if (/^\((component|module)\s+instance\b/.test(text)) continue; // a wast command, no binary
    if (head === 'component' || head === 'module') { kind = 'module'; body = text; }
    else if (head === 'assert_invalid' || head === 'assert_malformed') {
      kind = head === 'assert_invalid' ? 'invalid' : 'malformed';
      const kids = children(text);
      body = kids.find(k => /^\((component|module)\b/.test(k));
      msg = strings(text.slice(text.lastIndexOf(')', text.length - 2))).pop();
    } else continue;
    if (!body) continue;
    const rec = { file, line, kind, text: msg && decodeString(msg).map(c => String.fromCharCode(c)).join('') };
    try {
      rec.hex = Buffer.from(compile(body)).toString('hex');
    } catch (e) {
      rec.error = String(e && e.message || e).split('\n')[0];
    }
    console.log(JSON.stringify(rec));
  }
}
