// The TypeScript SDK's request surface, read from its .d.ts with the TypeScript compiler API.
// Prints {sdk, roots: {<root>: [entries]}} in the notation of scripts/schema_gen/surface.py:
//   field:<path>   type:<path ending in the tag>   value:<path>=<literal>
// Paths are the API's error paths with `*` for list items and map values. Properties the SDK
// documents as "Header param:" (betas, workspace, user profile) are not body fields.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
const sdkDir = path.join(here, "node_modules", "@anthropic-ai", "sdk");
const sdkVersion = JSON.parse(readFileSync(path.join(sdkDir, "package.json"), "utf8")).version;

const ROOTS = {
  messages: ["resources/messages/messages", "MessageCreateParamsNonStreaming"],
  "beta messages": ["resources/beta/messages/messages", "MessageCreateParamsNonStreaming"],
  count_tokens: ["resources/messages/messages", "MessageCountTokensParams"],
  "beta count_tokens": ["resources/beta/messages/messages", "MessageCountTokensParams"],
};

// One virtual file that names the four roots; the checker resolves everything else.
const entryName = path.join(sdkDir, "__surface_entry__.ts");
const entrySource = Object.entries(ROOTS)
  .map(([, [mod, name]], i) => `import type { ${name} as R${i} } from "./${mod}";\nexport type T${i} = R${i};`)
  .join("\n");
const options = { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true, skipLibCheck: true };
const host = ts.createCompilerHost(options);
const readFile = host.readFile.bind(host);
const fileExists = host.fileExists.bind(host);
host.readFile = (f) => (f === entryName ? entrySource : readFile(f));
host.fileExists = (f) => f === entryName || fileExists(f);
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (f, lang, ...rest) =>
  f === entryName ? ts.createSourceFile(f, entrySource, lang) : getSourceFile(f, lang, ...rest);
const program = ts.createProgram([entryName], options, host);
const checker = program.getTypeChecker();
const entry = program.getSourceFile(entryName);

const MAX_DEPTH = 40;

function isHeaderParam(symbol) {
  const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker));
  return doc.startsWith("Header param:");
}

function isFreeString(t) {
  // `string`, or `string & {}` (a literal union kept open for editors): any string goes
  return Boolean(t.flags & ts.TypeFlags.String || t.flags & ts.TypeFlags.Intersection);
}

function literalValues(type) {
  // string literal members of a union (or a single literal); none when any string is allowed
  const members = type.isUnion() ? type.types : [type];
  if (members.some(isFreeString)) return [];
  return members.filter((t) => t.isStringLiteral()).map((t) => t.value);
}

function propType(symbol) {
  const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
  return checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(symbol, decl ?? entry));
}

function tagOf(type) {
  // the `type` literal an object member of a union is chosen by (optional `type?: 'custom'`)
  const prop = type.getProperty("type");
  if (!prop) return undefined;
  const values = literalValues(propType(prop));
  return values.length ? values : undefined;
}

function isArray(type) {
  return checker.isArrayType(type) || checker.isTupleType(type);
}

function* walk(type, p, depth, tagKey) {
  if (depth > MAX_DEPTH) throw new Error(`${p.join(".")}: nested deeper than ${MAX_DEPTH}`);
  type = checker.getNonNullableType(type);
  if (type.isUnion()) {
    for (const v of literalValues(type)) yield `value:${p.join(".")}=${v}`;
    const objects = type.types.filter((t) => t.flags & ts.TypeFlags.Object && !isArray(t));
    const others = type.types.filter(
      (t) => !objects.includes(t) && !t.isStringLiteral() && !isFreeString(t),
    );
    const tags = objects.map(tagOf);
    if (objects.length > 1 && tags.every(Boolean)) {
      for (const [i, member] of objects.entries()) {
        for (const tag of tags[i]) {
          yield `type:${[...p, tag].join(".")}`;
          yield* walk(member, [...p, tag], depth + 1, "type");
        }
      }
    } else {
      for (const member of objects) yield* walk(member, p, depth + 1, undefined);
    }
    for (const other of others) yield* walk(other, p, depth + 1, undefined);
    return;
  }
  if (type.isStringLiteral()) {
    yield `value:${p.join(".")}=${type.value}`;
    return;
  }
  if (isArray(type)) {
    const [item] = checker.getTypeArguments(type);
    yield* walk(item, [...p, "*"], depth + 1, undefined);
    return;
  }
  if (!(type.flags & ts.TypeFlags.Object)) return; // string, number, boolean, unknown...
  const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
  if (index && !(index.type.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any))) {
    yield* walk(index.type, [...p, "*"], depth + 1, undefined);
  }
  for (const prop of checker.getPropertiesOfType(type)) {
    if (isHeaderParam(prop)) continue;
    const key = prop.getName();
    yield `field:${[...p, key].join(".")}`;
    if (key === tagKey) continue; // the member's own tag: reported as a type
    yield* walk(propType(prop), [...p, key], depth + 1, undefined);
  }
}

const roots = {};
for (const [i, root] of Object.keys(ROOTS).entries()) {
  const alias = entry.statements.find((s) => ts.isTypeAliasDeclaration(s) && s.name.text === `T${i}`);
  const type = checker.getTypeAtLocation(alias.name);
  if (!type.getProperty("messages")) throw new Error(`${root}: the SDK type did not resolve`);
  roots[root] = [...new Set(walk(type, [], 0, undefined))].sort();
}
console.log(JSON.stringify({ sdk: sdkVersion, roots }));
