// The settings schema in package.json agrees with what the extension reads.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { AUDIENCES, DEFAULT_PATH, LANGUAGES } from "../src/settings";

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
const properties = manifest.contributes.configuration.properties;

test("the settings are exactly path, args, audience and the trace", () => {
  assert.deepEqual(Object.keys(properties).sort(), ["healthlint.args", "healthlint.audience", "healthlint.path", "healthlint.trace.server"]);
});

test("each setting's type and default", () => {
  assert.equal(properties["healthlint.path"].type, "string");
  assert.equal(properties["healthlint.path"].default, DEFAULT_PATH);
  assert.equal(properties["healthlint.args"].type, "array");
  assert.deepEqual(properties["healthlint.args"].items, { type: "string" });
  assert.deepEqual(properties["healthlint.args"].default, []);
  assert.equal(properties["healthlint.audience"].default, "");
  assert.deepEqual(properties["healthlint.audience"].enum, ["", ...AUDIENCES]);
  assert.equal(properties["healthlint.audience"].enumDescriptions.length, AUDIENCES.length + 1);
  assert.deepEqual(properties["healthlint.trace.server"].enum, ["off", "messages", "verbose"]);
  for (const [name, property] of Object.entries<{ markdownDescription?: string }>(properties)) {
    assert.ok(property.markdownDescription && property.markdownDescription.length > 20, `${name} needs a description`);
  }
});

test("a folder you have not trusted cannot choose the program VS Code runs", () => {
  assert.equal(properties["healthlint.path"].scope, "machine-overridable");
  assert.equal(properties["healthlint.args"].scope, "machine-overridable");
  const untrusted = manifest.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, "limited");
  assert.deepEqual(untrusted.restrictedConfigurations, ["healthlint.path", "healthlint.args"]);
});

test("the extension wakes for every language it checks, and its commands are declared", () => {
  assert.deepEqual(manifest.activationEvents, LANGUAGES.map((language) => `onLanguage:${language}`));
  assert.equal(manifest.main, "./out/src/extension.js");
  const commands = manifest.contributes.commands.map((command: { command: string }) => command.command);
  assert.deepEqual(commands, ["healthlint.restart", "healthlint.showOutput"]);
});

test("@vscode/vsce is pinned, and the languageclient matches the VS Code version asked for", () => {
  assert.match(manifest.devDependencies["@vscode/vsce"], /^\d+\.\d+\.\d+$/);
  assert.match(manifest.dependencies["vscode-languageclient"], /^9\./);
  assert.equal(manifest.engines.vscode, "^1.82.0");
  assert.equal(manifest.devDependencies["@types/vscode"], "1.82.0");
});
