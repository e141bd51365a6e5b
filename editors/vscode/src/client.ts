// The options the language client is started with. Only types come from vscode-languageclient
// here, so the unit tests can build and inspect these options without VS Code.

import type { Executable, LanguageClientOptions, Middleware } from "vscode-languageclient/node";
import { documentSelector, serverCommand, serverSettings, type Settings } from "./settings";
import type { LintingStatus } from "./status";

export const CLIENT_ID = "healthlint";
export const CLIENT_NAME = "healthlint";

export function serverOptions(settings: Settings, cwd?: string): Executable {
  const { command, args } = serverCommand(settings);
  return cwd === undefined ? { command, args } : { command, args, options: { cwd } };
}

/** Marks a file as being checked when it is sent to the server, and done when its findings come back. */
export function statusMiddleware(status: LintingStatus): Middleware {
  return {
    didOpen: (document, next) => {
      status.started(document.uri.toString());
      return next(document);
    },
    didChange: (event, next) => {
      status.started(event.document.uri.toString());
      return next(event);
    },
    didSave: (document, next) => {
      status.started(document.uri.toString());
      return next(document);
    },
    didClose: (document, next) => {
      status.finished(document.uri.toString());
      return next(document);
    },
    handleDiagnostics: (uri, diagnostics, next) => {
      status.finished(uri.toString());
      next(uri, diagnostics);
    },
  };
}

export function clientOptions(settings: Settings, middleware?: Middleware): LanguageClientOptions {
  return {
    documentSelector: documentSelector(),
    initializationOptions: serverSettings(settings),
    diagnosticCollectionName: CLIENT_ID,
    outputChannelName: CLIENT_NAME,
    middleware,
  };
}
