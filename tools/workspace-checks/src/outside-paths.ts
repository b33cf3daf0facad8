import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** A tracked file to scan: its path relative to the repository root (`/`-separated) and its text. */
export interface ScannedFile {
  readonly path: string;
  readonly text: string;
}

/** One path that leads outside the repository, where it was found and why it counts. */
export interface OutsidePath {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly match: string;
  readonly reason: string;
}

/**
 * Names that always point outside a clone: the folder the project's shared test data used to sit in, relative to the
 * checkout, and the root of the machine the project was first written on. Built from parts so that this file does
 * not match itself.
 */
export const FORBIDDEN_FRAGMENTS: readonly string[] = [['..', 'shared', ''].join('/'), ['', 'work', ''].join('/')];

const CLIMB = /(?:\.\.\/)+/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

/**
 * Finds every path in the given files that leads outside the repository: one of {@link FORBIDDEN_FRAGMENTS}; the
 * absolute path of this checkout (not inside a longer path or a URL); and a relative path (`../` repeated) that climbs
 * above the repository root from the folder of the file that holds it.
 *
 * @param files - the files to scan, paths relative to the repository root
 * @param checkoutRoot - the absolute path of this checkout, found at run time
 * @returns the findings, in file and line order
 */
export function findOutsidePaths(files: readonly ScannedFile[], checkoutRoot: string): OutsidePath[] {
  const root = checkoutRoot.replace(/\/+$/, '');
  const rootPattern = root.length > 1 ? new RegExp(`(?<![\\w.:/-])${escapeRegExp(root)}(?![\\w.-])`, 'g') : undefined;
  const findings: OutsidePath[] = [];
  for (const file of files) {
    const add = (index: number, match: string, reason: string): void => {
      findings.push({ file: file.path, line: lineOf(file.text, index), match, reason });
    };
    for (const fragment of FORBIDDEN_FRAGMENTS) {
      for (let i = file.text.indexOf(fragment); i !== -1; i = file.text.indexOf(fragment, i + 1)) {
        add(i, fragment, 'a folder outside the repository');
      }
    }
    if (rootPattern !== undefined) {
      for (const m of file.text.matchAll(rootPattern)) add(m.index, m[0], 'the absolute path of this checkout');
    }
    const depth = file.path.split('/').length - 1;
    for (const m of file.text.matchAll(CLIMB)) {
      const ups = m[0].length / 3;
      if (ups > depth) add(m.index, m[0], `climbs ${ups} level${ups === 1 ? '' : 's'} up from ${depth === 0 ? 'the repository root' : `a folder ${depth} deep`}`);
    }
  }
  // Code-point order, the same under every locale.
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}

/**
 * Formats a finding as `file:line: match (reason)`, for a failure message.
 *
 * @param finding - one finding
 */
export function describeOutsidePath(finding: OutsidePath): string {
  return `${finding.file}:${finding.line}: ${finding.match} (${finding.reason})`;
}

/**
 * Reads every file of the repository that git tracks or would track (untracked but not ignored), skipping binary
 * ones (a NUL byte) and files deleted from the work tree.
 *
 * @param repoRoot - the repository root
 * @param exclude - paths (relative, `/`-separated) to leave out
 */
export function readTrackedFiles(repoRoot: string, exclude: ReadonlySet<string> = new Set()): ScannedFile[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return listed
    .split('\0')
    .filter((file) => file !== '' && !exclude.has(file) && existsSync(path.join(repoRoot, file)))
    .map((file) => ({ path: file, text: readFileSync(path.join(repoRoot, file), 'utf8') }))
    .filter((file) => !file.text.includes('\0'));
}
