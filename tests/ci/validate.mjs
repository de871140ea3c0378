// validate.mjs github|gitlab FILE [--expect-invalid]: validates a CI template against
// its platform's published JSON schema, offline, from npm packages pinned in
// package-lock.json (scripts/npm-deps.sh installs them):
//   github  SchemaStore's github-workflow schema, as compiled into
//           @action-validator/core (validateWorkflow)
//   gitlab  GitLab's own CI schema (gitlab-org/gitlab app/assets/javascripts/editor/
//           schema/ci.json) as vendored by gitlab-ci-local, checked with ajv the way
//           gitlab-ci-local itself does
// Exit 0 when the verdict is the expected one, 1 otherwise, with the errors printed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { schema as gitlabSchema } from 'gitlab-ci-local/src/schema/schema.js';

const require = createRequire(import.meta.url);
const [kind, file, flag] = process.argv.slice(2);
if (!['github', 'gitlab'].includes(kind) || !file || (flag && flag !== '--expect-invalid')) {
  console.error('usage: validate.mjs github|gitlab FILE [--expect-invalid]');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
let errors;
if (kind === 'github') {
  const { validateWorkflow } = require('@action-validator/core');
  errors = validateWorkflow(text).errors;
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
