// Runs in the browser: the official TypeScript SDK with dangerouslyAllowBrowser talks to
// the sandbox on another origin and streams a message into #out. The outcome goes to
// document.body.dataset.status and #result (JSON) for run.mjs to read.
import Anthropic from '@anthropic-ai/sdk';

const params = new URLSearchParams(location.search);
const baseURL = params.get('base') ?? 'http://127.0.0.1:8080';
const model = params.get('model') ?? 'claude-sonnet-4-6';
const prompt = params.get('prompt') ?? 'Hello from a browser';
const out = document.getElementById('out');
document.getElementById('info').textContent = `${location.origin} → ${baseURL} (${model})`;

const body = { model, max_tokens: 256, messages: [{ role: 'user', content: prompt }] };

// Without the opt-in header the real API (and the sandbox) answer without CORS headers,
// so the browser refuses to hand the response to the page: fetch rejects.
async function withoutOptIn() {
  try {
    const r = await fetch(`${baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-ant-browser', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body),
    });
    return { blocked: false, status: r.status };
  } catch (err) {
    return { blocked: true, error: String(err) };
  }
}

async function main() {
  const result = { origin: location.origin, withoutOptIn: await withoutOptIn() };
  const client = new Anthropic({ baseURL, apiKey: 'sk-ant-browser', dangerouslyAllowBrowser: true, maxRetries: 0 });

  const stream = client.messages.stream(body);
  let deltas = 0;
  stream.on('text', (text) => {
    deltas += 1;
    out.textContent += text;
  });
  const { response } = await stream.withResponse();
  const final = await stream.finalMessage();
  result.stream = {
    text: out.textContent,
    deltas,
    stopReason: final.stop_reason,
    finalText: final.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
    // Readable only because the sandbox exposes its headers to the page.
    requestId: response.headers.get('request-id'),
    contentType: response.headers.get('content-type'),
  };

  const created = await client.messages.create(body).withResponse();
  result.create = {
    text: created.data.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
    id: created.data.id,
    requestId: created.request_id ?? created.response.headers.get('request-id'),
  };
  return result;
}

main().then(
  (result) => {
    document.getElementById('result').textContent = JSON.stringify(result);
    document.body.dataset.status = 'done';
  },
  (err) => {
    document.getElementById('result').textContent = JSON.stringify({ error: String(err), stack: err?.stack });
    document.body.dataset.status = 'error';
  },
);
