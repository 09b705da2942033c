/**
 * The fenced code blocks of a Markdown file, for tests that run the README's examples as written.
 *
 * Conventions the README follows (and readme-blocks.test.ts relies on):
 * - the fence's language says how a block runs: `ts` (compiled with tsc, then run with node), `js` (run with node),
 *   `bash` (run with bash -e); `text` and unlabelled blocks are not run;
 * - a first line `// name.ext` names the file a user would paste the block into (`.ts`, `.mjs`, `.cjs`, `.js`);
 * - a `text` block that follows a runnable block with only prose between them and no other block is that block's
 *   expected standard output.
 */
export interface CodeBlock {
  /** 1-based position among all fenced blocks of the file. */
  readonly index: number;
  /** Line of the opening fence (1-based). */
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  /** The file name given by a first-line `// name.ext` comment, if any. */
  readonly fileName: string | null;
  /** The expected standard output: the text block that follows, if any. */
  readonly expectedOutput: string | null;
}

const FENCE = /^```([\w-]*)\s*$/;
const FILE_COMMENT = /^\/\/\s*([\w.-]+\.(?:ts|mjs|cjs|js))\b/;
export const RUNNABLE_LANGS: readonly string[] = ['ts', 'js', 'bash'];

export function codeBlocks(markdown: string): CodeBlock[] {
  const raw: { line: number; lang: string; code: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i === lines.length) throw new Error(`README: the code block opened on line ${start + 1} is not closed`);
    raw.push({ line: start + 1, lang: open[1]!, code: body.join('\n') + '\n' });
  }
  return raw.map((b, k) => {
    const next = raw[k + 1];
    const expectedOutput = RUNNABLE_LANGS.includes(b.lang) && next?.lang === 'text' ? next.code : null;
    return { index: k + 1, ...b, fileName: FILE_COMMENT.exec(b.code)?.[1] ?? null, expectedOutput };
  });
}

/** Output lines without trailing spaces and without trailing empty lines, for comparing printed output. */
export function normalizeOutput(text: string): string {
  return text.split('\n').map((l) => l.trimEnd()).join('\n').trimEnd();
}
