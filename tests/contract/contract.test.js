'use strict';
// Contract tests for tenantq-devserver.
//
// (a) The official Qdrant JS client (@qdrant/js-client-rest, unchanged, from the npm
//     registry) drives a devserver through a whole session: collection, payload index,
//     upsert, filtered query, legacy search (client 1.18, the last with `search`),
//     scroll, count, retrieve, delete, delete collection, a JWT-restricted client and
//     a 404.
// (b) Every JSON body the devserver returns for the requests below is validated with
//     ajv against the response schema of its operation in spec/openapi.json, Qdrant's
//     own spec vendored beside this file (legacy search against spec/openapi-v1.18.x.json); the envelope fields the schemas
//     leave optional are asserted too.
// Usage: node contract.test.js [DEVSERVER] (or env TENANTQ_DEVSERVER); the spec folder
// is spec/ beside this file (see spec/NOTICE.md) unless TENANTQ_QDRANT_SPEC_DIR says
// otherwise. It never passes silently: missing packages, server or spec files fail the run.

const path = require('node:path');
const fs = require('node:fs');
const crypto = require('node:crypto');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const test = require('node:test');
const assert = require('node:assert/strict');


function loadPackages() {
  try {
    return {
      QdrantClient: require('@qdrant/js-client-rest').QdrantClient,
      LegacyClient: require('qdrant-js-client-rest-1.18').QdrantClient,
      Ajv: require('ajv').default,
      addFormats: require('ajv-formats').default,
    };
  } catch (err) {
    console.error(`contract: npm packages are missing in ${path.join(__dirname, 'node_modules')}` +
      ` (${err.message.split('\n')[0]}); run scripts/npm-deps.sh`);
    process.exit(1);
  }
}

const pkgs = loadPackages();
const DEVSERVER = process.argv[2] || process.env.TENANTQ_DEVSERVER;
const SPEC_DIR = process.env.TENANTQ_QDRANT_SPEC_DIR || path.join(__dirname, 'spec');
const SPEC_119 = path.join(SPEC_DIR, 'openapi.json');
const SPEC_118 = path.join(SPEC_DIR, 'openapi-v1.18.x.json');
const API_KEY = 'contract-admin-key-5f1c';

for (const [what, file] of [['devserver', DEVSERVER], ['spec', SPEC_119], ['spec', SPEC_118]]) {
  if (!file || !fs.existsSync(file)) {
    console.error(`contract: ${what} not found: ${file || '(pass the devserver path as argv[2] ' +
      'or TENANTQ_DEVSERVER)'}`);
    process.exit(1);
  }
}

// ---- schema validation -------------------------------------------------------------

// OpenAPI 3.0 -> JSON Schema: `nullable` becomes a null branch, local $refs become
// absolute so a fragment compiled on its own still resolves them in the added document.
function toJsonSchema(node, docId) {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, docId));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) out[k] = docId + v;
    else if (k === 'properties' || k === 'patternProperties') {
      out[k] = {};
      for (const [pk, pv] of Object.entries(v)) out[k][pk] = toJsonSchema(pv, docId);
    } else out[k] = toJsonSchema(v, docId);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    const keys = Object.keys(out).filter((k) => !['description', 'default', 'example'].includes(k));
    if (keys.length === 0) return { ...out, type: 'null' };
    return { anyOf: [out, { type: 'null' }] };
  }
  if (out.nullable === false) delete out.nullable;
  return out;
}

const ajv = new pkgs.Ajv({ strict: false, allErrors: true, validateSchema: false });
pkgs.addFormats(ajv);
const uintFormat = (max) => ({
  type: 'number',
  validate: (n) => Number.isInteger(n) && n >= 0 && (max === undefined || n <= max),
});
ajv.addFormat('uint', uintFormat());
ajv.addFormat('uint64', uintFormat());
ajv.addFormat('uint32', uintFormat(0xffffffff));
ajv.addFormat('uint16', uintFormat(0xffff));
ajv.addFormat('uint8', uintFormat(0xff));
ajv.addFormat('partial-date-time', { type: 'string', validate: () => true });

const specs = {};
for (const [id, file] of [['qdrant-1.19.json', SPEC_119], ['qdrant-1.18.json', SPEC_118]]) {
  const doc = toJsonSchema(JSON.parse(fs.readFileSync(file, 'utf8')), id);
  ajv.addSchema(doc, id);
  specs[id] = doc;
}

const validators = new Map();
let validatedBodies = 0;

// Returns the ajv validator for the JSON response of (spec, template, method, status).
function validatorFor(specId, template, method, status) {
  const key = `${specId} ${method} ${template} ${status}`;
  if (validators.has(key)) return validators.get(key);
  const op = specs[specId].paths[template]?.[method.toLowerCase()];
  assert.ok(op, `no operation ${method} ${template} in ${specId}`);
  const responses = op.responses;
  const family = `${String(status)[0]}XX`;
  const response = responses[String(status)] || responses[family] || responses.default;
  const schema = response?.content?.['application/json']?.schema;
  assert.ok(schema, `${specId} has no JSON response schema for ${method} ${template} ${status}`);
  const validate = ajv.compile(schema);
  validators.set(key, validate);
  return validate;
}

// ---- every response the tests receive, the official client's included ---------------

// Finds the spec operation for METHOD PATHNAME: the 1.19 spec first, then 1.18 (legacy
// search); among matching templates the one with the fewest parameters wins, so
// /points/query is not taken for /points/{id}.
function operationFor(method, pathname) {
  for (const specId of ['qdrant-1.19.json', 'qdrant-1.18.json']) {
    let best = null;
    for (const template of Object.keys(specs[specId].paths)) {
      if (!specs[specId].paths[template][method.toLowerCase()]) continue;
      const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$');
      if (!re.test(pathname)) continue;
      const params = (template.match(/\{/g) || []).length;
      if (!best || params < best.params) best = { specId, template, params };
    }
    if (best) return best;
  }
  return null;
}

const trafficErrors = [];
let trafficValidated = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init = {}) => {
  const res = await realFetch(input, init);
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const method = (init.method || (typeof input === 'object' && input.method) || 'GET').toUpperCase();
  if (!/^application\/json/.test(res.headers.get('content-type') || '')) return res;
  const text = await res.clone().text();
  const op = operationFor(method, url.pathname);
  if (!op) {
    trafficErrors.push(`${method} ${url.pathname}: no operation in the specs`);
    return res;
  }
  try {
    const validate = validatorFor(op.specId, op.template, method, res.status);
    if (!validate(JSON.parse(text))) {
      trafficErrors.push(`${method} ${url.pathname} -> ${res.status}: ` +
        `${ajv.errorsText(validate.errors, { separator: '; ' })}; body: ${text.slice(0, 400)}`);
    }
    trafficValidated++;
  } catch (err) {
    trafficErrors.push(`${method} ${url.pathname} -> ${res.status}: ${err.message}`);
  }
  return res;
};

// ---- devserver process --------------------------------------------------------------

async function startServer(extraArgs = [], env = {}) {
  const child = spawn(DEVSERVER, ['--port', '0', ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`devserver exited (${code}) before listening`)));
    child.once('error', reject);
  });
  lines.on('line', () => {}); // keep draining stdout
  const m = /^listening on (http:\/\/\S+)$/.exec(first);
  assert.ok(m, `unexpected first line from the devserver: ${first}`);
  return { child, url: m[1] };
}

async function stopServer(server) {
  if (server.child.exitCode !== null) return server.child.exitCode;
  const exited = new Promise((resolve) => server.child.once('exit', (code, sig) => resolve(sig ? 128 : code)));
  server.child.kill('SIGTERM');
  return exited;
}

function b64url(buf) {
  return Buffer.from(buf).toString('base64url');
}

// An HS256 JWT signed with `secret`, as Qdrant expects (section 6 of NOTES.md).
function mintJwt(claims, secret = API_KEY) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = crypto.createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

// ---- raw requests with validation ----------------------------------------------------

function fill(template, params) {
  return template.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(String(params[k])));
}

// Sends one request and validates its JSON body against the operation's schema.
async function api(base, method, template, { params = {}, query = '', body, headers = {},
  spec = 'qdrant-1.19.json', expect = 200 } = {}) {
  const url = `${base}${fill(template, params)}${query}`;
  const init = { method, headers: { 'api-key': API_KEY, ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const res = await fetch(url, init);
  const text = await res.text();
  const what = `${method} ${url}`;
  assert.equal(res.status, expect, `${what}: HTTP ${res.status}, expected ${expect}: ${text}`);
  assert.match(res.headers.get('content-type') || '', /^application\/json/, `${what}: content-type`);
  const json = JSON.parse(text);
  const validate = validatorFor(spec, template, method, res.status);
  if (!validate(json)) {
    assert.fail(`${what}: body does not match ${spec} schema: ` +
      `${ajv.errorsText(validate.errors, { separator: '; ' })}\nbody: ${text.slice(0, 800)}`);
  }
  validatedBodies++;
  if (template === '/') return json;
  assert.equal(typeof json.time, 'number', `${what}: envelope needs a numeric time`);
  if (res.status === 200) {
    assert.equal(json.status, 'ok', `${what}: status must be "ok"`);
    assert.ok('result' in json, `${what}: envelope needs result`);
  } else {
    assert.equal(typeof json.status?.error, 'string', `${what}: error envelope needs status.error`);
    assert.ok(json.result === undefined || json.result === null, `${what}: error result`);
  }
  return json;
}

// ---- the tests ----------------------------------------------------------------------

const VEC = { a1: [0.9, 0.1, 0, 0], a2: [0.1, 0.9, 0, 0], b1: [0, 0, 1, 0], a3: [0.7, 0.7, 0, 0] };
const UUID_A3 = '5c56c793-69f3-4fbf-87e6-c4bf54c28c26';

function statusOf(err) {
  return err?.status ?? Number(/Unexpected Response: (\d+)/.exec(err?.message || '')?.[1]);
}

test('official client drives the devserver', async (t) => {
  const server = await startServer([], {
    QDRANT__SERVICE__API_KEY: API_KEY,
    QDRANT__SERVICE__JWT_RBAC: 'true',
  });
  const warnings = [];
  const warn = console.warn;
  console.warn = (...args) => warnings.push(args.join(' '));
  try {
    const client = new pkgs.QdrantClient({ url: server.url, apiKey: API_KEY });
    const legacy = new pkgs.LegacyClient({ url: server.url, apiKey: API_KEY });
    const tenantA = { must: [{ key: 'tenant', match: { value: 'a' } }] };

    await t.test('create collection', async () => {
      assert.equal(await client.createCollection('kb', { vectors: { size: 4, distance: 'Cosine' } }), true);
      assert.deepEqual(await client.collectionExists('kb'), { exists: true });
    });
    await t.test('create payload index', async () => {
      const r = await client.createPayloadIndex('kb', {
        wait: true, field_name: 'tenant', field_schema: { type: 'keyword', is_tenant: true },
      });
      assert.equal(r.status, 'completed');
      const info = await client.getCollection('kb');
      assert.equal(info.payload_schema.tenant.data_type, 'keyword');
    });
    await t.test('upsert', async () => {
      const r = await client.upsert('kb', {
        wait: true,
        points: [
          { id: 1, vector: VEC.a1, payload: { tenant: 'a', title: 'one' } },
          { id: 2, vector: VEC.a2, payload: { tenant: 'a', title: 'two' } },
          { id: 3, vector: VEC.b1, payload: { tenant: 'b', title: 'three' } },
          { id: UUID_A3.toUpperCase().replace(/-/g, ''), vector: VEC.a3, payload: { tenant: 'a' } },
        ],
      });
      assert.equal(r.status, 'completed');
    });
    await t.test('query with filter', async () => {
      const r = await client.query('kb', { query: [1, 0, 0, 0], filter: tenantA, limit: 3, with_payload: true });
      assert.deepEqual(r.points.map((p) => p.id), [1, UUID_A3, 2]);
      assert.ok(r.points.every((p) => p.payload.tenant === 'a'));
      const norm = Math.hypot(...VEC.a1);
      assert.ok(Math.abs(r.points[0].score - VEC.a1[0] / norm) < 1e-5, `cosine score ${r.points[0].score}`);
    });
    await t.test('legacy search (client 1.18)', async () => {
      // The client's search() sends with_payload: true unless told otherwise.
      const r = await legacy.search('kb', { vector: [0, 0, 1, 0], limit: 2 });
      assert.ok(Array.isArray(r));
      assert.equal(r[0].id, 3);
      assert.ok(Math.abs(r[0].score - 1) < 1e-5);
      assert.deepEqual(r[0].payload, { tenant: 'b', title: 'three' });
      const bare = await legacy.search('kb', { vector: [0, 0, 1, 0], limit: 1, with_payload: false, filter: tenantA });
      assert.equal(bare.length, 1);
      assert.notEqual(bare[0].id, 3);
      assert.equal(bare[0].payload ?? null, null);
    });
    await t.test('scroll', async () => {
      const r = await client.scroll('kb', { limit: 2 });
      assert.deepEqual(r.points.map((p) => p.id), [1, 2]);
      assert.equal(r.next_page_offset, 3);
      assert.equal(r.points[0].payload.title, 'one');
      const rest = await client.scroll('kb', { offset: r.next_page_offset, limit: 5, filter: tenantA });
      assert.deepEqual(rest.points.map((p) => p.id), [UUID_A3]);
      assert.equal(rest.next_page_offset ?? null, null);
    });
    await t.test('count', async () => {
      assert.deepEqual(await client.count('kb', { filter: tenantA, exact: true }), { count: 3 });
    });
    await t.test('retrieve', async () => {
      const r = await client.retrieve('kb', { ids: [3, 99, UUID_A3], with_vector: true });
      assert.deepEqual(r.map((p) => p.id).sort(), [3, UUID_A3].sort());
      const three = r.find((p) => p.id === 3);
      assert.deepEqual(three.payload, { tenant: 'b', title: 'three' });
      assert.deepEqual(three.vector, VEC.b1);
    });
    await t.test('delete', async () => {
      const r = await client.delete('kb', { wait: true, points: [2] });
      assert.equal(r.status, 'completed');
      assert.deepEqual(await client.count('kb', { filter: tenantA }), { count: 2 });
      await client.delete('kb', { wait: true, filter: { must: [{ key: 'tenant', match: { value: 'b' } }] } });
      assert.deepEqual(await client.count('kb', {}), { count: 2 });
    });
    await t.test('JWT-restricted client', async () => {
      await client.createCollection('other', { vectors: { size: 4, distance: 'Dot' } });
      const exp = Math.floor(Date.now() / 1000) + 300;
      const token = mintJwt({ access: [{ collection: 'kb', access: 'r' }], exp });
      for (const restricted of [
        new pkgs.QdrantClient({ url: server.url, apiKey: token, checkCompatibility: false }),
        new pkgs.QdrantClient({ url: server.url, headers: { Authorization: `Bearer ${token}` }, checkCompatibility: false }),
      ]) {
        assert.deepEqual(await restricted.count('kb', {}), { count: 2 });
        const listed = await restricted.getCollections();
        assert.deepEqual(listed.collections.map((c) => c.name), ['kb']);
        await assert.rejects(restricted.getCollection('other'), (e) => statusOf(e) === 403);
        await assert.rejects(restricted.count('other', {}), (e) => statusOf(e) === 403);
        await assert.rejects(restricted.upsert('kb', { wait: true, points: [{ id: 9, vector: VEC.a1 }] }),
          (e) => statusOf(e) === 403);
      }
    });
    await t.test('404', async () => {
      await assert.rejects(client.getCollection('missing'), (e) => statusOf(e) === 404);
      await assert.rejects(client.upsert('missing', { points: [{ id: 1, vector: VEC.a1 }] }),
        (e) => statusOf(e) === 404);
    });
    await t.test('delete collection', async () => {
      assert.equal(await client.deleteCollection('kb'), true);
      assert.deepEqual(await client.collectionExists('kb'), { exists: false });
    });
    await t.test('version check raised no warning', async () => {
      const bad = warnings.filter((w) => /incompatible|Failed to obtain server version/.test(w));
      assert.deepEqual(bad, []);
    });
  } finally {
    console.warn = warn;
    assert.equal(await stopServer(server), 0, 'devserver exit status after SIGTERM');
  }
});

test('responses match the OpenAPI schemas', async (t) => {
  const server = await startServer([], { QDRANT__SERVICE__API_KEY: API_KEY, QDRANT__SERVICE__JWT_RBAC: 'true' });
  const u = server.url;
  const C = { collection_name: 'raw' };
  const filterA = { must: [{ key: 'tenant', match: { value: 'a' } }] };
  try {
    await t.test('service', async () => {
      const v = await api(u, 'GET', '/');
      assert.equal(v.version, '1.19.0');
      const h = await fetch(`${u}/healthz`);
      assert.equal(await h.text(), 'healthz check passed');
      assert.match(h.headers.get('content-type') || '', /^text\/plain/);
    });
    await t.test('collections', async () => {
      await api(u, 'GET', '/collections');
      await api(u, 'PUT', '/collections/{collection_name}', { params: C, body: { vectors: { size: 3, distance: 'Dot' } } });
      await api(u, 'PUT', '/collections/{collection_name}', { params: C, body: { vectors: { size: 3, distance: 'Dot' } }, expect: 409 });
      await api(u, 'GET', '/collections/{collection_name}', { params: C });
      await api(u, 'GET', '/collections/{collection_name}/exists', { params: C });
      await api(u, 'GET', '/collections/{collection_name}', { params: { collection_name: 'nope' }, expect: 404 });
      await api(u, 'PUT', '/collections/{collection_name}/shards', { params: C, body: { shard_key: 'k' }, expect: 405 });
      await api(u, 'PUT', '/collections/{collection_name}', { params: { collection_name: 'bad' }, body: { vectors: { size: 0, distance: 'Dot' } }, expect: 422 });
      await api(u, 'PUT', '/collections/{collection_name}/index', { params: C, query: '?wait=true', body: { field_name: 'tenant', field_schema: { type: 'keyword', is_tenant: true } } });
      for (const type of ['integer', 'float', 'bool', 'text', 'uuid', 'datetime']) {
        await api(u, 'PUT', '/collections/{collection_name}/index', { params: C, query: '?wait=true', body: { field_name: `f_${type}`, field_schema: type } });
      }
      const info = await api(u, 'GET', '/collections/{collection_name}', { params: C });
      assert.equal(info.result.payload_schema.f_datetime.data_type, 'datetime');
      await api(u, 'DELETE', '/collections/{collection_name}/index/{field_name}', { params: { ...C, field_name: 'f_text' }, query: '?wait=true' });
    });
    await t.test('points', async () => {
      await api(u, 'PUT', '/collections/{collection_name}/points', { params: C, query: '?wait=true', body: {
        points: [
          { id: 1, vector: [1, 0, 0], payload: { tenant: 'a', n: 1 } },
          { id: '936DA01F9ABD4D9D80C702AF85C822A8', vector: [0, 1, 0], payload: { tenant: 'a' } },
        ] } });
      await api(u, 'PUT', '/collections/{collection_name}/points', { params: C, body: {
        batch: { ids: [2, 3], vectors: [[0, 0, 1], [1, 1, 1]], payloads: [{ tenant: 'b' }, { tenant: 'a' }] } } });
      await api(u, 'PUT', '/collections/{collection_name}/points', { params: C, body: { points: [{ id: 4, vector: [1, 0] }] }, expect: 400 });
      await api(u, 'POST', '/collections/{collection_name}/points', { params: C, body: { ids: [1, 2, 77], with_vector: true } });
      await api(u, 'GET', '/collections/{collection_name}/points/{id}', { params: { ...C, id: 1 } });
      await api(u, 'GET', '/collections/{collection_name}/points/{id}', { params: { ...C, id: 99 }, expect: 404 });
      const q = await api(u, 'POST', '/collections/{collection_name}/points/query', { params: C, body: { query: [1, 1, 0], filter: filterA, with_payload: true, with_vector: true } });
      assert.ok(q.result.points.length > 0);
      await api(u, 'POST', '/collections/{collection_name}/points/query', { params: C, body: { query: { nearest: [1, 0, 0] }, limit: 1 } });
      await api(u, 'POST', '/collections/{collection_name}/points/query', { params: C, body: { query: [1, 0, 0], limit: 0 }, expect: 422 });
      await api(u, 'POST', '/collections/{collection_name}/points/query/batch', { params: C, body: { searches: [{ query: [1, 0, 0] }, { query: 1, limit: 2 }] } });
      const s = await api(u, 'POST', '/collections/{collection_name}/points/search', { params: C, spec: 'qdrant-1.18.json', body: { vector: [1, 0, 0], limit: 2, with_payload: true } });
      assert.ok(Array.isArray(s.result));
      const sc = await api(u, 'POST', '/collections/{collection_name}/points/scroll', { params: C, body: { limit: 2 } });
      assert.equal(sc.result.next_page_offset, 3);
      await api(u, 'POST', '/collections/{collection_name}/points/scroll', { params: C, body: { filter: { must: [], bogus: 1 } }, expect: 400 });
      const cnt = await api(u, 'POST', '/collections/{collection_name}/points/count', { params: C, body: { filter: filterA } });
      assert.equal(cnt.result.count, 3);
      await api(u, 'POST', '/collections/{collection_name}/points/delete', { params: C, query: '?wait=true', body: { points: [3] } });
      await api(u, 'POST', '/collections/{collection_name}/points/delete', { params: C, body: { filter: filterA } });
    });
    await t.test('auth errors', async () => {
      const token = mintJwt({ access: [{ collection: 'elsewhere', access: 'rw' }], exp: Math.floor(Date.now() / 1000) + 60 });
      await api(u, 'GET', '/collections/{collection_name}', { params: C, headers: { 'api-key': token }, expect: 403 });
      const ok = await api(u, 'GET', '/collections', { headers: { 'api-key': token } });
      assert.deepEqual(ok.result.collections, []);
      const r = await fetch(`${u}/collections`);
      assert.equal(r.status, 401);
      assert.equal(await r.text(), 'Must provide an API key or an Authorization bearer token');
    });
    await t.test('delete collection', async () => {
      await api(u, 'DELETE', '/collections/{collection_name}', { params: C });
      await api(u, 'DELETE', '/collections/{collection_name}', { params: C });
      await api(u, 'GET', '/collections/{collection_name}/exists', { params: C });
    });
  } finally {
    assert.equal(await stopServer(server), 0, 'devserver exit status after SIGTERM');
  }
});

test('shard-key responses match the OpenAPI schemas (--cluster-mode)', async (t) => {
  const server = await startServer(['--cluster-mode'], { QDRANT__SERVICE__API_KEY: API_KEY });
  const u = server.url;
  const C = { collection_name: 'sharded' };
  try {
    await api(u, 'PUT', '/collections/{collection_name}', { params: C, body: { vectors: { size: 2, distance: 'Dot' }, sharding_method: 'custom' } });
    await api(u, 'PUT', '/collections/{collection_name}/shards', { params: C, body: { shard_key: 'default' } });
    await api(u, 'PUT', '/collections/{collection_name}/shards', { params: C, body: { shard_key: 'tenant_x' } });
    const keys = await api(u, 'GET', '/collections/{collection_name}/shards', { params: C });
    assert.deepEqual(keys.result.shard_keys.map((k) => k.key).sort(), ['default', 'tenant_x']);
    await api(u, 'PUT', '/collections/{collection_name}/points', { params: C, query: '?wait=true', body: { points: [{ id: 1, vector: [1, 0] }], shard_key: { target: 'tenant_y', fallback: 'default' } } });
    await api(u, 'PUT', '/collections/{collection_name}/points', { params: C, body: { points: [{ id: 1, vector: [1, 0] }] }, expect: 400 });
    const sc = await api(u, 'POST', '/collections/{collection_name}/points/scroll', { params: C, body: { shard_key: 'default' } });
    assert.deepEqual(sc.result.points.map((p) => p.id), [1]);
    await api(u, 'POST', '/collections/{collection_name}/shards/delete', { params: C, body: { shard_key: 'tenant_x' } });
    const client = new pkgs.QdrantClient({ url: u, apiKey: API_KEY, checkCompatibility: false });
    await client.createShardKey('sharded', { shard_key: 'tenant_z' });
    const listed = await client.listShardKeys('sharded');
    assert.deepEqual(listed.shard_keys.map((k) => k.key).sort(), ['default', 'tenant_z']);
  } finally {
    assert.equal(await stopServer(server), 0, 'devserver exit status after SIGTERM');
  }
});

// Hybrid retrieval and collection metadata. Scores are those of the formulas in
// tests/devserver/cases_hybrid.c (same three points): IDF ln((N - df + 0.5) / (df + 0.5) + 1),
// RRF 1 / (position + 2).
test('official client: sparse vectors, prefetch and fusion, groups, metadata', async (t) => {
  const server = await startServer([], { QDRANT__SERVICE__API_KEY: API_KEY });
  const u = server.url;
  const C = { collection_name: 'hyb' };
  const client = new pkgs.QdrantClient({ url: u, apiKey: API_KEY });
  const tenantA = { must: [{ key: 't', match: { value: 'a' } }] };
  const Q = { indices: [3, 1], values: [1, 1] };
  const close = (a, b) => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));
  try {
    await t.test('create with sparse vectors and metadata', async () => {
      assert.equal(await client.createCollection('hyb', {
        vectors: { d: { size: 2, distance: 'Dot' } },
        sparse_vectors: { s: { modifier: 'idf' } },
        metadata: { schema: 'kb', revision: 1, obsolete: true },
      }), true);
      const info = await client.getCollection('hyb');
      assert.deepEqual(info.config.params.sparse_vectors, { s: { modifier: 'idf' } });
      assert.deepEqual(info.config.metadata, { schema: 'kb', revision: 1, obsolete: true });
    });
    await t.test('update metadata: merge, null deletes', async () => {
      assert.equal(await client.updateCollection('hyb', { metadata: { revision: 2, obsolete: null } }), true);
      const info = await api(u, 'GET', '/collections/{collection_name}', { params: C });
      assert.deepEqual(info.result.config.metadata, { schema: 'kb', revision: 2 });
      await api(u, 'PATCH', '/collections/{collection_name}', { params: C, body: { metadata: { digest: 'x' } } });
      await api(u, 'PATCH', '/collections/{collection_name}', { params: C, body: { metadata: 3 }, expect: 400 });
    });
    await t.test('upsert sparse and dense, list and batch', async () => {
      const r = await client.upsert('hyb', { wait: true, points: [
        { id: 1, vector: { d: [1, 0], s: { indices: [3, 1], values: [0.5, 1] } }, payload: { t: 'a', doc: 'x' } },
        { id: 2, vector: { d: [0, 1], s: { indices: [1], values: [2] } }, payload: { t: 'a', doc: 'y' } },
      ] });
      assert.equal(r.status, 'completed');
      await api(u, 'PUT', '/collections/{collection_name}/points', { params: C, query: '?wait=true', body: {
        batch: { ids: [3], vectors: { d: [[1, 1]], s: [{ indices: [7], values: [1] }] }, payloads: [{ t: 'b', doc: 'x' }] } } });
      await api(u, 'PUT', '/collections/{collection_name}/points', { params: C, body: {
        points: [{ id: 4, vector: { s: { indices: [1, 1], values: [1, 2] } } }] }, expect: 422 });
      const got = await client.retrieve('hyb', { ids: [1], with_vector: true });
      assert.deepEqual(got[0].vector.s, { indices: [1, 3], values: [1, 0.5] });
      assert.deepEqual(got[0].vector.d, [1, 0]);
    });
    await t.test('sparse query with IDF, and with a corpus filter', async () => {
      const r = await client.query('hyb', { query: Q, using: 's' });
      assert.deepEqual(r.points.map((p) => p.id), [1, 2]);
      assert.ok(close(r.points[0].score, 0.9604182) && close(r.points[1].score, 0.9400073), JSON.stringify(r.points));
      const scoped = await client.query('hyb', { query: Q, using: 's', params: { idf: { corpus: tenantA } } });
      assert.ok(close(scoped.points[0].score, 0.5288952), JSON.stringify(scoped.points));
      await api(u, 'POST', '/collections/{collection_name}/points/query', { params: C, body: { query: Q, using: 's', params: { idf: 'global' }, with_vector: true } });
    });
    await t.test('prefetch with rrf, rrf k and dbsf', async () => {
      const prefetch = [{ query: Q, using: 's', limit: 5 }, { query: [1, 1], using: 'd', limit: 5 }];
      const rrf = await client.query('hyb', { prefetch, query: { fusion: 'rrf' }, filter: tenantA, with_payload: true });
      assert.deepEqual(rrf.points.map((p) => p.id), [1, 2]);
      assert.ok(close(rrf.points[0].score, 1) && close(rrf.points[1].score, 2 / 3));
      assert.ok(rrf.points.every((p) => p.payload.t === 'a'));
      const k1 = await client.query('hyb', { prefetch, query: { rrf: { k: 1 } }, filter: tenantA });
      assert.ok(close(k1.points[0].score, 2), JSON.stringify(k1.points));
      const dbsf = await client.query('hyb', { prefetch, query: { fusion: 'dbsf' } });
      assert.deepEqual(dbsf.points.map((p) => p.id), [1, 2, 3]);
      await api(u, 'POST', '/collections/{collection_name}/points/query', { params: C, body: { prefetch: { prefetch, query: { fusion: 'rrf' } }, query: [0, 1], using: 'd' } });
      await api(u, 'POST', '/collections/{collection_name}/points/query', { params: C, body: { query: { fusion: 'rrf' } }, expect: 400 });
    });
    await t.test('query groups', async () => {
      const g = await client.queryGroups('hyb', {
        prefetch: [{ query: Q, using: 's' }, { query: [1, 1], using: 'd' }],
        query: { fusion: 'rrf' }, group_by: 'doc', group_size: 2, limit: 5, with_payload: true,
      });
      assert.deepEqual(g.groups.map((x) => x.id), ['x', 'y']);
      assert.deepEqual(g.groups[0].hits.map((h) => h.id), [1, 3]);
      await api(u, 'POST', '/collections/{collection_name}/points/query/groups', { params: C, body: { query: [1, 0], using: 'd', group_by: 'doc', with_lookup: 'hyb' } });
      await api(u, 'POST', '/collections/{collection_name}/points/query/groups', { params: C, body: { query: [1, 0], using: 'd' }, expect: 400 });
    });
    await t.test('full-text index and match text', async () => {
      await client.createPayloadIndex('hyb', { wait: true, field_name: 'body', field_schema: { type: 'text', tokenizer: 'word', lowercase: true } });
      await client.upsert('hyb', { wait: true, points: [{ id: 5, vector: { d: [0, 0] }, payload: { body: 'Error E-4711: Disk FULL' } }] });
      const c1 = await client.count('hyb', { filter: { must: [{ key: 'body', match: { text: 'disk e' } }] } });
      assert.equal(c1.count, 1);
      const c0 = await client.count('hyb', { filter: { must: [{ key: 'body', match: { text: 'dis' } }] } });
      assert.equal(c0.count, 0);
    });
  } finally {
    assert.equal(await stopServer(server), 0, 'devserver exit status after SIGTERM');
  }
});

test('every JSON body received matched its schema', (t) => {
  t.diagnostic(`${trafficValidated} bodies checked at fetch, ${validatedBodies} through api()`);
  assert.ok(validatedBodies >= 40, `only ${validatedBodies} bodies were validated by api()`);
  assert.ok(trafficValidated >= validatedBodies + 30,
    `only ${trafficValidated} bodies passed through the fetch check`);
  assert.deepEqual(trafficErrors, []);
});

test('the schema validator rejects malformed bodies', () => {
  const query = validatorFor('qdrant-1.19.json', '/collections/{collection_name}/points/query', 'POST', 200);
  assert.ok(query({ result: { points: [{ id: 1, version: 0, score: 0.5 }] }, status: 'ok', time: 0 }));
  assert.ok(!query({ result: { points: [{ id: 1, version: 0 }] }, status: 'ok', time: 0 }), 'score is required');
  assert.ok(!query({ result: { points: [{ id: 1.5, version: 0, score: 1 }] }, status: 'ok', time: 0 }), 'fractional id');
  assert.ok(!query({ result: { points: [{ id: 'nope', version: 0, score: 1 }] }, status: 'ok', time: 0 }), 'non-UUID id');
  const count = validatorFor('qdrant-1.19.json', '/collections/{collection_name}/points/count', 'POST', 200);
  assert.ok(!count({ result: { count: -1 }, status: 'ok', time: 0 }), 'negative count');
  const search = validatorFor('qdrant-1.18.json', '/collections/{collection_name}/points/search', 'POST', 200);
  assert.ok(!search({ result: { points: [] }, status: 'ok', time: 0 }), 'legacy search result is a bare array');
  const info = validatorFor('qdrant-1.19.json', '/collections/{collection_name}', 'GET', 200);
  assert.ok(!info({ result: { status: 'purple' }, status: 'ok', time: 0 }), 'collection status enum');
});
