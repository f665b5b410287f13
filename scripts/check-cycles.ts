// Fails when relative imports form a cycle. Type-only imports are ignored: they vanish at run time.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOTS = ['daemon', 'tui', 'shared', 'simulator', 'migrations', 'bin', 'bench'];
const IMPORT_RE = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm;

function listSources(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(listSources(path));
    else if (/\.(ts|tsx)$/.test(name)) out.push(path);
  }
  return out;
}

function resolveImport(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base + '.ts', base]) {
    try { if (statSync(candidate).isFile()) return candidate; } catch { /* try next */ }
  }
  return base;
}

const files = ROOTS.flatMap((root) => { try { return listSources(root); } catch { return []; } }).map((f) => resolve(f));
const graph = new Map<string, string[]>();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  graph.set(file, [...text.matchAll(IMPORT_RE)].map((m) => resolveImport(file, m[1] ?? '')));
}

const state = new Map<string, 'visiting' | 'done'>();
const cycles: string[][] = [];
function visit(node: string, stack: string[]): void {
  if (state.get(node) === 'done') return;
  if (state.get(node) === 'visiting') { cycles.push(stack.slice(stack.indexOf(node)).concat(node)); return; }
  state.set(node, 'visiting');
  for (const next of graph.get(node) ?? []) if (graph.has(next)) visit(next, stack.concat(node));
  state.set(node, 'done');
}
for (const file of graph.keys()) visit(file, []);

if (cycles.length > 0) {
  for (const cycle of cycles) console.error('circular import: ' + cycle.map((f) => relative(process.cwd(), f)).join(' -> '));
  process.exit(1);
}
console.log(`no circular imports (${graph.size} modules)`);
