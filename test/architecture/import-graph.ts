import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * The repository's import graph, for the architecture tests: every TypeScript file under the given
 * folders, with the repository files it imports (static imports, `export … from`, `import()` and
 * `require()`, read by TypeScript's own pre-processor) and the process.env reads it contains.
 * Package imports ("next/server", "node:fs") are kept as written; "@/…" and relative specifiers are
 * resolved to repository paths ("lib/env.ts").
 */

export const ROOT_DIR = path.resolve(__dirname, "../..");

export interface SourceFile {
  /** Repository-relative path with forward slashes, e.g. "lib/saml/acs/claim-response.ts". */
  file: string;
  /** Repository files this one imports (resolved), in source order. */
  localImports: string[];
  /** Package specifiers as written ("next/server", "node:crypto"). */
  packageImports: string[];
  /** Lines (1-based) that read process.env. */
  envReads: number[];
}

const SKIPPED_DIRECTORIES = new Set(["node_modules", "generated", ".next", "dist"]);
const EXTENSIONS = [".ts", ".tsx", ".mts"];

function listSources(dir: string): string[] {
  const absolute = path.join(ROOT_DIR, dir);
  if (!existsSync(absolute)) return [];
  if (statSync(absolute).isFile()) return [dir];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const child = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : listSources(child);
    return EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith(".d.ts") ? [child] : [];
  });
}

function resolveLocal(fromFile: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.join(path.posix.dirname(fromFile), specifier);
  else return null;
  const candidates = [
    base,
    ...EXTENSIONS.map((ext) => base + ext),
    ...EXTENSIONS.map((ext) => `${base}/index${ext}`),
    base.replace(/\.js$/, ".ts"),
  ];
  return (
    candidates.find((c) => existsSync(path.join(ROOT_DIR, c)) && statSync(path.join(ROOT_DIR, c)).isFile()) ?? base
  );
}

function readSource(file: string): SourceFile {
  const text = readFileSync(path.join(ROOT_DIR, file), "utf8");
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const localImports: string[] = [];
  const packageImports: string[] = [];
  for (const { fileName } of importedFiles) {
    const local = resolveLocal(file, fileName);
    if (local) localImports.push(local);
    else packageImports.push(fileName);
  }
  const envReads = text
    .split("\n")
    .flatMap((line, i) => (/\bprocess\.env\b/.test(line) && !/^\s*(\*|\/\/)/.test(line) ? [i + 1] : []));
  return { file, localImports, packageImports, envReads };
}

/** Reads every source file under `roots` (folders or single files, repository-relative). */
export function readImportGraph(roots: readonly string[]): Map<string, SourceFile> {
  const graph = new Map<string, SourceFile>();
  for (const root of roots) for (const file of listSources(root)) graph.set(file, readSource(file));
  return graph;
}

/** Files that are tests or test helpers rather than shipped code. */
export function isTestCode(file: string): boolean {
  return /\.test\.tsx?$/.test(file) || /(^|\/)test-support\//.test(file) || /^(test|e2e)\//.test(file);
}

/** Import cycles among the given files (each cycle once, as the list of files around it). */
export function findCycles(graph: Map<string, SourceFile>, include: (file: string) => boolean): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string): void => {
    state.set(file, "visiting");
    stack.push(file);
    for (const next of graph.get(file)?.localImports ?? []) {
      if (!graph.has(next) || !include(next)) continue;
      if (state.get(next) === "visiting") {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join(" ");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (include(file) && !state.has(file)) visit(file);
  return cycles;
}
