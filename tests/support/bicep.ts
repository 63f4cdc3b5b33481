import { readFileSync } from 'node:fs';

// Just enough of a Bicep reader for structural tests, since no Bicep compiler runs here. It
// relies on the house style of infra/: one top-level declaration per line starting in column 0,
// one object property per line. `mask` blanks comments and string text (keeping `${...}`
// expressions and every offset), so brackets and identifiers can be found without being fooled
// by what strings or comments contain, and values are then cut from the original text.

export interface BicepParam {
  readonly name: string;
  readonly type: string;
  readonly hasDefault: boolean;
  /** Decorator text before the declaration, as written. */
  readonly decorators: string;
}

export interface BicepDeclaration {
  readonly keyword: 'param' | 'var' | 'output' | 'module' | 'resource' | 'targetScope' | 'type' | 'func' | 'import' | 'metadata';
  readonly name: string;
  /** Start and end offsets of the whole statement, decorators included. */
  readonly start: number;
  readonly end: number;
  /** Offset of the declaration keyword (after decorators). */
  readonly keywordAt: number;
  /** Text after the first top-level `=`, trimmed; empty when there is none. */
  readonly value: string;
  /** Offset where `value` starts. */
  readonly valueAt: number;
}

export interface BicepFile {
  readonly path: string;
  readonly text: string;
  readonly masked: string;
  readonly declarations: readonly BicepDeclaration[];
  readonly params: readonly BicepParam[];
  readonly vars: ReadonlyMap<string, string>;
  readonly outputs: ReadonlyMap<string, { readonly type: string; readonly value: string }>;
  readonly modules: readonly { readonly symbol: string; readonly path: string; readonly body: string; readonly bodyAt: number }[];
  readonly resources: readonly { readonly symbol: string; readonly type: string; readonly existing: boolean; readonly body: string }[];
}

const KEYWORDS = new Set(['param', 'var', 'output', 'module', 'resource', 'targetScope', 'type', 'func', 'import', 'metadata']);

export function readBicep(path: string): BicepFile {
  return parseBicep(readFileSync(path, 'utf8'), path);
}

/**
 * Same length as text: comments and string text become spaces (newlines kept), `${expr}` stays.
 * With keepStrings, only comments are blanked: the text to read values from.
 */
export function mask(text: string, keepStrings = false): string {
  const out = text.split('');
  const blankAlways = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  const blank = (from: number, to: number) => {
    if (!keepStrings) blankAlways(from, to);
  };
  // Scans an expression until an unmatched `}` (inside interpolation) or the end; returns its end.
  const expression = (i: number, inInterpolation: boolean): number => {
    let depth = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === "'") {
        i = string(i);
        continue;
      }
      if (c === '/' && text[i + 1] === '/') {
        const end = text.indexOf('\n', i);
        const stop = end === -1 ? text.length : end;
        blankAlways(i, stop);
        i = stop;
        continue;
      }
      if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        const stop = end === -1 ? text.length : end + 2;
        blankAlways(i, stop);
        i = stop;
        continue;
      }
      if (c === '{') depth++;
      if (c === '}') {
        if (depth === 0 && inInterpolation) return i;
        depth--;
      }
      i++;
    }
    return i;
  };
  // Blanks a string literal starting at i (the opening quote); returns the offset after it.
  const string = (i: number): number => {
    if (text.startsWith("'''", i)) {
      const end = text.indexOf("'''", i + 3);
      const stop = end === -1 ? text.length : end + 3;
      blank(i, stop);
      return stop;
    }
    let j = i + 1;
    let literalFrom = i;
    while (j < text.length && text[j] !== "'") {
      if (text[j] === '\\') {
        j += 2;
        continue;
      }
      if (text[j] === '$' && text[j + 1] === '{') {
        blank(literalFrom, j + 2);
        const close = expression(j + 2, true);
        literalFrom = close;
        j = close + 1;
        continue;
      }
      j++;
    }
    blank(literalFrom, Math.min(j + 1, text.length));
    return j + 1;
  };
  expression(0, false);
  return out.join('');
}

/** Offset just past the bracket that closes the one at `open` (in masked text). */
export function closingBracket(masked: string, open: number): number {
  const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const stack: string[] = [];
  for (let i = open; i < masked.length; i++) {
    const c = masked[i]!;
    if (pairs[c]) stack.push(pairs[c]);
    else if (c === '}' || c === ']' || c === ')') {
      if (stack.pop() !== c) throw new Error(`unbalanced ${c} at offset ${i}`);
      if (stack.length === 0) return i + 1;
    }
  }
  throw new Error(`bracket at offset ${open} is never closed`);
}

export function parseBicep(text: string, path = '<text>'): BicepFile {
  const masked = mask(text);
  const clean = mask(text, true);
  const starts: number[] = [];
  let depth = 0;
  let lineStart = 0;
  for (let i = 0; i <= masked.length; i++) {
    if (i === lineStart && depth === 0 && i < masked.length && /[A-Za-z@]/.test(masked[i]!)) starts.push(i);
    const c = masked[i];
    if (c === '{' || c === '[' || c === '(') depth++;
    if (c === '}' || c === ']' || c === ')') depth--;
    if (c === '\n') lineStart = i + 1;
  }

  // Decorator lines join the declaration that follows them.
  const declarations: BicepDeclaration[] = [];
  let decoratorFrom: number | undefined;
  starts.forEach((start, n) => {
    const end = n + 1 < starts.length ? starts[n + 1]! : masked.length;
    if (masked[start] === '@') {
      decoratorFrom ??= start;
      return;
    }
    const keyword = /^[A-Za-z]+/.exec(masked.slice(start))![0];
    if (!KEYWORDS.has(keyword)) throw new Error(`${path}: unexpected top-level "${keyword}" at offset ${start}`);
    const rest = masked.slice(start, end);
    const name = /^\w+\s+(\w+)/.exec(rest)?.[1] ?? '';
    const eq = topLevelEquals(rest);
    const valueAt = eq === -1 ? end : start + eq + 1 + (rest.slice(eq + 1).length - rest.slice(eq + 1).trimStart().length);
    declarations.push({
      keyword: keyword as BicepDeclaration['keyword'],
      name,
      start: decoratorFrom ?? start,
      end,
      keywordAt: start,
      value: eq === -1 ? '' : clean.slice(start + eq + 1, end).trim(),
      valueAt,
    });
    decoratorFrom = undefined;
  });

  const params: BicepParam[] = [];
  const vars = new Map<string, string>();
  const outputs = new Map<string, { type: string; value: string }>();
  const modules: { symbol: string; path: string; body: string; bodyAt: number }[] = [];
  const resources: { symbol: string; type: string; existing: boolean; body: string }[] = [];
  for (const d of declarations) {
    const head = clean.slice(d.keywordAt, d.end);
    if (d.keyword === 'param') {
      const type = /^param\s+\w+\s+(\w+)/.exec(head)?.[1] ?? '';
      params.push({ name: d.name, type, hasDefault: d.value !== '', decorators: text.slice(d.start, d.keywordAt) });
    } else if (d.keyword === 'var') {
      vars.set(d.name, d.value);
    } else if (d.keyword === 'output') {
      outputs.set(d.name, { type: /^output\s+\w+\s+(\w+)/.exec(head)?.[1] ?? '', value: d.value });
    } else if (d.keyword === 'module') {
      const path = /^module\s+\w+\s+'([^']+)'/.exec(head)?.[1];
      if (!path) throw new Error(`${path}: module ${d.name} has no path`);
      modules.push({ symbol: d.name, path, body: d.value, bodyAt: d.valueAt });
    } else if (d.keyword === 'resource') {
      const match = /^resource\s+\w+\s+'([^']+)'\s*(existing)?/.exec(head);
      resources.push({ symbol: d.name, type: match?.[1] ?? '', existing: Boolean(match?.[2]), body: d.value });
    }
  }
  return { path, text, masked, declarations, params, vars, outputs, modules, resources };
}

/** Offset of the first `=` outside brackets that is not part of ==, !=, <=, >= or =~. */
function topLevelEquals(masked: string): number {
  let depth = 0;
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i]!;
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    else if (c === '=' && depth === 0 && !'=!<>'.includes(masked[i - 1] ?? '') && masked[i + 1] !== '=' && masked[i + 1] !== '~') {
      return i;
    }
  }
  return -1;
}

/**
 * The top-level properties of the first object literal in `text` (key → value text, trimmed).
 * Keys may be identifiers or quoted; values may span lines.
 */
export function objectProperties(text: string): Map<string, string> {
  const masked = mask(text);
  const clean = mask(text, true);
  const open = masked.indexOf('{');
  if (open === -1) throw new Error(`no object in: ${text.slice(0, 80)}`);
  const close = closingBracket(masked, open);
  const props = new Map<string, string>();
  let depth = 0;
  let current: { key: string; from: number } | undefined;
  const finish = (to: number) => {
    if (current) props.set(current.key, clean.slice(current.from, to).trim().replace(/,$/, '').trim());
    current = undefined;
  };
  let lineStart = open + 1;
  for (let i = open + 1; i < close - 1; i++) {
    if (i === lineStart && depth === 0) {
      const line = text.slice(i, text.indexOf('\n', i) === -1 ? close - 1 : text.indexOf('\n', i));
      const key = /^\s*([A-Za-z_]\w*|'[^']*')\s*:(?!:)/.exec(line);
      // An identifier key must survive masking; otherwise the line is the inside of a string.
      if (key && (key[1]!.startsWith("'") || masked.slice(i, i + key[0].length).trim() !== '')) {
        finish(i);
        current = { key: key[1]!.replace(/^'|'$/g, ''), from: i + key[0].length };
      }
    }
    const c = masked[i];
    if (c === '{' || c === '[' || c === '(') depth++;
    if (c === '}' || c === ']' || c === ')') depth--;
    if (c === '\n') lineStart = i + 1;
  }
  finish(close - 1);
  return props;
}

/** Occurrences of `name` used as a value: not its declaration, not an object key, not `.name`. */
export function valueUses(file: BicepFile, name: string): number {
  const pattern = new RegExp(`(?<![\\w.$])${name}(?!\\w)`, 'g');
  // `param name`, `var name`, `module name`...: the declaring occurrences.
  const declared = new Set(
    file.declarations
      .filter((d) => d.name === name)
      .map((d) => d.keywordAt + /^\w+\s+/.exec(file.masked.slice(d.keywordAt))![0].length),
  );
  let uses = 0;
  for (const match of file.masked.matchAll(pattern)) {
    const at = match.index;
    if (declared.has(at)) continue;
    const lineStart = file.masked.lastIndexOf('\n', at - 1) + 1;
    const before = file.masked.slice(lineStart, at);
    const after = file.masked.slice(at + name.length);
    if (/^\s*$/.test(before) && /^\s*:(?!:)/.test(after)) continue; // an object key
    uses++;
  }
  return uses;
}

/**
 * Evaluates a value of the house style: a string literal with `${identifier}` holes, a bare
 * identifier, or join(identifier, 'sep'). Anything else throws, which keeps names simple.
 */
export function evaluate(value: string, bindings: Readonly<Record<string, string | readonly string[]>>): string {
  const v = value.trim();
  const scalar = (name: string): string => {
    const bound = bindings[name];
    if (typeof bound !== 'string') throw new Error(`no string binding for ${name} in ${value}`);
    return bound;
  };
  if (/^'/.test(v)) {
    if (!v.endsWith("'")) throw new Error(`not a single string literal: ${value}`);
    const body = v.slice(1, -1);
    return body
      .replace(/\$\{\s*([A-Za-z_]\w*)\s*\}/g, (_, name: string) => scalar(name))
      .replace(/\$\{[^}]*\}/g, (hole) => {
        throw new Error(`cannot evaluate ${hole} in ${value}`);
      })
      .replace(/\\(['\\$])/g, '$1');
  }
  const join = /^join\(\s*([A-Za-z_]\w*)\s*,\s*'([^']*)'\s*\)$/.exec(v);
  if (join) {
    const list = bindings[join[1]!];
    if (!Array.isArray(list)) throw new Error(`no list binding for ${join[1]} in ${value}`);
    return list.join(join[2]);
  }
  if (/^[A-Za-z_]\w*$/.test(v)) return scalar(v);
  throw new Error(`cannot evaluate ${value}`);
}
