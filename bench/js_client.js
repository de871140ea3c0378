// js_client.js: the official Qdrant JS client's side of `make bench`.
//
// Sends the same points and the same tenant-filtered searches as the C clients, with
// @qdrant/js-client-rest 1.19 as pinned by tests/contract (scripts/npm-deps.sh installs
// it there). The floats come from the corpus file tenantq-bench writes, so the data is
// identical. Prints one JSON line: ingest_vps, search_p50_us, search_p95_us, hits.
// Usage: node js_client.js URL API_KEY COLLECTION CORPUS TENANTS VECTORS BATCH SEARCHES LIMIT DIM
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const modules = path.join(__dirname, '..', 'tests', 'contract', 'node_modules');
const { QdrantClient } = require(path.join(modules, '@qdrant', 'js-client-rest'));

async function main() {
  const [url, apiKey, collection, corpusPath, ...nums] = process.argv.slice(2);
  const [tenants, vectors, batch, searches, limit, dim] = nums.map((s) => {
    const v = Number.parseInt(s, 10);
    if (!Number.isSafeInteger(v) || v < 1) throw new Error(`bad number argument '${s}'`);
    return v;
  });
  const raw = fs.readFileSync(corpusPath);
  const floats = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  if (floats.length !== (tenants * vectors + searches) * dim) throw new Error('corpus size mismatch');
  const vec = (offset) => Array.from(floats.subarray(offset * dim, offset * dim + dim));
  const tenantId = (t) => `t${String(t).padStart(3, '0')}`;
  const key = (i) => `k${String(i).padStart(7, '0')}`;
  const id = (n) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

  // The client warns once that an api key goes over plain HTTP; the devserver is local.
  const warn = console.warn;
  console.warn = (...args) => { if (!String(args[0]).startsWith('Api key is used')) warn(...args); };
  const client = new QdrantClient({ url, apiKey, checkCompatibility: false });
  const t0 = process.hrtime.bigint();
  for (let t = 0; t < tenants; t++) {
    for (let from = 0; from < vectors; from += batch) {
      const points = [];
      for (let i = from; i < Math.min(from + batch, vectors); i++) {
        points.push({
          id: id(t * vectors + i),
          vector: { embedding: vec(t * vectors + i) },
          payload: { tq_tenant: tenantId(t), tq_key: key(i), source: 'bench' },
        });
      }
      await client.upsert(collection, { wait: true, points });
    }
  }
  const ingestS = Number(process.hrtime.bigint() - t0) / 1e9;

  const lat = [];
  let hits = 0;
  for (let i = 0; i < searches; i++) {
    const s0 = process.hrtime.bigint();
    const answer = await client.query(collection, {
      filter: { must: [{ key: 'tq_tenant', match: { value: tenantId(i % tenants) } }] },
      using: 'embedding',
      limit,
      with_payload: true,
      with_vector: false,
      query: vec(tenants * vectors + i),
    });
    const got = answer.points.map((p) => [p.payload.tq_key, p.score]);
    hits += got.length;
    lat.push(Number(process.hrtime.bigint() - s0) / 1e3);
  }
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length, Math.max(1, Math.ceil(p * lat.length - 1e-9))) - 1];
  process.stdout.write(`${JSON.stringify({
    ingest_vps: (tenants * vectors) / ingestS,
    search_p50_us: q(0.5),
    search_p95_us: q(0.95),
    hits,
  })}\n`);
}

main().catch((err) => {
  process.stderr.write(`tenantq-bench: error: JS client: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
