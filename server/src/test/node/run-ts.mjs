// Type-checks a TypeScript file strictly (the TypeScript compiler, Node's types) and then runs it: how
// ReadmeSnippetsIT executes the README's TypeScript snippet. Usage: node run-ts.mjs FILE.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const file = process.argv[2] ?? process.env.ARG;
const options = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext, types: ['node'], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  skipLibCheck: true };
const program = ts.createProgram([file], options);
const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
if (problems.length > 0) {
  console.error(`type errors in ${file}:\n${problems.join('\n')}`);
  process.exit(1);
}
const js = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ES2022 } }).outputText;
const out = file.replace(/\.ts$/, '.mjs');
writeFileSync(out, js);
await import(pathToFileURL(out).href);
