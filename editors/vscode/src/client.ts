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

interface HasUri {
  uri: { toString(): string };
}

/** Marks a file as being checked when it is sent to the server, and done when its findings come back. */
export function statusMiddleware(status: LintingStatus): Middleware {
  const middleware = {
    didOpen: (document: HasUri, next: (document: HasUri) => Promise<void>) => {
      status.started(document.uri.toString());
      return next(document);
    },
    didChange: (event: { document: HasUri }, next: (event: { document: HasUri }) => Promise<void>) => {
      status.started(event.document.uri.toString());
      return next(event);
    },
    didSave: (document: HasUri, next: (document: HasUri) => Promise<void>) => {
      status.started(document.uri.toString());
      return next(document);
    },
    didClose: (document: HasUri, next: (document: HasUri) => Promise<void>) => {
      status.finished(document.uri.toString());
      return next(document);
    },
    handleDiagnostics: (uri: { toString(): string }, diagnostics: unknown[], next: (uri: never, diagnostics: never) => void) => {
      status.finished(uri.toString());
      next(uri as never, diagnostics as never);
    },
  };
  return middleware as unknown as Middleware;
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
