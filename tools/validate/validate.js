#!/usr/bin/env node
// Validates SBOM documents against the official JSON schemas.
//
//   node validate.js cyclonedx-json|spdx-json|sarif FILE...
//
// The schemas are read from $WAYBILL_SHARED/corpus/documents (default: ../shared next to the
// repository); they are never copied into the repository. CycloneDX documents are checked
// against the schema of their own specVersion (1.2 to 1.7, default 1.6); the CycloneDX schemas
// reference spdx.schema.json, jsf-0.82.schema.json and cryptography-defs.schema.json by $id,
// so those are registered first. SPDX documents are checked against the SPDX 2.3 schema.
// All schemas are JSON Schema draft-07, ajv's default dialect.
//
// SARIF 2.1.0 logs are checked against the OASIS schema (sarif-2.1.0-rtm.5.json, the final
// 2.1.0 schema) that the npm package @microsoft/jest-sarif ships (a dev dependency here, so it
// comes with `npm ci`). That schema is JSON Schema draft-04 and is compiled with ajv-draft-04;
// one of its patterns (the `language` code) is not valid under the `u` flag, so regular
// expressions are compiled without it.
//
// Beyond the schemas:
// - CycloneDX: every bom-ref must be unique in the document (the XSD enforces this with keys;
//   the JSON schema cannot), and every dependency ref / dependsOn must name a bom-ref.
// - Large CycloneDX documents (more than 2000 components) are validated without the schema's
//   `uniqueItems` keyword, which makes ajv quadratic (20k components: 34 s; 200k: about an
//   hour). Component uniqueness is then covered by the bom-ref check above.
// - Formats: ajv-formats covers date, date-time and uri; iri-reference and idn-email, which
//   ajv-formats lacks, are checked here (an IRI reference may contain non-ASCII characters but
//   no spaces, controls, or any of <>"{}|\^`, and '%' must start a %XX escape).
//
// Prints "VALID <file>" or "INVALID <file>" followed by the first errors; exits 0 when every
// file is valid, 1 when one is invalid, 2 on a usage or I/O error.
'use strict';

const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const LARGE_BOM_COMPONENTS = 2000;
const MAX_ERRORS = 5;

function usage(msg) {
  if (msg) console.error(`validate.js: ${msg}`);
  console.error('usage: node validate.js cyclonedx-json|spdx-json|sarif FILE...');
  process.exit(2);
}

function sharedDir() {
  const env = process.env.WAYBILL_SHARED;
  const dir = env && env.length ? env : path.resolve(__dirname, '..', '..', '..', 'shared');
  const docs = path.join(dir, 'corpus', 'documents');
  if (!fs.existsSync(docs)) usage(`schemas not found: ${docs} (set WAYBILL_SHARED)`);
  return docs;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function iriReference(s) {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f<>"{}|\\^`]/.test(s)) return false;
  return !/%(?![0-9A-Fa-f]{2})/.test(s);
}

function makeAjv() {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('iri-reference', iriReference);
  ajv.addFormat('iri', (s) => iriReference(s) && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s));
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/);
  ajv.addFormat('string', true); // a CycloneDX schema uses "format": "string"
  return ajv;
}

function stripUniqueItems(node) {
  if (Array.isArray(node)) {
    node.forEach(stripUniqueItems);
  } else if (node && typeof node === 'object') {
    delete node.uniqueItems;
    Object.values(node).forEach(stripUniqueItems);
  }
  return node;
}

// Cache of compiled CycloneDX validators by "version/fast".
const cdxValidators = new Map();

function cdxValidator(docs, version, fast) {
  const key = `${version}/${fast}`;
  if (cdxValidators.has(key)) return cdxValidators.get(key);
  const dir = path.join(docs, 'cyclonedx-schema');
  const file = path.join(dir, `bom-${version}.schema.json`);
  if (!fs.existsSync(file)) return null;
  const ajv = makeAjv();
  for (const dep of ['spdx.schema.json', 'jsf-0.82.schema.json', 'cryptography-defs.schema.json']) {
    const p = path.join(dir, dep);
    if (fs.existsSync(p)) ajv.addSchema(fast ? stripUniqueItems(readJson(p)) : readJson(p));
  }
  const schema = readJson(file);
  const v = ajv.compile(fast ? stripUniqueItems(schema) : schema);
  cdxValidators.set(key, v);
  return v;
}

let sarifValidatorCache = null;
function sarifValidator() {
  if (!sarifValidatorCache) {
    const file = path.join(__dirname, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas',
      'sarif-2.1.0-rtm.5.json');
    if (!fs.existsSync(file)) usage(`SARIF schema not found: ${file} (run npm ci in tools/validate)`);
    const Ajv04 = require('ajv-draft-04');
    const ajv = new Ajv04({ strict: false, allErrors: false, validateFormats: true, unicodeRegExp: false });
    addFormats(ajv);
    sarifValidatorCache = ajv.compile(readJson(file));
  }
  return sarifValidatorCache;
}

// Beyond the SARIF schema: every result's ruleIndex points at the rule with its ruleId, and
// rule ids are unique (SARIF 2.1.0 section 3.49.3 / 3.27.6).
function checkSarif(doc) {
  const errors = [];
  (doc.runs || []).forEach((run, ri) => {
    const rules = (((run.tool || {}).driver || {}).rules) || [];
    const ids = new Set();
    rules.forEach((r, i) => {
      if (ids.has(r.id)) errors.push(`/runs/${ri}/tool/driver/rules/${i}: duplicate rule id "${r.id}"`);
      ids.add(r.id);
    });
    (run.results || []).forEach((res, i) => {
      if (typeof res.ruleIndex === 'number') {
        const rule = rules[res.ruleIndex];
        if (!rule || rule.id !== res.ruleId) {
          errors.push(`/runs/${ri}/results/${i}: ruleIndex ${res.ruleIndex} is not rule "${res.ruleId}"`);
        }
      }
    });
  });
  return errors;
}

let spdxValidatorCache = null;
function spdxValidator(docs) {
  if (!spdxValidatorCache) {
    const ajv = makeAjv();
    spdxValidatorCache = ajv.compile(readJson(path.join(docs, 'spdx-schema', 'spdx-schema-2.3.json')));
  }
  return spdxValidatorCache;
}

// bom-ref uniqueness and dependency references (CycloneDX).
function checkRefs(doc) {
  const errors = [];
  const refs = new Set();
  const walk = (node, where) => {
    if (Array.isArray(node)) {
      node.forEach((x, i) => walk(x, `${where}/${i}`));
    } else if (node && typeof node === 'object') {
      const ref = node['bom-ref'];
      if (typeof ref === 'string') {
        if (refs.has(ref)) errors.push(`${where}: duplicate bom-ref "${ref}"`);
        refs.add(ref);
      }
      for (const [k, v] of Object.entries(node)) walk(v, `${where}/${k}`);
    }
  };
  walk(doc, '');
  if (Array.isArray(doc.dependencies)) {
    doc.dependencies.forEach((d, i) => {
      if (!d || typeof d.ref !== 'string') return;
      if (!refs.has(d.ref)) errors.push(`/dependencies/${i}/ref: "${d.ref}" is not a bom-ref`);
      for (const r of Array.isArray(d.dependsOn) ? d.dependsOn : []) {
        if (typeof r === 'string' && !refs.has(r)) {
          errors.push(`/dependencies/${i}/dependsOn: "${r}" is not a bom-ref`);
        }
      }
    });
  }
  return errors;
}

function countComponents(doc) {
  return Array.isArray(doc.components) ? doc.components.length : 0;
}

function formatAjvErrors(errors) {
  return (errors || []).slice(0, MAX_ERRORS).map((e) => {
    const extra = e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '';
    return `${e.instancePath || '/'}: ${e.message}${extra}`;
  });
}

function validateFile(kind, docs, file) {
  let doc;
  try {
    doc = readJson(file);
  } catch (e) {
    return [`not readable JSON: ${e.message}`];
  }
  if (kind === 'sarif') {
    const validate = sarifValidator();
    if (!validate(doc)) return formatAjvErrors(validate.errors);
    return checkSarif(doc).slice(0, MAX_ERRORS);
  }
  if (kind === 'cyclonedx-json') {
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return ['not a JSON object'];
    const version = typeof doc.specVersion === 'string' ? doc.specVersion : '1.6';
    const fast = countComponents(doc) > LARGE_BOM_COMPONENTS;
    const validate = cdxValidator(docs, version, fast);
    if (!validate) return [`/specVersion: no schema for CycloneDX "${version}"`];
    if (!validate(doc)) return formatAjvErrors(validate.errors);
    return checkRefs(doc).slice(0, MAX_ERRORS);
  }
  const validate = spdxValidator(docs);
  if (!validate(doc)) return formatAjvErrors(validate.errors);
  return [];
}

function main() {
  const [kind, ...files] = process.argv.slice(2);
  if (kind !== 'cyclonedx-json' && kind !== 'spdx-json' && kind !== 'sarif') {
    usage(`unknown kind "${kind || ''}"`);
  }
  if (files.length === 0) usage('no files');
  const docs = kind === 'sarif' ? null : sharedDir();
  let invalid = false;
  for (const file of files) {
    if (!fs.existsSync(file)) usage(`no such file: ${file}`);
    const errors = validateFile(kind, docs, file);
    if (errors.length === 0) {
      console.log(`VALID ${file}`);
    } else {
      invalid = true;
      console.log(`INVALID ${file}`);
      for (const e of errors) console.log(`  ${e}`);
    }
  }
  process.exit(invalid ? 1 : 0);
}

main();
