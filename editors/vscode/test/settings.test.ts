import assert from "node:assert/strict";
import { test } from "node:test";
import { documentSelector, expand, needsRestart, readSettings, serverCommand, serverSettings } from "../src/settings";

function reader(values: Record<string, unknown>) {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

test("defaults start healthlint lsp from PATH with no audience", () => {
  const settings = readSettings(reader({}));
  assert.deepEqual(settings, { path: "healthlint", args: [], audience: "" });
  assert.deepEqual(serverCommand(settings), { command: "healthlint", args: ["lsp"] });
  assert.deepEqual(serverSettings(settings), { healthlint: {} });
});

test("extra arguments go between the program and lsp", () => {
  const settings = readSettings(reader({ path: " uv ", args: ["run", "healthlint"] }));
  assert.deepEqual(serverCommand(settings), { command: "uv", args: ["run", "healthlint", "lsp"] });
});

test("a blank path, a non-list of arguments and non-string arguments fall back", () => {
  const settings = readSettings(reader({ path: "   ", args: ["-m", 3, null, "healthlint"] }));
  assert.equal(settings.path, "healthlint");
  assert.deepEqual(settings.args, ["-m", "healthlint"]);
  assert.deepEqual(readSettings(reader({ args: "-m healthlint" })).args, []);
});

test("a known audience is sent to the server, an unknown one is not", () => {
  assert.deepEqual(serverSettings(readSettings(reader({ audience: "public" }))), { healthlint: { audience: "public" } });
  assert.deepEqual(serverSettings(readSettings(reader({ audience: "Public" }))), { healthlint: {} });
  assert.deepEqual(serverSettings(readSettings(reader({ audience: "kids" }))), { healthlint: {} });
});

test("~ and ${workspaceFolder} are expanded in the path and the arguments", () => {
  const places = { home: "/home/ana", workspaceFolder: "/work/site" };
  const settings = readSettings(reader({ path: "${workspaceFolder}/.venv/bin/healthlint", args: ["~/x", "a~/b"] }), places);
  assert.equal(settings.path, "/work/site/.venv/bin/healthlint");
  assert.deepEqual(settings.args, ["/home/ana/x", "a~/b"]);
  assert.equal(expand("~", places), "/home/ana");
  assert.equal(expand("~ana/x", places), "~ana/x");
  assert.equal(expand("${workspaceFolder}/bin", {}), "${workspaceFolder}/bin");
});

test("the selector covers Markdown, plain text, HTML and MDX, saved and unsaved", () => {
  assert.deepEqual(documentSelector(), [
    { scheme: "file", language: "markdown" },
    { scheme: "untitled", language: "markdown" },
    { scheme: "file", language: "plaintext" },
    { scheme: "untitled", language: "plaintext" },
    { scheme: "file", language: "html" },
    { scheme: "untitled", language: "html" },
    { scheme: "file", language: "mdx" },
    { scheme: "untitled", language: "mdx" },
  ]);
});

test("only a new program or new arguments restart the server", () => {
  const base = { path: "healthlint", args: ["a"], audience: "" as const };
  assert.equal(needsRestart(base, { ...base, audience: "public" }), false);
  assert.equal(needsRestart(base, { ...base }), false);
  assert.equal(needsRestart(base, { ...base, path: "/opt/healthlint" }), true);
  assert.equal(needsRestart(base, { ...base, args: ["a", "b"] }), true);
  assert.equal(needsRestart({ ...base, args: ["a b"] }, { ...base, args: ["a", "b"] }), true);
});
