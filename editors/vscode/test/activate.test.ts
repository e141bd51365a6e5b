// The extension activated against a stand-in for the `vscode` module: with no healthlint to
// start, it says so with a fix, and starts no server.
import assert from "node:assert/strict";
import Module from "node:module";
import { test } from "node:test";

interface Shown {
  errors: { message: string; buttons: string[] }[];
  commands: string[];
  executed: unknown[][];
}

function fakeVscode(settings: Record<string, unknown>, shown: Shown, answer?: string) {
  const disposable = { dispose: () => undefined };
  // vscode-languageclient extends some of VS Code's classes when it is loaded: any name the
  // stand-in does not define is an empty class.
  const known: Record<string, unknown> = {
    StatusBarAlignment: { Left: 1, Right: 2 },
    workspace: {
      workspaceFolders: undefined,
      getConfiguration: () => ({ get: (key: string) => settings[key] }),
      onDidChangeConfiguration: () => disposable,
    },
    window: {
      createOutputChannel: () => ({ appendLine: () => undefined, show: () => undefined, dispose: () => undefined }),
      createStatusBarItem: () => ({ show: () => undefined, hide: () => undefined, dispose: () => undefined }),
      showErrorMessage: async (message: string, ...buttons: string[]) => {
        shown.errors.push({ message, buttons });
        return answer;
      },
    },
    commands: {
      registerCommand: (name: string) => {
        shown.commands.push(name);
        return disposable;
      },
      executeCommand: async (...args: unknown[]) => {
        shown.executed.push(args);
      },
    },
  };
  return new Proxy(known, { get: (target, name: string) => (name in target ? target[name] : class {}) });
}

async function activateWith(settings: Record<string, unknown>, answer?: string): Promise<Shown> {
  const shown: Shown = { errors: [], commands: [], executed: [] };
  const stub = fakeVscode(settings, shown, answer);
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = (request: string, ...rest: unknown[]) => (request === "vscode" ? stub : original(request, ...rest));
  try {
    const extensionPath = require.resolve("../src/extension");
    delete require.cache[extensionPath];
    const extension = require(extensionPath);
    const context = { subscriptions: [] as { dispose(): void }[] };
    await extension.activate(context);
    await new Promise((resolve) => setImmediate(resolve));
    for (const item of context.subscriptions) item.dispose();
    await extension.deactivate();
  } finally {
    loader._load = original;
  }
  return shown;
}

test("a missing healthlint is reported once, with the install command and a way to the setting", async () => {
  const shown = await activateWith({ path: "/nonexistent/bin/healthlint" });
  assert.equal(shown.errors.length, 1);
  assert.match(shown.errors[0].message, /cannot find the program '\/nonexistent\/bin\/healthlint' set in 'healthlint\.path'/);
  assert.deepEqual(shown.errors[0].buttons, ["Open Settings", "Show Output"]);
  assert.deepEqual(shown.commands, ["healthlint.restart", "healthlint.showOutput"]);
});

test("not on PATH: the message names the install command; Open Settings opens the path setting", async () => {
  const path = process.env.PATH;
  process.env.PATH = "/nonexistent";
  try {
    const shown = await activateWith({}, "Open Settings");
    assert.equal(shown.errors.length, 1);
    assert.match(shown.errors[0].message, /^healthlint is not installed, or VS Code cannot find it/);
    assert.match(shown.errors[0].message, /python3 -m pip install healthlint/);
    assert.deepEqual(shown.executed, [["workbench.action.openSettings", "healthlint.path"]]);
  } finally {
    process.env.PATH = path;
  }
});
