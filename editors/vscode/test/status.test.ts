import assert from "node:assert/strict";
import { test } from "node:test";
import { fileName, GIVE_UP_AFTER_MS, LintingStatus } from "../src/status";

function recorder() {
  const shown: string[] = [];
  return {
    shown,
    view: {
      show: (text: string, tooltip: string) => shown.push(`${text} | ${tooltip}`),
      hide: () => shown.push("hidden"),
    },
  };
}

test("shows while a file is checked and hides when its findings arrive", () => {
  const { shown, view } = recorder();
  const status = new LintingStatus(view);
  status.started("file:///site/a.md");
  status.started("file:///site/b%20c.md");
  status.finished("file:///site/a.md");
  status.finished("file:///site/b%20c.md");
  assert.deepEqual(shown, [
    "$(sync~spin) healthlint: checking | healthlint is checking a.md",
    "$(sync~spin) healthlint: checking 2 files | healthlint is checking a.md, b c.md",
    "$(sync~spin) healthlint: checking | healthlint is checking b c.md",
    "hidden",
  ]);
});

test("findings for a file that was not being checked change nothing", () => {
  const { shown, view } = recorder();
  const status = new LintingStatus(view);
  status.finished("file:///site/a.md");
  assert.deepEqual(shown, []);
});

test("a check whose findings never come is dropped after the time limit, not before", () => {
  const { view } = recorder();
  let now = 1_000;
  const status = new LintingStatus(view, () => now);
  status.started("file:///a.md");
  now += GIVE_UP_AFTER_MS;
  status.expire();
  assert.deepEqual(status.checking, ["file:///a.md"]);
  now += 1;
  status.expire();
  assert.deepEqual(status.checking, []);
});

test("clear forgets every check", () => {
  const { shown, view } = recorder();
  const status = new LintingStatus(view);
  status.started("file:///a.md");
  status.clear();
  assert.deepEqual(status.checking, []);
  assert.equal(shown.at(-1), "hidden");
});

test("file names come from the last part of the URI", () => {
  assert.equal(fileName("file:///a/b/%C3%A9t%C3%A9.md"), "été.md");
  assert.equal(fileName("untitled:Untitled-1"), "untitled:Untitled-1");
  assert.equal(fileName("file:///a/b.md?x=1#top"), "b.md");
});
