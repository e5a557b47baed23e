// Tokenizes every rule file shipped with gistpath (the bundled rule sets, the docs'
// examples, the test fixtures) with the TextMate grammar, as VS Code does, and fails when
//   - a character other than white space is left without a scope of its own,
//   - a declaration at the start of a line is not scoped as one,
//   - a comment line is not entirely a comment.
"use strict";

const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const ROOT = path.resolve(__dirname, "..", "..", "..");
const GRAMMAR = path.resolve(__dirname, "..", "syntaxes", "gistpath.tmLanguage.json");
const DECLARATION = /^(ruleset|source|input|let|table|constraint|pathway|consideration|example|property)\s+[A-Za-z_]/;

function ruleFiles(folder) {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return ruleFiles(full);
    return entry.name.endsWith(".gprules") ? [full] : [];
  });
}

async function main() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === "source.gistpath"
        ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, "utf8"), GRAMMAR)
        : null,
  });
  const grammar = await registry.loadGrammar("source.gistpath");
  const files = [
    ...ruleFiles(path.join(ROOT, "src", "gistpath", "rules")),
    ...ruleFiles(path.join(ROOT, "docs", "examples")),
    ...ruleFiles(path.join(ROOT, "tests", "fixtures")),
  ];
  if (files.length < 5) throw new Error(`found only ${files.length} rule files under ${ROOT}`);
  const problems = [];
  let lines = 0;
  for (const file of files) {
    let stack = vsctm.INITIAL;
    const text = fs.readFileSync(file, "utf8").split("\n");
    text.forEach((line, index) => {
      lines += 1;
      const where = `${path.relative(ROOT, file)}:${index + 1}`;
      const result = grammar.tokenizeLine(line, stack);
      stack = result.ruleStack;
      for (const token of result.tokens) {
        const piece = line.slice(token.startIndex, token.endIndex);
        if (token.scopes.length === 1 && piece.trim() !== "") {
          problems.push(`${where}: '${piece}' has no scope`);
        }
        if (token.scopes.some((s) => s.startsWith("invalid"))) {
          problems.push(`${where}: '${piece}' is marked invalid`);
        }
      }
      const first = result.tokens[0];
      if (DECLARATION.test(line) && !first.scopes.some((s) => s.startsWith("storage.type"))) {
        problems.push(`${where}: the declaration keyword is scoped ${first.scopes.join(" ")}`);
      }
      if (/^\s*#/.test(line) && stack.depth === 1) {
        const code = result.tokens.filter(
          (t) => line.slice(t.startIndex, t.endIndex).trim() !== "" && !t.scopes.some((s) => s.startsWith("comment"))
        );
        if (code.length) problems.push(`${where}: a comment line has code scopes`);
      }
    });
  }
  if (problems.length) {
    console.error(problems.slice(0, 50).join("\n"));
    console.error(`${problems.length} problems in ${files.length} files`);
    process.exit(1);
  }
  console.log(`✓ ${files.length} bundled rule files (${lines} lines) tokenized cleanly`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
