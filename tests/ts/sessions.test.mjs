// Contract tests in TypeScript/JavaScript: each test gets its own sandbox session through
// the base URL, so tests running at the same time never see each other's rules, script
// steps or journal. The same three helpers work in Vitest or Jest (call `sandboxSession()`
// in `beforeEach`, `reset()` in `afterEach`); here with node's built-in runner, run by
// tests/test_sessions.py:  SANDBOX_URL=http://127.0.0.1:8080 node --test sessions.test.mjs
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";

const SANDBOX = process.env.SANDBOX_URL ?? "http://127.0.0.1:8080";

/** A fresh session: an SDK client on its base URL, and the session's admin calls. */
function sandboxSession() {
  const name = `ts-${randomUUID()}`;
  const baseURL = `${SANDBOX}/session/${name}`; // or ANTHROPIC_BASE_URL for the app under test
  const admin = async (method, path, body) => {
    const response = await fetch(`${baseURL}/_sandbox/${path}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error.message);
    return answer;
  };
  return {
    name,
    client: new Anthropic({ baseURL, apiKey: "sk-ant-sandbox-test", maxRetries: 0 }),
    addRules: (rules) => admin("POST", "rules", { rules }),
    requests: async () => (await admin("GET", "requests")).data.reverse(), // oldest first
    reset: () => admin("POST", "reset"),
  };
}

const ask = async (client, text) => {
  const message = await client.messages.create({
    model: "claude-sonnet-4-6",
    max_tokens: 64,
    messages: [{ role: "user", content: text }],
  });
  return message.content[0].text;
};

describe("two tests at once, one rule id, two sessions", { concurrency: true }, () => {
  for (const who of ["alpha", "beta"]) {
    test(`test ${who}`, async (t) => {
      const sandbox = sandboxSession();
      t.after(sandbox.reset);
      await sandbox.addRules([
        { id: "greet", match: { last_user_text: { contains: "hello" } }, reply: { text: `hi ${who}` } },
        {
          id: "steps",
          match: { last_user_text: "Next" },
          script: { advance: "session", steps: [{ reply: { text: "one" } }, { reply: { text: "two" } }] },
        },
      ]);
      assert.equal(await ask(sandbox.client, "hello there"), `hi ${who}`);
      assert.deepEqual([await ask(sandbox.client, "Next"), await ask(sandbox.client, "Next")], ["one", "two"]);
      const calls = await sandbox.requests();
      assert.deepEqual(calls.map((c) => c.rule), ["greet", "steps", "steps"]);
      assert.ok(calls.every((c) => c.session === sandbox.name));
      assert.equal(calls[0].body.messages[0].content, "hello there");
    });
  }
});

test("a bad rule is refused with its key path", async (t) => {
  const sandbox = sandboxSession();
  t.after(sandbox.reset);
  await assert.rejects(
    sandbox.addRules([{ id: "x", match: { last_user_txt: "hi" }, reply: { text: "no" } }]),
    /rules\[0\]\.match\.last_user_txt.*did you mean `last_user_text`/,
  );
});
