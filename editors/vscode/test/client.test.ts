import assert from "node:assert/strict";
import { test } from "node:test";
import { clientOptions, serverOptions, statusMiddleware } from "../src/client";
import { LintingStatus } from "../src/status";

const settings = { path: "healthlint", args: [], audience: "patient" as const };

test("the server is started over stdio in the workspace folder", () => {
  assert.deepEqual(serverOptions(settings, "/work/site"), { command: "healthlint", args: ["lsp"], options: { cwd: "/work/site" } });
  assert.deepEqual(serverOptions(settings), { command: "healthlint", args: ["lsp"] });
  assert.equal("transport" in serverOptions(settings), false, "no transport: vscode-languageclient's default, stdio");
});

test("client options: the languages, the audience as initialization options, one output channel", () => {
  const options = clientOptions(settings);
  assert.deepEqual(options.initializationOptions, { healthlint: { audience: "patient" } });
  assert.equal(options.outputChannelName, "healthlint");
  assert.equal(options.diagnosticCollectionName, "healthlint");
  const languages = (options.documentSelector as { language: string }[]).map((filter) => filter.language);
  assert.deepEqual([...new Set(languages)], ["markdown", "plaintext", "html", "mdx"]);
});

test("the middleware marks a file checked on open, change and save, and done on its diagnostics or close", async () => {
  const status = new LintingStatus({ show: () => undefined, hide: () => undefined });
  const middleware = statusMiddleware(status) as unknown as Record<string, (...args: unknown[]) => unknown>;
  const doc = { uri: { toString: () => "file:///a.md" } };
  const passed: string[] = [];
  const next = (name: string) => async () => {
    passed.push(name);
  };

  await middleware.didOpen(doc, next("open"));
  assert.deepEqual(status.checking, ["file:///a.md"]);
  middleware.handleDiagnostics(doc.uri, [], () => passed.push("diagnostics"));
  assert.deepEqual(status.checking, []);
  await middleware.didChange({ document: doc }, next("change"));
  assert.deepEqual(status.checking, ["file:///a.md"]);
  middleware.handleDiagnostics({ toString: () => "file:///other.md" }, [], () => passed.push("other diagnostics"));
  assert.deepEqual(status.checking, ["file:///a.md"]);
  await middleware.didClose(doc, next("close"));
  assert.deepEqual(status.checking, []);
  await middleware.didSave(doc, next("save"));
  assert.deepEqual(status.checking, ["file:///a.md"]);
  assert.deepEqual(passed, ["open", "diagnostics", "change", "other diagnostics", "close", "save"]);
});
