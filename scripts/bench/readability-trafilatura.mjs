// Runs Mozilla's Readability.js (with jsdom) on the trafilatura evaluation pages and writes
// each page's output (title, a line break, textContent; an empty file when Readability
// finds nothing) to OUT_DIR/<file>.txt, for `eval-trafilatura --outputs OUT_DIR`, which
// scores it with the same metric and the same halves as Factdesk's own import.
// Outside CI (needs npm packages):
//   cd /tmp/rjs && npm install @mozilla/readability jsdom
//   node --max-old-space-size=8192 scripts/bench/readability-trafilatura.mjs ../shared/corpora/trafilatura-eval /tmp/rjs-out
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(process.env.RJS_MODULES ?? "/tmp/rjs/package.json");
const { Readability } = require("@mozilla/readability");
const { JSDOM, VirtualConsole } = require("jsdom");

const dir = process.argv[2] ?? "../shared/corpora/trafilatura-eval";
const out = process.argv[3] ?? "/tmp/rjs-out";
mkdirSync(out, { recursive: true });
const evaldata = JSON.parse(readFileSync(join(dir, "evaldata.json"), "utf8"));
const quiet = new VirtualConsole();
const times = [];
let failed = 0;
for (const [url, entry] of Object.entries(evaldata)) {
  let html;
  try {
    html = readFileSync(join(dir, "pages", entry.file), "utf8");
  } catch {
    continue;
  }
  const started = process.hrtime.bigint();
  let text = "";
  try {
    const { window } = new JSDOM(html, { url, virtualConsole: quiet });
    const article = new Readability(window.document).parse();
    if (article) text = `${article.title ?? ""}\n${article.textContent ?? ""}`;
    window.close(); // jsdom keeps each window alive otherwise: 990 pages exhaust the heap
  } catch {
    failed += 1;
  }
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
  writeFileSync(join(out, `${entry.file}.txt`), text);
}
times.sort((a, b) => a - b);
console.log(`readability.js + jsdom: pages ${times.length} (${failed} threw), median ${times[times.length >> 1].toFixed(2)} ms`);
