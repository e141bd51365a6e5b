// The extension's settings and the language client options they stand for.
// Nothing here imports VS Code at run time, so the unit tests run under plain Node.

export const LANGUAGES = ["markdown", "plaintext", "html", "mdx"] as const;
export const AUDIENCES = ["patient", "public", "professional"] as const;
export type Audience = (typeof AUDIENCES)[number];

export const DEFAULT_PATH = "healthlint";

export interface Settings {
  path: string;
  args: string[];
  audience: Audience | "";
}

/** The part of vscode.WorkspaceConfiguration the settings are read through. */
export interface ConfigurationReader {
  get<T>(section: string): T | undefined;
}

/** Where `~` and `${workspaceFolder}` point when a setting uses them. */
export interface Places {
  home?: string;
  workspaceFolder?: string;
}

export function readSettings(config: ConfigurationReader, places: Places = {}): Settings {
  const rawPath = config.get<unknown>("path");
  const path = typeof rawPath === "string" && rawPath.trim() ? rawPath.trim() : DEFAULT_PATH;
  const rawArgs = config.get<unknown>("args");
  const args = Array.isArray(rawArgs) ? rawArgs.filter((arg): arg is string => typeof arg === "string") : [];
  const rawAudience = config.get<unknown>("audience");
  const audience = AUDIENCES.find((known) => known === rawAudience) ?? "";
  return { path: expand(path, places), args: args.map((arg) => expand(arg, places)), audience };
}

/** `~/x` and `${workspaceFolder}/x`, as a writer would type them in settings.json. */
export function expand(value: string, places: Places): string {
  let result = value;
  if (places.workspaceFolder !== undefined) {
    result = result.split("${workspaceFolder}").join(places.workspaceFolder);
  }
  if (places.home !== undefined && (result === "~" || result.startsWith("~/"))) {
    result = places.home + result.slice(1);
  }
  return result;
}

export interface ServerCommand {
  command: string;
  args: string[];
}

/** The extra arguments come between the program and `lsp`: `uv run healthlint lsp`. */
export function serverCommand(settings: Settings): ServerCommand {
  return { command: settings.path, args: [...settings.args, "lsp"] };
}

/** What the server reads under its "healthlint" key (healthlint/lsp/options.py). */
export function serverSettings(settings: Settings): { healthlint: { audience?: Audience } } {
  return { healthlint: settings.audience ? { audience: settings.audience } : {} };
}

export interface DocumentFilter {
  scheme: string;
  language: string;
}

/** Saved files and new, unsaved ones, in every language healthlint reads. */
export function documentSelector(): DocumentFilter[] {
  return LANGUAGES.flatMap((language) => [
    { scheme: "file", language },
    { scheme: "untitled", language },
  ]);
}

/** Changing the program or its arguments needs a new server; the audience is sent to the running one. */
export function needsRestart(before: Settings, after: Settings): boolean {
  return before.path !== after.path || before.args.join("\u0000") !== after.args.join("\u0000");
}
