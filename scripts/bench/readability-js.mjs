// Times Mozilla's Readability.js on the same pages as `eval-extract`, for the side-by-side
// speed comparison in BENCHMARKS.md. Outside CI (needs npm packages):
//   cd /tmp/rjs && npm install @mozilla/readability jsdom linkedom
//   node --experimental-default-type=module scripts/bench/readability-js.mjs ../shared/corpora/readability [jsdom|linkedom]
// Parsing the page into a DOM is part of the time, as it is for Factdesk's import.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(process.env.RJS_MODULES ?? "/tmp/rjs/package.json");
const { Readability } = require("@mozilla/readability");
const dir = process.argv[2] ?? "../shared/corpora/readability";
const dom = process.argv[3] ?? "jsdom";
const parse = dom === "linkedom"
  ? (() => { const { parseHTML } = require("linkedom"); return (html) => parseHTML(html).document; })()
  : (() => { const { JSDOM } = require("jsdom"); return (html) => new JSDOM(html, { url: "http://fakehost/test/page.html" }).window.document; })();

const times = [];
for (const name of readdirSync(dir).sort()) {
  const file = join(dir, name, "source.html");
  if (!existsSync(file)) continue;
  const html = readFileSync(file, "utf8");
  const started = process.hrtime.bigint();
  try {
    new Readability(parse(html)).parse();
  } catch (e) {
    // linkedom lacks some DOM APIs on a few pages; the time still counts.
  }
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
}
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
console.log(`${dom}: pages ${times.length}, median ${times[times.length >> 1].toFixed(2)} ms, mean ${mean.toFixed(2)} ms, p90 ${times[Math.floor(times.length * 0.9)].toFixed(2)} ms`);
