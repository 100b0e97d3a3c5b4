// Stream requests through the official TypeScript SDK and print what it saw, as JSON: one
// {"text": <concatenated text deltas>, "final": <finalMessage()>, "events": [<event types>]}
// per request. Usage: node stream.mjs <base_url> < requests.json (a JSON array of requests)
import Anthropic from "@anthropic-ai/sdk";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const requests = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const client = new Anthropic({ baseURL: process.argv[2], apiKey: "sk-ant-test-key", maxRetries: 0 });
const results = [];
for (const request of requests) {
  const stream = client.messages.stream(request);
  let text = "";
  const events = [];
  stream.on("text", (delta) => {
    text += delta;
  });
  stream.on("streamEvent", (event) => {
    events.push(event.type);
  });
  const final = await stream.finalMessage();
  results.push({ text, final, events });
}
process.stdout.write(JSON.stringify(results));
