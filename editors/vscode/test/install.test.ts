import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { findProgram, notInstalledMessage, stoppedMessage } from "../src/install";

function folderWith(files: Record<string, number>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "healthlint-vscode-"));
  for (const [name, mode] of Object.entries(files)) {
    fs.writeFileSync(path.join(folder, name), "#!/bin/sh\n");
    fs.chmodSync(path.join(folder, name), mode);
  }
  return folder;
}

test("finds an executable on PATH, skipping folders without it and files that cannot run", () => {
  const empty = folderWith({});
  const notRunnable = folderWith({ healthlint: 0o644 });
  const runnable = folderWith({ healthlint: 0o755 });
  const found = findProgram("healthlint", { PATH: [empty, notRunnable, runnable].join(":") }, "linux");
  assert.equal(found, path.join(runnable, "healthlint"));
  assert.equal(findProgram("healthlint", { PATH: [empty, notRunnable].join(":") }, "linux"), undefined);
  assert.equal(findProgram("healthlint", {}, "linux"), undefined);
});

test("a path with a folder is checked as it is, not looked up on PATH", () => {
  const runnable = folderWith({ healthlint: 0o755 });
  const full = path.join(runnable, "healthlint");
  assert.equal(findProgram(full, { PATH: "" }, "linux"), full);
  assert.equal(findProgram(path.join(runnable, "nothing"), { PATH: runnable }, "linux"), undefined);
  assert.equal(findProgram(runnable, { PATH: "" }, "linux"), undefined, "a folder is not a program");
});

test("on Windows the program's extensions are tried", () => {
  const folder = folderWith({ "healthlint.EXE": 0o644 });
  assert.equal(findProgram("healthlint", { PATH: folder, PATHEXT: ".COM;.EXE" }, "win32"), path.join(folder, "healthlint.EXE"));
});

test("the messages say what is wrong and how to fix it", () => {
  const missing = notInstalledMessage("healthlint");
  assert.match(missing, /^healthlint is not installed, or VS Code cannot find it/);
  assert.match(missing, /python3 -m pip install healthlint/);
  assert.match(missing, /'healthlint\.path'/);
  const wrongPath = notInstalledMessage("/opt/hl/bin/healthlint");
  assert.match(wrongPath, /cannot find the program '\/opt\/hl\/bin\/healthlint' set in 'healthlint\.path'/);
  assert.match(stoppedMessage("python3", ["-m", "healthlint", "lsp"]), /\('python3 -m healthlint lsp'\)/);
});
