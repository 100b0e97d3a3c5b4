// The official TypeScript SDK against a running sandbox: list every model (auto-paginated,
// two per page), retrieve one by alias and count tokens. Prints one JSON object for the
// pytest test that runs it (tests/test_models.py).
import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({
  baseURL: process.env.SANDBOX_URL,
  apiKey: "sk-ant-ts-check",
  maxRetries: 0,
});

const ids = [];
for await (const model of client.models.list({ limit: 2 })) {
  ids.push(model.id);
}
const alias = await client.models.retrieve("claude-sonnet-4-5");
const counted = await client.messages.countTokens({
  model: "claude-haiku-4-5",
  system: "You are terse.",
  messages: [{ role: "user", content: "Say hi from TypeScript" }],
});
console.log(JSON.stringify({ ids, alias: alias.id, input_tokens: counted.input_tokens }));
