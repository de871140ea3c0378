// validate.mjs github|gitlab|codequality FILE [--expect-invalid]: validates a CI template
// against its platform's published JSON schema, offline, from npm packages pinned in
// package-lock.json (scripts/npm-deps.sh installs them), or a Code Quality report:
//   github  SchemaStore's github-workflow schema, as compiled into
//           @action-validator/core (validateWorkflow)
//   gitlab  GitLab's own CI schema (gitlab-org/gitlab app/assets/javascripts/editor/
//           schema/ci.json) as vendored by gitlab-ci-local, checked with ajv the way
//           gitlab-ci-local itself does
//   codequality  a GitLab Code Quality report (JSON) against gitlab-codequality.schema.json,
//           transcribed from GitLab's documentation (GitLab publishes no schema file; see
//           its $comment), with ajv, plus the one rule JSON Schema cannot state: every
//           fingerprint unique
// Exit 0 when the verdict is the expected one, 1 otherwise, with the errors printed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { schema as gitlabSchema } from 'gitlab-ci-local/src/schema/schema.js';

const require = createRequire(import.meta.url);
const [kind, file, flag] = process.argv.slice(2);
if (!['github', 'gitlab', 'codequality'].includes(kind) || !file || (flag && flag !== '--expect-invalid')) {
  console.error('usage: validate.mjs github|gitlab|codequality FILE [--expect-invalid]');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
let errors;
if (kind === 'github') {
  const { validateWorkflow } = require('@action-validator/core');
  errors = validateWorkflow(text).errors;
} else if (kind === 'codequality') {
  const schema = JSON.parse(readFileSync(new URL('./gitlab-codequality.schema.json',
                                                 import.meta.url), 'utf8'));
  const report = JSON.parse(text);
  const validate = new Ajv({ allErrors: true }).compile(schema);
  errors = validate(report) ? [] : validate.errors;
  const seen = new Set();
  for (const [i, issue] of (Array.isArray(report) ? report : []).entries()) {
    if (issue && seen.has(issue.fingerprint))
      errors.push({ instancePath: `/${i}/fingerprint`, message: 'fingerprint not unique' });
    seen.add(issue && issue.fingerprint);
  }
} else {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, validateFormats: false,
                        strictTypes: false, keywords: ['markdownDescription'] });
  const validate = ajv.compile(gitlabSchema);
  errors = validate(yaml.load(text)) ? [] : validate.errors;
}
const invalid = errors.length > 0;
const expectInvalid = flag === '--expect-invalid';
if (invalid !== expectInvalid) {
  console.error(`${file}: ${invalid ? 'invalid' : 'valid'} against the ${kind} schema, ` +
                `expected ${expectInvalid ? 'invalid' : 'valid'}`);
  console.error(JSON.stringify(errors, null, 1).slice(0, 4000));
  process.exit(1);
}
console.log(`${file}: ${invalid ? 'rejected' : 'valid'} (${kind} schema)`);
