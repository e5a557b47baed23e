// The gistpath extension: the language client that starts `gistpath lsp` over stdio.
// Highlighting comes from the TextMate grammar (syntaxes/); everything else (diagnostics,
// verification as you type, hover, go to definition, references, rename, outline,
// completion, formatting, quick fixes) from the language server.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

async function activate(context) {
  const config = vscode.workspace.getConfiguration("gistpath");
  const command = config.get("server.command", ["gistpath", "lsp"]);
  if (!Array.isArray(command) || command.length === 0) {
    vscode.window.showErrorMessage("gistpath.server.command must name a program to run");
    return;
  }
  const serverOptions = { command: command[0], args: command.slice(1) };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "gistpath" },
      { scheme: "untitled", language: "gistpath" },
    ],
  };
  client = new LanguageClient("gistpath", "gistpath language server", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `Could not start the gistpath language server (${command.join(" ")}): ${error}. ` +
        "Install it with: pip install 'gistpath[lsp]'"
    );
  }
  context.subscriptions.push({ dispose: () => (client ? client.stop() : undefined) });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
