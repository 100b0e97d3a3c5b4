// An older TypeScript SDK (0.x, aliased `sdk-0x`) and the Vercel AI SDK (`ai` +
// `@ai-sdk/anthropic`, which parses the SSE itself and validates every chunk with zod)
// against a running sandbox. Run by tests/compat/run.sh; one line per check, exit 1 on any
// failure.
import Anthropic from "sdk-0x";
import { createAnthropic } from "@ai-sdk/anthropic";
import { generateText, streamText, tool, Output } from "ai";
import { z } from "zod";
import { readFileSync } from "node:fs";

const BASE_URL = process.env.SANDBOX_URL ?? "http://127.0.0.1:8080";
const API_KEY = process.env.SANDBOX_KEY ?? "sk-ant-compat";
const MODEL = "claude-sonnet-4-6";
const HELLO = [{ role: "user", content: "Hello there" }];
const WEATHER = {
  name: "get_weather",
  description: "Current weather in a city.",
  input_schema: {
    type: "object",
    properties: { location: { type: "string" } },
    required: ["location"],
  },
};
// Read from disk: the packages' export maps do not expose package.json.
const versionOf = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version;
const sdkVersion = versionOf("sdk-0x");
const aiVersion = versionOf("@ai-sdk/anthropic");
const checks = [];
const check = (label, name, fn) => checks.push({ label, name, fn });
const expect = (condition, what) => {
  if (!condition) throw new Error(typeof what === "string" ? what : JSON.stringify(what));
};
const sdk = (options = {}) =>
  new Anthropic({ baseURL: BASE_URL, apiKey: API_KEY, maxRetries: 0, ...options });
const textOf = (message) =>
  message.content.filter((b) => b.type === "text").map((b) => b.text).join("");

// -- @anthropic-ai/sdk 0.x --------------------------------------------------------------------
const TS = `@anthropic-ai/sdk ${sdkVersion}`;

check(TS, "messages_create", async () => {
  const msg = await sdk().messages.create({ model: MODEL, max_tokens: 64, messages: HELLO });
  expect(msg.id.startsWith("msg_") && textOf(msg), msg);
  expect(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0, msg.usage);
  return msg.id;
});

check(TS, "messages_stream_text", async () => {
  let streamed = "";
  const stream = sdk().messages.stream({ model: MODEL, max_tokens: 64, messages: HELLO });
  stream.on("text", (text) => (streamed += text));
  const final = await stream.finalMessage();
  expect(streamed && streamed === textOf(final), { streamed, final: textOf(final) });
  return `${streamed.length} chars`;
});

check(TS, "forced_tool_use_stream_accumulates_input", async () => {
  let partial = "";
  const stream = sdk().messages.stream({
    model: MODEL,
    max_tokens: 256,
    tools: [WEATHER],
    tool_choice: { type: "tool", name: "get_weather" },
    messages: [{ role: "user", content: "Weather in Paris?" }],
  });
  stream.on("inputJson", (delta) => (partial += delta));
  const final = await stream.finalMessage();
  const call = final.content.find((b) => b.type === "tool_use");
  expect(call && JSON.stringify(JSON.parse(partial)) === JSON.stringify(call.input), {
    partial,
    call,
  });
  expect(final.stop_reason === "tool_use", final);
  return JSON.stringify(call.input);
});

check(TS, "models_list_auto_paginates", async () => {
  const ids = [];
  for await (const model of sdk().models.list({ limit: 3 })) ids.push(model.id);
  expect(ids.length > 3 && new Set(ids).size === ids.length, ids);
  return `${ids.length} models`;
});

check(TS, "beta_count_tokens", async () => {
  const counted = await sdk().beta.messages.countTokens({
    model: MODEL,
    messages: HELLO,
    betas: ["token-counting-2024-11-01"],
  });
  expect(counted.input_tokens > 0, counted);
  return `${counted.input_tokens}`;
});

check(TS, "batches_create_retrieve_results", async () => {
  const client = sdk();
  const batches = client.messages.batches ?? client.beta.messages.batches;
  const params = { model: MODEL, max_tokens: 32, messages: HELLO };
  const batch = await batches.create({ requests: [{ custom_id: "good", params }] });
  const ended = await batches.retrieve(batch.id);
  expect(ended.processing_status === "ended", ended);
  const results = [];
  for await (const line of await batches.results(batch.id)) results.push(line);
  expect(results.length === 1 && results[0].result.type === "succeeded", results);
  return batch.id;
});

check(TS, "error_404_unknown_model", async () => {
  try {
    await sdk().messages.create({ model: "claude-nope", max_tokens: 8, messages: HELLO });
  } catch (err) {
    expect(err instanceof Anthropic.NotFoundError && err.status === 404, String(err));
    return err.error?.error?.message;
  }
  throw new Error("no error");
});

check(TS, "error_529_retry_succeeds", async () => {
  const session = `compat-node-${Date.now()}-${Math.random()}`;
  const client = sdk({ maxRetries: 2, defaultHeaders: { "x-sandbox-session": session } });
  const { data, response } = await client.messages
    .create({
      model: MODEL,
      max_tokens: 64,
      messages: [{ role: "user", content: "Retry demo: succeed on the second attempt" }],
    })
    .withResponse();
  expect(textOf(data) === "Succeeded on the second attempt.", textOf(data));
  expect(response.headers.get("x-sandbox-step") === "2/2", response.headers.get("x-sandbox-step"));
  return "retried after 529";
});

check(TS, "error_mid_stream_raises", async () => {
  const stream = sdk().messages.stream({
    model: MODEL,
    max_tokens: 64,
    messages: [{ role: "user", content: "Error demo: mid-stream" }],
  });
  try {
    await stream.finalMessage();
  } catch (err) {
    expect(/overloaded/i.test(String(err)), String(err));
    return err.constructor.name;
  }
  throw new Error("no error");
});

// -- Vercel AI SDK ----------------------------------------------------------------------------
const AI = `@ai-sdk/anthropic ${aiVersion}`;
const provider = createAnthropic({ baseURL: `${BASE_URL}/v1`, apiKey: API_KEY });
const weatherTool = tool({
  description: "Current weather in a city.",
  inputSchema: z.object({ location: z.string() }),
});

check(AI, "generate_text", async () => {
  const result = await generateText({
    model: provider(MODEL),
    prompt: "Hello there",
    maxOutputTokens: 64,
    maxRetries: 0,
  });
  expect(result.text && result.finishReason === "stop", {
    text: result.text,
    finishReason: result.finishReason,
  });
  expect(result.usage.inputTokens > 0 && result.usage.outputTokens > 0, result.usage);
  return `${result.usage.inputTokens} in / ${result.usage.outputTokens} out`;
});

check(AI, "stream_text", async () => {
  const result = streamText({
    model: provider(MODEL),
    prompt: "Hello there",
    maxOutputTokens: 64,
    maxRetries: 0,
  });
  let streamed = "";
  for await (const part of result.textStream) streamed += part;
  const [text, usage, finishReason] = await Promise.all([
    result.text,
    result.usage,
    result.finishReason,
  ]);
  expect(streamed && streamed === text && finishReason === "stop", { streamed, text, finishReason });
  expect(usage.inputTokens > 0 && usage.outputTokens > 0, usage);
  return `${streamed.length} chars`;
});

check(AI, "stream_text_forced_tool_call", async () => {
  const result = streamText({
    model: provider(MODEL),
    prompt: "Weather in Paris?",
    tools: { get_weather: weatherTool },
    toolChoice: { type: "tool", toolName: "get_weather" },
    maxOutputTokens: 256,
    maxRetries: 0,
  });
  for await (const _ of result.fullStream);
  const calls = await result.toolCalls;
  expect(calls.length === 1 && typeof calls[0].input.location === "string", calls);
  expect((await result.finishReason) === "tool-calls", await result.finishReason);
  return JSON.stringify(calls[0].input);
});

check(AI, "generate_text_reasoning", async () => {
  const result = await generateText({
    model: provider(MODEL),
    prompt: "Hello there",
    maxOutputTokens: 2048,
    maxRetries: 0,
    providerOptions: { anthropic: { thinking: { type: "enabled", budgetTokens: 1024 } } },
  });
  expect(result.reasoningText && result.text, {
    reasoning: result.reasoningText,
    text: result.text,
  });
  return `${result.reasoningText.length} reasoning chars`;
});

check(AI, "stream_text_reasoning", async () => {
  const result = streamText({
    model: provider(MODEL),
    prompt: "Hello there",
    maxOutputTokens: 2048,
    maxRetries: 0,
    providerOptions: { anthropic: { thinking: { type: "enabled", budgetTokens: 1024 } } },
  });
  const kinds = new Set();
  for await (const part of result.fullStream) kinds.add(part.type);
  expect(kinds.has("reasoning-delta") && kinds.has("text-delta"), [...kinds]);
  return `${(await result.reasoningText).length} reasoning chars`;
});

check(AI, "structured_output", async () => {
  const result = await generateText({
    model: provider(MODEL),
    prompt: "Alice, alice@example.com",
    output: Output.object({ schema: z.object({ name: z.string(), email: z.string() }) }),
    maxOutputTokens: 256,
    maxRetries: 0,
  });
  expect(result.output && typeof result.output.name === "string", result.output);
  return JSON.stringify(result.output);
});

check(AI, "error_surfaces_api_message", async () => {
  try {
    await generateText({
      model: provider("claude-nope"),
      prompt: "Hello there",
      maxOutputTokens: 8,
      maxRetries: 0,
    });
  } catch (err) {
    expect(err.statusCode === 404 && /model: claude-nope/.test(err.message), String(err));
    return err.message;
  }
  throw new Error("no error");
});

let failed = 0;
for (const { label, name, fn } of checks) {
  try {
    const detail = await fn();
    console.log(`ok    ${label}: ${name}${detail ? ` (${detail})` : ""}`);
  } catch (err) {
    failed += 1;
    console.log(`FAIL  ${label}: ${name}: ${String(err?.stack ?? err).split("\n").slice(0, 2).join(" | ")}`);
  }
}
console.log(`node clients: ${checks.length - failed}/${checks.length} checks passed`);
process.exit(failed ? 1 : 0);
