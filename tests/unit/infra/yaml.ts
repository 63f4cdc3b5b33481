// The YAML that azure.yaml uses (nested mappings, plain or quoted scalars, `- scalar` lists,
// comments), read without a YAML package, which the project does not otherwise need.

export type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  readonly indent: number;
  readonly text: string;
  readonly number: number;
}

export function parseYaml(source: string): YamlValue {
  const lines: Line[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    const text = stripComment(raw).trimEnd();
    if (text.trim() === '') return;
    if (/^\t/.test(text)) throw new Error(`line ${i + 1}: tabs are not YAML indentation`);
    lines.push({ indent: text.length - text.trimStart().length, text: text.trim(), number: i + 1 });
  });
  let at = 0;

  const block = (indent: number): YamlValue => {
    const first = lines[at];
    if (!first || first.indent < indent) return '';
    if (first.text.startsWith('- ') || first.text === '-') {
      const list: YamlValue[] = [];
      while (lines[at] && lines[at]!.indent === first.indent && lines[at]!.text.startsWith('-')) {
        list.push(scalar(lines[at]!.text.slice(1).trim()));
        at++;
      }
      return list;
    }
    const map: { [key: string]: YamlValue } = {};
    while (lines[at] && lines[at]!.indent === first.indent) {
      const line = lines[at]!;
      const match = /^([^:]+?):(?:\s+(.*))?$/.exec(line.text);
      if (!match) throw new Error(`line ${line.number}: expected "key: value"`);
      const key = match[1]!.trim();
      if (key in map) throw new Error(`line ${line.number}: duplicate key ${key}`);
      at++;
      map[key] = match[2] !== undefined ? scalar(match[2]) : block(first.indent + 1);
    }
    if (lines[at] && lines[at]!.indent > first.indent) throw new Error(`line ${lines[at]!.number}: bad indentation`);
    return map;
  };

  const value = block(0);
  if (at < lines.length) throw new Error(`line ${lines[at]!.number}: bad indentation`);
  return value;
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i);
    }
  }
  return line;
}

function scalar(text: string): string {
  if (/^".*"$/.test(text)) return JSON.parse(text) as string;
  if (/^'.*'$/.test(text)) return text.slice(1, -1).replace(/''/g, "'");
  return text;
}

/** Walks a path of keys; undefined when any step is missing or not a mapping. */
export function at(value: YamlValue | undefined, ...keys: string[]): YamlValue | undefined {
  let current = value;
  for (const key of keys) {
    if (current === undefined || typeof current === 'string' || Array.isArray(current)) return undefined;
    current = current[key];
  }
  return current;
}
