// The VS Code side: starts `healthlint lsp`, restarts it when its program changes, sends the
// audience when it changes, and shows a status-bar item while a file is checked.

import * as os from "os";
import * as vscode from "vscode";
import { LanguageClient, State } from "vscode-languageclient/node";
import { CLIENT_ID, CLIENT_NAME, clientOptions, serverOptions, statusMiddleware } from "./client";
import { findProgram, notInstalledMessage, OPEN_SETTINGS, SHOW_OUTPUT, stoppedMessage } from "./install";
import { needsRestart, readSettings, serverSettings, type Settings } from "./settings";
import { LintingStatus } from "./status";

let client: LanguageClient | undefined;
let settings: Settings | undefined;
let status: LintingStatus | undefined;
let output: vscode.OutputChannel | undefined;

function workspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

function currentSettings(): Settings {
  return readSettings(vscode.workspace.getConfiguration("healthlint"), { home: os.homedir(), workspaceFolder: workspaceFolder() });
}

async function tell(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, OPEN_SETTINGS, SHOW_OUTPUT);
  if (choice === OPEN_SETTINGS) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "healthlint.path");
  } else if (choice === SHOW_OUTPUT) {
    output?.show();
  }
}

async function start(): Promise<void> {
  settings = currentSettings();
  const folder = workspaceFolder();
  const server = serverOptions(settings, folder);
  if (!findProgram(server.command, { PATH: process.env.PATH, PATHEXT: process.env.PATHEXT })) {
    void tell(notInstalledMessage(server.command));
    return;
  }
  const options = clientOptions(settings, statusMiddleware(status!));
  options.outputChannel = output;
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, server, options);
  // A server that stops (or crashes) checks nothing: the status-bar item must not keep spinning.
  client.onDidChangeState((change) => {
    if (change.newState === State.Stopped) {
      status?.clear();
    }
  });
  try {
    await client.start();
  } catch (error) {
    output?.appendLine(`healthlint could not start: ${String(error)}`);
    status?.clear();
    const failed = client;
    client = undefined;
    await failed.dispose().catch(() => undefined);
    void tell(stoppedMessage(server.command, server.args ?? []));
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  status?.clear();
  if (running) {
    await running.stop().catch(() => undefined);
  }
}

async function settingsChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
  if (!event.affectsConfiguration("healthlint") || !settings) {
    return;
  }
  const before = settings;
  const after = currentSettings();
  if (needsRestart(before, after) || !client) {
    await stop();
    await start();
  } else if (before.audience !== after.audience) {
    settings = after;
    await client.sendNotification("workspace/didChangeConfiguration", { settings: serverSettings(after) });
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left);
  item.command = "healthlint.showOutput";
  status = new LintingStatus({
    show: (text, tooltip) => {
      item.text = text;
      item.tooltip = tooltip;
      item.show();
    },
    hide: () => item.hide(),
  });
  const expiry = setInterval(() => status?.expire(), 10_000);
  context.subscriptions.push(
    output,
    item,
    { dispose: () => clearInterval(expiry) },
    vscode.commands.registerCommand("healthlint.restart", async () => {
      await stop();
      await start();
    }),
    vscode.commands.registerCommand("healthlint.showOutput", () => output?.show()),
    vscode.workspace.onDidChangeConfiguration(settingsChanged),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}
